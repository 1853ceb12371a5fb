"""A visitor describing a possible complication: urgent advice first, then staff alerted."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.messages import say
from clinic.followups.delivery import store_then_notify
from clinic.followups.from_conversation import followup_from
from clinic.followups.store import ALERT


async def report_adverse_reaction(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Say what to do now, then record and notify the alert, then say whether staff know."""
    say(dispatcher, "adverse_urgent")
    if store_then_notify(followup_from(tracker, ALERT)):
        say(dispatcher, "adverse_staff_alerted")
    return []


class ActionReportAdverseReaction(Action):
    """Handles report_adverse_reaction."""

    def name(self) -> Text:
        """Action name in the domain."""
        return "action_report_adverse_reaction"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        """See report_adverse_reaction."""
        return await report_adverse_reaction(dispatcher, tracker)
