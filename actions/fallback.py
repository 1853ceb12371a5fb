"""When the assistant did not understand: offer topics, and a person after two misses."""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.messages import say
from clinic.understanding import is_miss

MISSES_BEFORE_OFFERING_A_PERSON = 2


def consecutive_misses(events: List[Dict[str, Any]]) -> int:
    """How many of the latest visitor messages in a row were not understood (at least 1)."""
    misses = 0
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        intent: Optional[str] = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if not is_miss(intent):
            break
        misses += 1
    return max(misses, 1)


class ActionHandleFallback(Action):
    """Handles nlu_fallback, out_of_scope and low-confidence dialogue predictions."""

    def name(self) -> Text:
        """Action name in the domain."""
        return "action_handle_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        """Offer the main topics; after repeated misses, offer a person."""
        if consecutive_misses(tracker.events) >= MISSES_BEFORE_OFFERING_A_PERSON:
            say(dispatcher, "fallback_offer_person")
        else:
            say(dispatcher, "fallback_topics")
        return []
