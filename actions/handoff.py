"""A visitor asking for a person: record the request, say when and how staff can be reached."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.messages import say
from clinic.followups.delivery import store_then_notify
from clinic.followups.from_conversation import followup_from
from clinic.followups.store import HANDOFF, FollowupCapReached, utcnow
from clinic.opening_hours import describe_availability
from clinic.settings import get_settings


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
        try:
            recorded = store_then_notify(followup_from(tracker, HANDOFF))
        except FollowupCapReached:
            say(dispatcher, "followups_capped")
            return []
        say(dispatcher, "handoff_recorded" if recorded else "handoff_call_us", availability=availability)
        return []
