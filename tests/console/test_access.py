"""No page or endpoint is open without login; no POST works without a CSRF token."""

import pytest

from console.users import MAX_FAILURES
from tests.console.conftest import PASSWORD, STAFF

HTML_ROUTES = ["/", "/?flag=lead", "/conversations/anything", "/followups", "/review", "/insights", "/admin/users",
               "/admin/access-log", "/admin/erase"]
DATA_ROUTES = ["/export/conversations.csv", "/export/leads.csv", "/review/export.yml"]
POST_ROUTES = ["/login", "/logout", "/followups/1/status", "/review/1", "/admin/users", "/admin/users/bob/remove",
               "/admin/erase"]


def every_get_route(app):
    return sorted(rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and rule.rule != "/login"
                  and not rule.rule.startswith("/static"))


def test_the_route_lists_below_cover_every_route(app):
    covered = {"/", "/conversations/<path:sender_id>", "/export/conversations.csv", "/followups", "/review",
               "/insights", "/export/leads.csv", "/review/export.yml", "/admin/users", "/admin/access-log",
               "/admin/erase"}
    assert set(every_get_route(app)) == covered
    posts = {rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert posts == {"/login", "/logout", "/followups/<int:followup_id>/status", "/review/<int:event_id>",
                     "/admin/users", "/admin/users/<username>/remove", "/admin/erase"}


@pytest.mark.parametrize("path", POST_ROUTES[2:])
def test_posts_need_a_login(client, auth, path):
    response = client.post(path, data={"csrf_token": auth.csrf_token(), "status": "closed", "intent": "greet"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("path", HTML_ROUTES)
def test_pages_send_strangers_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("path", DATA_ROUTES)
def test_data_endpoints_answer_401_without_login(client, path):
    assert client.get(path).status_code == 401


@pytest.mark.parametrize("path", POST_ROUTES)
def test_every_post_without_a_csrf_token_is_refused(client, auth, path):
    auth.login()
    response = client.post(path, data={"username": STAFF, "password": PASSWORD, "status": "closed",
                                       "intent": "greet"})
    assert response.status_code == 400
    assert client.get("/").status_code == 200  # still logged in: the logout was refused


def test_logout_is_a_post(client, auth):
    auth.login()
    assert client.get("/logout").status_code == 405
    client.post("/logout", data={"csrf_token": auth.csrf_token("/")})
    assert client.get("/").status_code == 302


def test_the_session_cookie_is_signed_httponly_and_samesite(client, auth):
    response = auth.login()
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_repeated_failures_lock_the_account_for_a_while(client, auth, console_settings):
    from console.users import UserStore

    UserStore(console_settings.console_db_url).create("bob", "a good long password")
    for _ in range(MAX_FAILURES):
        assert auth.login("bob", "wrong password!").status_code == 401
    locked = auth.login("bob", "a good long password")
    assert locked.status_code == 401 and b"locked" in locked.data
    assert client.get("/").status_code == 302


def test_a_login_sends_staff_on_to_the_page_they_asked_for_only_on_this_site(client, auth):
    token = auth.csrf_token()
    response = client.post("/login?next=//evil.example/", data={"username": STAFF, "password": PASSWORD,
                                                                 "csrf_token": token})
    assert response.headers["Location"] == "/"
