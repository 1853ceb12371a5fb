"""Building a follow-up (lead, handoff, alert) from what the conversation knows."""

from rasa_sdk import Tracker

from actions.followup_store import LEAD, Followup
from actions.treatments import normalise_treatment


def followup_from(tracker: Tracker, kind: str) -> Followup:
    """Everything the visitor has told us, plus (except for a lead) their latest message."""
    return Followup(
        kind=kind,
        conversation_id=tracker.sender_id,
        name=tracker.get_slot("visitor_name"),
        phone=tracker.get_slot("phone"),
        email=tracker.get_slot("email"),
        preferred_time=tracker.get_slot("preferred_time"),
        treatment=normalise_treatment(tracker.get_slot("treatment")),
        message=None if kind == LEAD else tracker.latest_message.get("text"),
    )
