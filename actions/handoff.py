"""A visitor asking for a person: record the request, say when and how staff can be reached."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.delivery import store_then_notify
from actions.followup_store import HANDOFF, Followup, utcnow
from actions.messages import say
from actions.opening_hours import describe_availability
from actions.settings import get_settings
from actions.treatments import normalise_treatment


def handoff_from(tracker: Tracker) -> Followup:
    """The handoff request for this conversation."""
    return Followup(
        kind=HANDOFF,
        conversation_id=tracker.sender_id,
        name=tracker.get_slot("visitor_name"),
        phone=tracker.get_slot("phone"),
        email=tracker.get_slot("email"),
        treatment=normalise_treatment(tracker.get_slot("treatment")),
        message=tracker.latest_message.get("text"),
    )


class ActionRequestHuman(Action):
    """Handles request_human."""

    def name(self) -> Text:
        """Action name in the domain."""
        return "action_request_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        """Record the request first; promise a follow-up only if it was stored."""
        clinic = get_settings().clinic
        availability = describe_availability(clinic.hours, clinic.timezone, utcnow())
        recorded = store_then_notify(handoff_from(tracker))
        say(dispatcher, "handoff_recorded" if recorded else "handoff_call_us", availability=availability)
        return []
