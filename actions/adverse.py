"""A visitor describing a possible complication: urgent advice first, then staff alerted.

The rule has the Rasa server send utter_adverse_urgent before this action runs, so the advice never
depends on the action server. A report the model read as something else is made one before the
dialogue sees it, by the keyword safety net in the NLU pipeline (addons/safety_net.py).
"""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.messages import say
from clinic.followups.delivery import notifier_for, store_then_notify
from clinic.followups.from_conversation import followup_from
from clinic.followups.store import ALERT, FollowupCapReached

def alert_staff(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Record and notify the alert, then tell the visitor only what is true about it."""
    try:
        stored = store_then_notify(followup_from(tracker, ALERT))
    except FollowupCapReached:
        say(dispatcher, "followups_capped")
        return []
    if not stored:
        say(dispatcher, "adverse_not_recorded")
    elif notifier_for().has_targets:
        say(dispatcher, "adverse_staff_alerted")
    else:
        say(dispatcher, "adverse_recorded_call_us")
    return []


class ActionReportAdverseReaction(Action):
    """Handles report_adverse_reaction, after the rule's urgent advice."""

    def name(self) -> Text:
        """Action name in the domain."""
        return "action_report_adverse_reaction"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        """See alert_staff."""
        return alert_staff(dispatcher, tracker)
