"""What a visitor gets when a part of the assistant is down."""

import pytest

from clinic.settings import get_settings
from harness.servers import MODEL, running_servers

CLINIC = get_settings().clinic


@pytest.fixture(scope="module")
def rasa_without_actions(tmp_path_factory):
    """A Rasa server whose action server is down."""
    if not MODEL.exists():
        pytest.fail("No trained model: run 'make train' first (make test does).")
    yield from running_servers(tmp_path_factory.mktemp("no-actions"), actions=False)


def test_a_complication_mid_conversation_gets_the_urgent_reply_with_the_action_server_down(rasa_without_actions):
    visitor = "visitor-down-1"
    rasa_without_actions.texts(visitor, "hello")
    reply = rasa_without_actions.texts(visitor, "I had filler yesterday and now my lip is turning white")
    assert "I'm sorry you're going through this" in reply
    assert CLINIC.phone in reply and CLINIC.emergency_number in reply and "alerted" not in reply


def test_a_complication_as_the_first_message_gets_the_urgent_advice_with_the_action_server_down(
    rasa_without_actions,
):
    reply = rasa_without_actions.texts("visitor-down-3", "I had filler yesterday and now my lip is turning white")
    assert CLINIC.phone in reply and CLINIC.emergency_number in reply and "emergency services" in reply


def test_a_question_is_still_answered_with_the_action_server_down(rasa_without_actions):
    # Answering runs in the Rasa server itself (endpoints.yml's `in_process`).
    reply = rasa_without_actions.texts("visitor-down-2", "How long does Botox last?")
    assert "month" in reply and "can't answer that right now" not in reply


def test_asking_for_a_person_gets_a_polite_reply_not_silence_with_the_action_server_down(rasa_without_actions):
    reply = rasa_without_actions.texts("visitor-down-4", "Can I speak to a real person please?")
    assert "can't answer that right now" in reply and CLINIC.phone in reply
