"""The REST channel refuses what is no visitor's message, and stores nothing the client made up."""

import uuid

import pytest
import requests

from clinic.settings import get_settings


def post(servers, **kwargs):
    return requests.post(f"{servers.rasa_url}/webhooks/rest/webhook", timeout=60, **kwargs)


@pytest.mark.parametrize("body", [
    {"message": "hi"},  # no sender: Rasa's own channel puts it in a shared "default" conversation
    {"sender": None, "message": "hi"},
    {"sender": 12345, "message": "hi"},
    {"sender": ["a"], "message": "hi"},
    {"sender": "x" * 10_000, "message": "hi"},
    {"sender": "../../etc/passwd", "message": "hi"},
    {"sender": "visitor 1<script>", "message": "hi"},
    {"sender": "visitor-ok", "message": None},
    {"sender": "visitor-ok", "message": ""},
    {"sender": "visitor-ok", "message": "   "},
    {"sender": "visitor-ok", "message": {"text": "hi"}},
    ["sender", "message"],
])
def test_a_request_that_is_not_one_visitor_message_gets_400(servers, body):
    assert post(servers, json=body).status_code == 400
    assert not [e for e in servers.tracker("default")["events"] or [] if e["event"] == "user"]


@pytest.mark.parametrize("size", [100 * 1024, 10 * 1024 * 1024])
def test_large_bodies_are_refused(servers, size):
    body = b'{"sender": "visitor-big", "message": "' + b"a" * size + b'"}'
    try:
        status = post(servers, data=body, headers={"Content-Type": "application/json"}).status_code
    except requests.ConnectionError:  # Sanic may close the connection once it has answered 413
        status = 413
    assert status == 413


def test_invalid_utf8_and_a_wrong_content_type_are_refused(servers):
    assert post(servers, data=b'{"sender": "v-1", "message": "\xff\xfe"}',
                headers={"Content-Type": "application/json"}).status_code == 400
    assert post(servers, data=b"sender=v-1&message=hi",
                headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 400


def test_client_metadata_and_channel_are_not_stored(servers):
    visitor = f"visitor-{uuid.uuid4().hex[:10]}"
    response = post(servers, json={"sender": visitor, "message": "hello", "input_channel": "console-staff",
                                   "metadata": {"is_staff": True, "note": "x" * 1000}})
    assert response.status_code == 200 and response.json()
    (user,) = [e for e in servers.tracker(visitor)["events"] if e["event"] == "user"]
    assert user["input_channel"] == "rest" and not {"is_staff", "note"} & set(user.get("metadata") or {})


def test_an_over_long_message_gets_the_polite_reply_and_is_not_processed(servers):
    visitor = f"visitor-{uuid.uuid4().hex[:10]}"
    widget = get_settings().widget
    response = post(servers, json={"sender": visitor, "message": "a " * widget.max_message_length})
    assert response.status_code == 200 and response.json()[0]["text"] == widget.too_long_message
    assert not [e for e in servers.tracker(visitor)["events"] if e["event"] == "user"]


def test_a_message_sent_again_with_its_id_gets_the_same_answer_and_is_stored_once(servers):
    visitor = f"visitor-{uuid.uuid4().hex[:10]}"
    body = {"sender": visitor, "message": "how long does botox last", "message_id": uuid.uuid4().hex}
    first, again = post(servers, json=body).json(), post(servers, json=body).json()

    assert first and again == first
    users = [e for e in servers.tracker(visitor)["events"] if e["event"] == "user"]
    assert [u["text"] for u in users] == ["how long does botox last"]
    other = post(servers, json={**body, "message_id": uuid.uuid4().hex}).json()
    assert other and len([e for e in servers.tracker(visitor)["events"] if e["event"] == "user"]) == 2


@pytest.mark.parametrize("message_id", [12, "", "a b", "x" * 200, ["m-1"]])
def test_a_message_id_that_is_not_a_short_token_gets_400(servers, message_id):
    assert post(servers, json={"sender": "visitor-ok", "message": "hi", "message_id": message_id}).status_code == 400
