"""The action server answers Rasa only: a token on every call, bounded bodies, no tracker echoed back."""

import json
import zlib

import pytest
import requests

EMAIL = "nina.patel@example.com"


@pytest.fixture
def webhook(servers):
    return f"http://127.0.0.1:{servers.actions_port}/webhook"


def action_call(sender="visitor-action-server"):
    tracker = {"sender_id": sender, "slots": {}, "latest_message": {"text": "hi", "intent": {"name": "greet"}},
               "events": [], "paused": False, "followup_action": None, "active_loop": {},
               "latest_action_name": "action_listen"}
    return {"next_action": "action_session_start", "sender_id": sender, "tracker": tracker, "domain": {},
            "version": "3.6.2"}


@pytest.mark.parametrize("params", [{}, {"token": "forged"}, {"token": ""}])
def test_calls_without_the_right_token_are_refused(servers, webhook, params):
    assert requests.post(webhook, params=params, json=action_call(), timeout=30).status_code == 401
    actions = f"http://127.0.0.1:{servers.actions_port}/actions"
    assert requests.get(actions, params=params, timeout=30).status_code == 401


def test_rasa_calls_with_the_token_get_answers(servers, webhook):
    response = requests.post(webhook, params={"token": servers.action_token}, json=action_call(), timeout=30)
    assert response.status_code == 200 and response.json()["events"]


def test_unknown_paths_answer_404(servers):
    for path in ("/nothing-here", "/webhook/../../etc/passwd", "/%2e%2e/x"):
        url = f"http://127.0.0.1:{servers.actions_port}{path}"
        assert requests.get(url, params={"token": servers.action_token}, timeout=30).status_code == 404


def test_an_over_large_body_is_refused(servers, webhook):
    body = b"x" * (10 * 1024 * 1024)
    try:
        status = requests.post(webhook, params={"token": servers.action_token}, data=body, timeout=30).status_code
    except requests.ConnectionError:  # the server may close the connection as soon as it has said 413
        status = 413
    assert status == 413


def test_a_compression_bomb_is_refused_before_it_is_inflated(servers, webhook):
    bomb = zlib.compress(b"0" * (200 * 1024 * 1024), 9)  # 200 MB inflated, a few hundred kB sent
    response = requests.post(webhook, params={"token": servers.action_token}, data=bomb,
                             headers={"Content-Encoding": "deflate"}, timeout=60)
    assert response.status_code == 413


def test_a_bad_call_is_refused_without_echoing_what_was_sent(servers, webhook):
    body = ('{"tracker": {"latest_message": {"text": "my email is ' + EMAIL + '"}').encode()  # not valid JSON
    response = requests.post(webhook, params={"token": servers.action_token}, data=body,
                             headers={"Content-Type": "application/json"}, timeout=30)
    assert 400 <= response.status_code < 500 and EMAIL not in response.text
    garbled = zlib.compress(json.dumps(action_call()).encode())[:-10]
    response = requests.post(webhook, params={"token": servers.action_token}, data=garbled,
                             headers={"Content-Encoding": "deflate"}, timeout=30)
    assert response.status_code == 400
