from actions.settings import load_settings


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
