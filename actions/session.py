"""Starting a conversation: clinic details into slots, and the one-time notice."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from clinic.clinic_details import clinic_details
from clinic.messages import SESSION_NOTICE, render

# The only slots a new session keeps: the treatment the visitor asked about, and their name if
# they gave it. Form details (phone, e-mail, preferred time) of an earlier session never come back.
CARRIED_OVER_SLOTS = ("treatment", "visitor_name")


def carries_over_slots(domain: Dict[Text, Any]) -> bool:
    """The domain's session_config.carry_over_slots_to_new_session (Rasa's default: true)."""
    return bool((domain.get("session_config") or {}).get("carry_over_slots_to_new_session", True))


def carried_over_slots(tracker: Tracker) -> List[EventType]:
    """The latest value of each slot in CARRIED_OVER_SLOTS the previous session set."""
    latest: Dict[str, Any] = {}
    for event in tracker.events:
        if event.get("event") == "slot" and event.get("name") in CARRIED_OVER_SLOTS:
            latest[event["name"]] = event.get("value")
    return [SlotSet(key=name, value=value) for name, value in latest.items() if value is not None]


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
        dispatcher.utter_message(**render("disclaimer"), **{SESSION_NOTICE: True})
        carried = carried_over_slots(tracker) if carries_over_slots(domain) else []
        clinic_slots = [SlotSet(name, value) for name, value in details.items()]
        return [SessionStarted(), *carried, *clinic_slots, ActionExecuted("action_listen")]
