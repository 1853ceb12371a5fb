"""A visitor describing a possible complication: urgent advice first, then staff alerted.

When the model recognises a report, the rule has the Rasa server send utter_adverse_urgent before
this action runs, so the advice never depends on the action server. When the keyword safety net
catches a report the model read as something else (FAQ, fallback), the action asks Rasa for that same
response first.
"""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.messages import say
from clinic.followups.delivery import notifier_for, store_then_notify
from clinic.followups.from_conversation import followup_from
from clinic.followups.store import ALERT, FollowupCapReached

URGENT_RESPONSE = "utter_adverse_urgent"


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


def report_caught_by_safety_net(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """The urgent advice, then the alert, for a report the model did not recognise as one."""
    dispatcher.utter_message(response=URGENT_RESPONSE)
    return alert_staff(dispatcher, tracker)


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
