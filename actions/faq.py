"""Answering questions about Botox and fillers, following the treatment in context."""

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.messages import say
from clinic.knowledge import DEFAULT_TOPIC, Answer, faq_topics
from clinic.settings import get_settings
from clinic.specifics import answer_to
from clinic.treatments import normalise_treatment, treatment_by_position, treatment_in_message

BOOK_BUTTON = {"title": "Book a consultation", "payload": "/request_consultation"}


@dataclass(frozen=True)
class FaqChoice:
    """Which question is being answered, and for which treatment."""

    topic: Optional[str]
    treatment: Optional[str]


def choose(
    intent: Optional[str],
    entities: List[Dict[str, Any]],
    slots: Dict[str, Any],
    named_by_position: Optional[str] = None,
) -> FaqChoice:
    """Decide topic and treatment from this message, falling back to the conversation so far.

    A message that only names a treatment ("and fillers?", or "the first one" after the bot named
    both) repeats the last question for it.
    """
    named = treatment_in_message(entities) or named_by_position
    treatment = named or normalise_treatment(slots.get("treatment"))
    if intent in faq_topics():
        return FaqChoice(intent, treatment)
    if named:
        return FaqChoice(slots.get("faq_topic") or DEFAULT_TOPIC, treatment)
    return FaqChoice(None, treatment)


def last_bot_text(events: List[Dict[str, Any]]) -> Optional[str]:
    """What the bot said last, before the visitor's latest message."""
    return next((e.get("text") for e in reversed(events) if e.get("event") == "bot" and e.get("text")), None)


def answer_message(answer: Answer, text: str) -> Dict[str, Any]:
    """The message sent to the visitor; sources and topic are kept on the bot event."""
    return {
        "text": text,
        "buttons": [BOOK_BUTTON] if answer.offer_consultation else [],
        "faq_topic": answer.topic,
        "treatment": answer.treatment,
        "sources": list(answer.sources),
    }


class ActionAnswerFaq(Action):
    """Answers a question (or a treatment-only follow-up) from knowledge/answers.yml."""

    def name(self) -> Text:
        """Action name in the domain."""
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        """Answer, led by anything specific the visitor named (complications: addons/safety_net.py)."""
        message = tracker.latest_message
        text = message.get("text") or ""
        by_position = treatment_by_position(text, last_bot_text(tracker.events))
        choice = choose(
            (message.get("intent") or {}).get("name"), message.get("entities") or [], tracker.slots, by_position
        )
        answer = answer_to(choice.topic, choice.treatment, text) if choice.topic else None
        if answer is None:
            say(dispatcher, "help_topics")
            return []
        dispatcher.utter_message(**answer_message(answer, answer.render(get_settings().clinic)))
        return [
            SlotSet("treatment", choice.treatment),
            SlotSet("faq_topic", choice.topic),
            SlotSet("consultation_offered", answer.offer_consultation),
        ]
