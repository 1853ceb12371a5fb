"""The console against an attacker: redirects, login floods, stale sessions, caching, roles, access log.

Over test_views.py's small hand-made tracker store: no trained model or servers needed.
"""

import re

import pytest

from console.app import create_app
from clinic.ratelimit import TokenBuckets
from console.users import MAX_FAILURES, UserStore
from console.views.auth import LOGIN_LIMITS, LOGIN_RATE
from tests.console.conftest import PASSWORD, STAFF
from tests.console.test_views import console_settings  # noqa: F401 (the fixture, without servers)

ADMIN_NAME, ADMIN_PASSWORD = "boss", "an admin's long password"


def csrf(client, path="/login"):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def login(client, username=STAFF, password=PASSWORD, next_=None, ip="198.51.100.7"):
    path = "/login" + (f"?next={next_}" if next_ is not None else "")
    return client.post(path, data={"username": username, "password": password, "csrf_token": csrf(client)},
                       environ_base={"REMOTE_ADDR": ip})


@pytest.mark.parametrize("target", ["//evil.example/", "/%09/evil.example", "/%0a/evil.example", "/\\evil.example",
                                    "/%5Cevil.example", "https://evil.example/", "javascript:alert(1)",
                                    "%20//evil.example", "/%E2%80%8B/evil.example"])
def test_a_login_never_redirects_to_another_site(client, target):
    response = login(client, next_=target)
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_login_still_goes_on_to_a_page_of_this_site(client):
    assert login(client, next_="/followups?kind=lead").headers["Location"] == "/followups?kind=lead"


def test_one_address_guessing_passwords_is_slowed_down_for_every_account(app, client):
    # A stopped clock: no token comes back while the test runs, however slow the machine is.
    app.extensions[LOGIN_LIMITS] = TokenBuckets(LOGIN_RATE, clock=lambda: 0.0)
    statuses = [login(client, f"nobody-{i}", "wrong password!").status_code for i in range(12)]
    assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429]
    assert login(client, ip="203.0.113.5").status_code == 302  # another address is served


def test_guesses_at_unknown_or_huge_usernames_leave_no_rows_and_lock_nothing(client, console_settings):  # noqa: F811
    users = UserStore(console_settings.console_db_url)
    assert login(client, "x" * 10_000, "wrong password!").status_code == 401
    for i in range(MAX_FAILURES):
        login(client, "not-an-account", "wrong password!", ip=f"192.0.2.{i}")
    with users.engine.connect() as conn:
        assert conn.exec_driver_sql("select count(*) from login_failures").scalar_one() == 0


def test_a_password_change_ends_the_accounts_other_sessions(app, console_settings):  # noqa: F811
    old, new = app.test_client(), app.test_client()
    login(old)
    assert old.get("/").status_code == 200
    UserStore(console_settings.console_db_url).create(STAFF, "a brand new long password")
    assert old.get("/").status_code == 302 and old.get("/export/leads.csv").status_code == 401
    assert login(new, password="a brand new long password").status_code == 302 and new.get("/").status_code == 200


@pytest.mark.parametrize("path", ["/login", "/", "/conversations/visitor-a", "/followups", "/export/leads.csv",
                                  "/export/conversations.csv", "/review/export.yml"])
def test_no_page_or_export_may_be_cached(client, path):
    login(client)
    assert client.get(path).headers["Cache-Control"] == "no-store"


def test_hsts_is_sent_only_when_cookies_are_secure(console_settings):  # noqa: F811
    from dataclasses import replace

    assert "Strict-Transport-Security" not in create_app(console_settings).test_client().get("/login").headers
    secure = create_app(replace(console_settings, secure_cookies=True)).test_client().get("/login")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.fixture
def admin(app, console_settings):  # noqa: F811
    users = UserStore(console_settings.console_db_url)
    users.create(ADMIN_NAME, ADMIN_PASSWORD, "admin")
    users.create(STAFF, PASSWORD, "staff")  # the fixture's first account, an admin until now
    client = app.test_client()
    login(client, ADMIN_NAME, ADMIN_PASSWORD)
    return client


def test_the_first_account_is_an_admin_later_ones_staff(tmp_path):
    users = UserStore(f"sqlite:///{tmp_path / 'c.db'}")
    assert users.create("first", "a long password 1") == "admin"
    assert users.create("second", "a long password 2") == "staff"


def test_the_access_log_shows_an_admin_who_opened_what(client, admin):
    login(client)
    client.get("/conversations/visitor-a")
    client.get("/export/leads.csv?date_from=2024-01-01")
    page = admin.get("/admin/access-log").get_data(as_text=True)
    rows = page.split("<tbody>")[1].split("</tr>")
    assert f"<td>{STAFF}</td><td>exported leads.csv</td><td>date_from=2024-01-01</td>" in rows[0]
    assert f"<td>{STAFF}</td><td>opened transcript</td><td>visitor-a</td>" in rows[1]


@pytest.mark.parametrize("path", ["/admin/users", "/admin/access-log", "/admin/erase"])
def test_staff_who_are_not_admins_cannot_see_the_admin_pages(client, admin, path):
    login(client)
    assert client.get(path).status_code == 403
    assert admin.get(path).status_code == 200


def test_an_admin_adds_and_removes_accounts_from_the_console(admin, app):
    token = csrf(admin, "/admin/users")
    assert admin.post("/admin/users", data={"csrf_token": token, "username": "carla", "password": "short",
                                            "role": "staff"}).status_code == 400
    admin.post("/admin/users", data={"csrf_token": token, "username": "carla", "password": "carla's long password",
                                     "role": "staff"})
    carla = app.test_client()
    assert login(carla, "carla", "carla's long password").status_code == 302 and carla.get("/").status_code == 200
    admin.post("/admin/users/carla/remove", data={"csrf_token": token})
    assert carla.get("/").status_code == 302  # her session ended with her account
    assert admin.post(f"/admin/users/{ADMIN_NAME}/remove", data={"csrf_token": token}).status_code == 400


def test_an_admin_erases_a_visitor_after_confirming_and_it_is_access_logged(admin, client):
    token = csrf(admin, "/admin/erase")
    assert admin.post("/admin/erase", data={"conversation": "visitor-a"}).status_code == 400  # no CSRF token
    assert admin.post("/admin/erase", data={"csrf_token": token}).status_code == 400  # nobody named
    preview = admin.post("/admin/erase", data={"csrf_token": token, "conversation": "visitor-a"}).get_data(as_text=True)
    assert "This would remove: 1 conversations, 3 conversation events, 2 follow-ups, 0 review labels." in preview
    assert 'name="confirm" value="yes"' in preview
    assert admin.get("/conversations/visitor-a").status_code == 200  # nothing removed before confirming
    login(client)
    assert client.post("/admin/erase", data={"csrf_token": csrf(client), "conversation": "visitor-a",
                                             "confirm": "yes"}).status_code == 403  # staff may not
    done = admin.post("/admin/erase", data={"csrf_token": token, "conversation": "visitor-a", "confirm": "yes"})
    assert "Erased: 1 conversations, 3 conversation events, 2 follow-ups, 0 review labels." in done.get_data(
        as_text=True)
    assert admin.get("/conversations/visitor-a").status_code == 404
    assert "Nothing to follow up" in admin.get("/followups").get_data(as_text=True)
    log = admin.get("/admin/access-log").get_data(as_text=True).split("<tbody>")[1].split("</tr>")[0]
    assert f"<td>{ADMIN_NAME}</td><td>erased a visitor</td><td>by conversation: visitor-a</td>" in log


def test_an_erase_by_phone_reports_what_it_removed_and_logs_no_phone_number(admin, console_settings):  # noqa: F811
    from clinic.followups.store import LEAD, Followup, FollowupStore

    FollowupStore(console_settings.followup_db_url).add(
        Followup(kind=LEAD, conversation_id="visitor-b", name="Nina", phone="+447911123456"))
    token = csrf(admin, "/admin/erase")
    done = admin.post("/admin/erase", data={"csrf_token": token, "phone": "07911 123456", "confirm": "yes"})
    page = done.get_data(as_text=True)
    assert "1 follow-ups" in page and "visitor-b" in page
    assert "Nina" not in admin.get("/followups").get_data(as_text=True)
    log = admin.get("/admin/access-log").get_data(as_text=True)
    assert "by phone: visitor-b" in log and "7911" not in log
