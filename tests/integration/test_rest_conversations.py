"""Whole conversations through the REST channel of a running Rasa server and action server."""

import json
import subprocess
import sys
import time
import uuid

import pytest
import requests

from addons.url_sql_tracker_store import URLSQLTrackerStore
from clinic.followups.store import DELIVERY_DELIVERED, DELIVERY_FAILED, FollowupStore
from clinic.knowledge import find_answer
from clinic.settings import get_settings

CLINIC = get_settings().clinic


def new_visitor() -> str:
    return f"visitor-{uuid.uuid4().hex[:10]}"


def answer(topic: str, treatment: str) -> str:
    return find_answer(topic, treatment).render(CLINIC)


def wait_for(condition, timeout=30.0):
    """Poll until `condition()` is truthy (background work in another process), or fail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail("condition not met in time")


def test_model_parse_finds_intent_and_treatment(servers):
    parsed = servers.api("POST", "/model/parse", json={"text": "How long does Juvederm last?"}).json()
    assert parsed["intent"]["name"] == "ask_duration"
    assert [(e["entity"], e["value"]) for e in parsed["entities"] if e["entity"] == "treatment"] == [
        ("treatment", "filler")]


def test_the_first_reply_carries_the_notice_once(servers):
    visitor = new_visitor()
    first = servers.texts(visitor, "hello")
    second = servers.texts(visitor, "How long does Botox last?")
    assert "not medical advice" in first and "not medical advice" not in second


def test_follow_up_questions_follow_the_treatment_in_context(servers):
    visitor = new_visitor()
    assert answer("ask_duration", "botox") in servers.texts(visitor, "How long does Botox last?")
    assert answer("ask_duration", "filler") in servers.texts(visitor, "And fillers?")
    assert answer("ask_side_effects", "filler") in servers.texts(visitor, "Does that hurt?")
    assert answer("ask_ingredients", "botox") in servers.texts(visitor, "what is botox made of")


def test_every_faq_answer_event_names_its_sources(servers):
    visitor = new_visitor()
    servers.say(visitor, "what's the difference between botox and fillers?")
    (bot,) = [e for e in servers.tracker(visitor)["events"] if e["event"] == "bot" and e["metadata"].get("faq_topic")]
    assert bot["metadata"]["faq_topic"] == "ask_difference" and bot["metadata"]["sources"]


def test_price_questions_get_no_price_but_a_consultation_button(servers):
    messages = servers.say(new_visitor(), "how much do lip fillers cost?")
    (reply,) = [m for m in messages if m.get("buttons")]
    assert CLINIC.phone in reply["text"] and "£" not in reply["text"]
    assert reply["buttons"][0]["payload"] == "/request_consultation"


def book(servers, visitor: str) -> str:
    servers.say(visitor, "I'm interested in lip filler")
    assert "name" in servers.texts(visitor, "I'd like to book a consultation").lower()
    assert "phone" in servers.texts(visitor, "Sarah Jones")
    assert "email" in servers.texts(visitor, "07911 123456")
    assert "doesn't look right" in servers.texts(visitor, "sarah@")  # re-asked with the reason
    assert "suit you" in servers.texts(visitor, "sarah.jones@example.com")
    return servers.texts(visitor, "weekday mornings after 10")


def test_a_booking_is_stored_before_staff_are_notified_and_a_failed_notification_is_retried(servers):
    store = FollowupStore(servers.followup_db_url)
    visitor = new_visitor()
    servers.webhook.failing = True
    try:
        confirmation = book(servers, visitor)
        assert "will contact you" in confirmation
        lead = wait_for(lambda: next((f for f in store.all("lead") if f.conversation_id == visitor
                                      and f.delivery_attempts), None))
        assert lead.delivery_status == DELIVERY_FAILED
        assert (lead.name, lead.phone, lead.email, lead.preferred_time, lead.treatment) == (
            "Sarah Jones", "+447911123456", "sarah.jones@example.com", "weekday mornings after 10", "filler")
    finally:
        servers.webhook.failing = False

    retry = subprocess.run([sys.executable, "-m", "clinic.followups"], env=servers.env,
                           capture_output=True, text=True, timeout=60)
    assert retry.returncode == 0, retry.stderr
    assert store.get(lead.id).delivery_status == DELIVERY_DELIVERED
    assert any(n["conversation_id"] == visitor for n in servers.webhook.received)


def test_cancelling_a_booking_saves_nothing_and_the_next_question_is_answered(servers):
    store = FollowupStore(servers.followup_db_url)
    visitor = new_visitor()
    servers.say(visitor, "can I book a consultation")
    servers.say(visitor, "Tom Baker")
    assert "stopped the booking" in servers.texts(visitor, "never mind")
    assert answer("ask_downtime", "both") in servers.texts(visitor, "is there any downtime?")
    assert not [f for f in store.all() if f.conversation_id == visitor]


def test_a_question_mid_booking_is_answered_then_the_booking_resumes(servers):
    visitor = new_visitor()
    servers.say(visitor, "book me in for botox please")
    reply = servers.texts(visitor, "wait, how long does it last?")
    assert answer("ask_duration", "botox") in reply and "name" in reply.lower()


def test_a_complication_gets_the_urgent_reply_and_an_alert(servers):
    store = FollowupStore(servers.followup_db_url)
    visitor = new_visitor()
    reply = servers.texts(visitor, "I had filler yesterday and now my lip is turning white and it really hurts")
    assert CLINIC.phone in reply and CLINIC.emergency_number in reply
    assert "alerted" in reply
    alert = wait_for(lambda: next((f for f in store.all("alert") if f.conversation_id == visitor), None))
    assert "turning white" in alert.message


def test_two_misses_in_a_row_offer_a_person_and_a_person_can_be_asked_for(servers):
    visitor = new_visitor()
    first = servers.say(visitor, "what time does the football start tonight")
    assert "/ask_duration" in [b["payload"] for m in first for b in m.get("buttons", [])]
    second = servers.say(visitor, "do you sell car insurance")
    assert "/request_human" in [b["payload"] for m in second for b in m.get("buttons", [])]
    handoff = servers.texts(visitor, "/request_human")
    assert "Our team is" in handoff and CLINIC.phone in handoff


def test_the_bot_says_it_is_a_bot(servers):
    assert "automated assistant" in servers.texts(new_visitor(), "am I talking to a real person?")


@pytest.mark.parametrize(
    "message",
    ["x" * 5_000, "\x00\x01\x02\ufffd", "<script>alert(1)</script>", "💉💉💉😱",
     "¿Cuánto dura el bótox?", "ボトックスはどのくらい持ちますか", "{\"json\": [1, 2"],
)
def test_odd_input_never_breaks_the_conversation(servers, message):
    visitor = new_visitor()
    servers.say(visitor, message)
    assert answer("ask_duration", "botox") in servers.texts(visitor, "how long does botox last")


def test_malformed_json_is_refused_without_harm(servers):
    response = requests.post(f"{servers.rasa_url}/webhooks/rest/webhook", data=b"{not json",
                             headers={"Content-Type": "application/json"}, timeout=30)
    assert 400 <= response.status_code < 500
    assert servers.say(new_visitor(), "hi")


def test_conversations_are_in_the_sql_tracker_store_and_survive_a_restart(servers):
    visitor = new_visitor()
    servers.say(visitor, "How long does Botox last?")
    # A fresh store on the same database is what a restarted server sees.
    fresh = URLSQLTrackerStore(host=servers.tracker_db_url)
    events = [json.loads(row.data) for row in _rows(fresh, visitor)]
    assert any(e["event"] == "user" and e["text"] == "How long does Botox last?" for e in events)


def _rows(store, sender_id):
    with store.session_scope() as session:
        return session.query(store.SQLEvent).filter_by(sender_id=sender_id).all()
