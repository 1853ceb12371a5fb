"""Actions run inside the Rasa server answer exactly as the action server would, and only those named."""

import asyncio

import pytest
from rasa.core.actions import action as rasa_actions
from rasa.core.actions import forms as rasa_forms
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from addons import in_process_actions
from addons.in_process_actions import InProcessAction
from clinic.settings import PROJECT_ROOT

# Nothing listens on port 1: an action sent over HTTP would fail.
NOWHERE = "http://127.0.0.1:1/webhook"


@pytest.fixture(scope="module")
def domain():
    in_process_actions.install()
    return Domain.load(str(PROJECT_ROOT / "domain"))


def endpoint(*names):
    return EndpointConfig(NOWHERE, in_process=list(names))


def question(text, intent, treatment=None):
    entities = [{"entity": "treatment", "value": treatment, "start": 0, "end": 1}] if treatment else []
    user = UserUttered(text, intent={"name": intent, "confidence": 0.9}, entities=entities)
    return DialogueStateTracker.from_events("visitor", [ActionExecuted("action_listen"), user])


def run(action, tracker, domain):
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    return asyncio.run(action.run(CollectingOutputChannel(), nlg, tracker, domain))


def test_a_named_action_answers_in_process_with_the_action_servers_events(domain, settings):
    action = rasa_actions.action_for_name_or_text("action_answer_faq", domain, endpoint("action_answer_faq"))
    assert isinstance(action, InProcessAction)
    events = run(action, question("how long does botox last", "ask_duration", "botox"), domain)
    answer = next(e for e in events if isinstance(e, BotUttered))
    assert "month" in answer.text and answer.metadata["sources"]
    assert SlotSet("faq_topic", "ask_duration") in events and SlotSet("treatment", "botox") in events


def test_other_actions_still_go_to_the_action_server(domain):
    chosen = rasa_actions.action_for_name_or_text("action_request_human", domain, endpoint("action_answer_faq"))
    assert type(chosen) is RemoteAction
    assert type(rasa_actions.action_for_name_or_text("action_answer_faq", domain, EndpointConfig(NOWHERE))) \
        is RemoteAction


def test_a_forms_validation_runs_in_process_when_named(domain):
    assert isinstance(rasa_forms.RemoteAction("validate_consultation_form", endpoint("validate_consultation_form")),
                      InProcessAction)
    assert type(rasa_forms.RemoteAction("validate_consultation_form", endpoint())) is RemoteAction


def test_a_failing_action_fails_as_an_unreachable_action_server_does(domain, monkeypatch):
    # Rasa answers such a failure with the never-silent reply (addons/never_silent.py).
    action = InProcessAction("action_answer_faq", endpoint("action_answer_faq"))
    monkeypatch.setattr("actions.faq.answer_to", lambda *args: 1 / 0)
    with pytest.raises(RasaException, match="action_answer_faq"):
        run(action, question("how long does botox last", "ask_duration", "botox"), domain)
