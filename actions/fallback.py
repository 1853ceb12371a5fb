"""When the assistant did not understand: offer topics, and a person after two misses."""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.adverse import report_caught_by_safety_net
from actions.messages import say
from clinic.red_flags import describes_own_complication
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
        if describes_own_complication(tracker.latest_message.get("text") or ""):
            return report_caught_by_safety_net(dispatcher, tracker)
        if consecutive_misses(tracker.events) >= MISSES_BEFORE_OFFERING_A_PERSON:
            say(dispatcher, "fallback_offer_person")
        else:
            say(dispatcher, "fallback_topics")
        return []
