"""Starting a conversation: clinic details into slots, and the one-time notice."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clinic_details import clinic_details
from actions.messages import say


def carried_over_slots(tracker: Tracker) -> List[EventType]:
    """Slots the previous session set, so a returning visitor keeps their context."""
    return [
        SlotSet(key=event["name"], value=event.get("value"))
        for event in tracker.events
        if event.get("event") == "slot"
    ]


class ActionSessionStart(Action):
    """Rasa's session start, plus clinic details and the general-information notice."""

    def name(self) -> Text:
        """Action name in the domain."""
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        """Start the session, then say (once) that answers are general information."""
        details = clinic_details()
        say(dispatcher, "disclaimer")
        clinic_slots = [SlotSet(name, value) for name, value in details.items()]
        return [SessionStarted(), *carried_over_slots(tracker), *clinic_slots, ActionExecuted("action_listen")]
