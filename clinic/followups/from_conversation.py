"""Building a follow-up (lead, handoff, alert) from what the conversation knows."""

from typing import Any, Dict, Optional, Protocol

from clinic.followups.store import LEAD, Followup
from clinic.treatments import normalise_treatment


class Conversation(Protocol):
    """What a follow-up needs of a conversation (rasa_sdk's Tracker has all of it)."""

    sender_id: str
    latest_message: Dict[str, Any]

    def get_slot(self, key: str) -> Optional[Any]:
        """A slot's value."""


def followup_from(conversation: Conversation, kind: str) -> Followup:
    """Everything the visitor has told us, plus (except for a lead) their latest message."""
    return Followup(
        kind=kind,
        conversation_id=conversation.sender_id,
        name=conversation.get_slot("visitor_name"),
        phone=conversation.get_slot("phone"),
        email=conversation.get_slot("email"),
        preferred_time=conversation.get_slot("preferred_time"),
        treatment=normalise_treatment(conversation.get_slot("treatment")),
        message=None if kind == LEAD else conversation.latest_message.get("text"),
    )
