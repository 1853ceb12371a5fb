"""Building a follow-up (lead, handoff, alert) from what the conversation knows."""

from typing import Any, Dict, Optional, Protocol

from clinic.followups.store import LEAD, Followup
from clinic.treatments import normalise_treatment

# The metadata key under which the channels (addons/) pass the client key; clients cannot set it.
CLIENT_KEY = "clinic_client"


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
        client=client_of(conversation),
    )


def client_of(conversation: Conversation) -> Optional[str]:
    """The pseudonymous client key the channel put in the latest message's metadata, if any."""
    metadata = conversation.latest_message.get("metadata")
    client = metadata.get(CLIENT_KEY) if isinstance(metadata, dict) else None
    return client if isinstance(client, str) and 0 < len(client) <= 64 else None
