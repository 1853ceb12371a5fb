from clinic.settings import load_settings


def test_secrets_and_urls_come_from_the_environment(tmp_path):
    config = tmp_path / "clinic.yml"
    config.write_text(
        "name: Test Clinic\nphone: '+1 555 0100'\ntimezone: America/New_York\nphone_region: us\n"
        "hours: {monday: '08:00-17:00'}\n"
        "notifications: {webhook_url: 'http://example.invalid/hook', email: {to: [a@example.com], "
        "from_address: bot@example.com, smtp_host: smtp.example.com}}\n"
    )
    env = {"CLINIC_CONFIG": str(config), "SMTP_PASSWORD": "s3cret", "SMTP_USERNAME": "bot",
           "FOLLOWUP_DB_URL": "postgresql://u:p@db/clinic"}
    settings = load_settings(env)
    assert settings.clinic.name == "Test Clinic" and settings.clinic.phone_region == "US"
    assert settings.clinic.hours["monday"] == "08:00-17:00" and settings.clinic.hours["sunday"] == "closed"
    assert settings.email.enabled and settings.email.password == "s3cret"
    assert settings.followup_db_url == "postgresql://u:p@db/clinic"
    assert settings.webhook_url == "http://example.invalid/hook"
    assert load_settings({**env, "NOTIFY_WEBHOOK_URL": "http://override/"}).webhook_url == "http://override/"


def test_every_database_default_is_one_absolute_file_under_var(monkeypatch, tmp_path):
    from clinic.settings import PROJECT_ROOT, VAR, console_db_url, followup_db_url, tracker_store_url
    from console.settings import load_console_settings

    assert VAR == PROJECT_ROOT / "var" and VAR.is_absolute()
    monkeypatch.chdir(tmp_path)  # another working folder changes nothing
    assert tracker_store_url(env={}) == f"sqlite:///{VAR / 'tracker.db'}"
    assert followup_db_url({}) == f"sqlite:///{VAR / 'followups.db'}"
    assert console_db_url({}) == f"sqlite:///{VAR / 'console.db'}"
    console = load_console_settings({"CONSOLE_SECRET_KEY": "k"})
    assert (console.tracker_db_url, console.followup_db_url, console.console_db_url) == (
        tracker_store_url(env={}), followup_db_url({}), console_db_url({}))
    assert tracker_store_url("sqlite:///elsewhere.db", env={"TRACKER_STORE_URL": "x"}) == "sqlite:///elsewhere.db"
    assert tracker_store_url(env={"TRACKER_STORE_URL": "postgresql://db/rasa"}) == "postgresql://db/rasa"
