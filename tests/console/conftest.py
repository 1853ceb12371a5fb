"""A console over conversations really held with the bot (not hand-written event rows).

The servers are shared with tests/integration, so the tracker store holds their conversations
too: tests look for these conversations, never assume they are the only ones.
"""

import threading
import uuid

import pytest
from werkzeug.serving import make_server

from console.app import create_app
from console.settings import ConsoleSettings
from console.users import UserStore

STAFF, PASSWORD = "anna", "correct horse battery staple"
XSS = "<script>alert(1)</script>"


def _visitor(servers, *messages) -> str:
    sender = f"console-{uuid.uuid4().hex[:8]}"
    for message in messages:
        servers.say(sender, message)
    return sender


@pytest.fixture(scope="session")
def conversations(servers):
    """Conversations of each kind, held through the REST channel; their ids by kind."""
    return {
        "faq": _visitor(servers, "How long does Botox last?", "And fillers?"),
        "lead": _visitor(servers, "I'd like to book a consultation", "Nina Patel", "07911 123456",
                         "nina@example.com", "Tuesday evening"),
        "adverse": _visitor(servers, "my lip has gone white and hard after filler yesterday"),
        "human": _visitor(servers, "can I talk to a real person please"),
        "fallback": _visitor(servers, "who won the curling world championship", XSS),
    }


@pytest.fixture(scope="session")
def console_settings(servers, conversations, tmp_path_factory):
    settings = ConsoleSettings(
        tracker_db_url=servers.tracker_db_url,
        followup_db_url=servers.followup_db_url,
        console_db_url=f"sqlite:///{tmp_path_factory.mktemp('console') / 'console.db'}",
        secret_key="test-secret",
        secure_cookies=False,
    )
    UserStore(settings.console_db_url).create(STAFF, PASSWORD)
    return settings


@pytest.fixture
def app(console_settings):
    return create_app(console_settings)


@pytest.fixture
def client(app):
    return app.test_client()


class Auth:
    """Logs in through the real form, CSRF token included."""

    def __init__(self, client):
        self.client = client

    def csrf_token(self, path="/login"):
        import re

        page = self.client.get(path).get_data(as_text=True)
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def login(self, username=STAFF, password=PASSWORD):
        return self.client.post("/login", data={"username": username, "password": password,
                                                "csrf_token": self.csrf_token()})


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture(scope="session")
def console_url(console_settings):
    server = make_server("127.0.0.1", 0, create_app(console_settings), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
