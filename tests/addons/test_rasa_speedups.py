"""The Rasa server's speed-ups change nothing Rasa does: same checks, same events, same errors."""

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered, deserialise_events
from rasa.utils.endpoints import EndpointConfig

from addons import rasa_speedups


@pytest.fixture(scope="module")
def action():
    rasa_speedups.install()
    return RemoteAction("action_answer_faq", EndpointConfig("http://127.0.0.1:1/webhook"))


def test_an_action_servers_answer_is_still_checked(action):
    answer = {"events": [{"event": "slot", "name": "treatment", "value": "botox"}],
              "responses": [{"text": "Botox lasts three to four months.", "buttons": []}]}
    assert action._validate_action_result(answer) is True
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": [{"event": 42}], "responses": "not a list"})


def test_stored_events_come_back_as_the_same_classes(action):
    stored = [{"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet"}}},
              {"event": "action", "name": "utter_greet"}, {"event": "slot", "name": "treatment", "value": "botox"}]
    assert [type(e) for e in deserialise_events(stored)] == [UserUttered, ActionExecuted, SlotSet]
    assert Event.resolve_by_type("topic") is None  # Rasa's own answer for a retired event name
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
