"""The consultation booking form: validating details, then storing the lead."""

from abc import ABC, abstractmethod
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.messages import say
from clinic.contact_details import Checked, abroad_note, check_email, check_name, check_phone, check_preferred_time
from clinic.followups.delivery import store_then_notify
from clinic.followups.from_conversation import followup_from
from clinic.followups.store import LEAD, FollowupCapReached
from clinic.settings import get_settings

CONTACT_SLOTS = ("phone", "email", "preferred_time")


def _slot_result(dispatcher: CollectingDispatcher, slot: str, checked: Checked) -> Dict[Text, Any]:
    value, reason = checked
    if value is None:
        dispatcher.utter_message(text=reason)
    # None makes the form ask for the slot again.
    return {slot: value}


def person_entities(tracker: Tracker) -> List[str]:
    """Names spaCy found in the latest message."""
    return [e["value"] for e in tracker.latest_message.get("entities", []) if e.get("entity") == "PERSON"]


class ValidateConsultationForm(FormValidationAction):
    """Checks each detail as the visitor gives it; a bad value is re-asked with the reason."""

    def name(self) -> Text:
        """Action name in the domain."""
        return "validate_consultation_form"

    def validate_visitor_name(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """A plausible name; spaCy's PERSON entity preferred."""
        return _slot_result(dispatcher, "visitor_name", check_name(str(slot_value or ""), person_entities(tracker)))

    def validate_phone(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """A valid number, in the clinic's region, else read as from abroad and confirmed back."""
        region = get_settings().clinic.phone_region
        checked = check_phone(str(slot_value or ""), region)
        note = abroad_note(checked[0], region) if checked[0] else None
        if note:
            dispatcher.utter_message(text=note)
        return _slot_result(dispatcher, "phone", checked)

    def validate_email(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """A well-formed address (no network check)."""
        return _slot_result(dispatcher, "email", check_email(str(slot_value or "")))

    def validate_preferred_time(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Any short free text."""
        return _slot_result(dispatcher, "preferred_time", check_preferred_time(str(slot_value or "")))


class ActionSubmitConsultationForm(Action):
    """Stores the lead; only then tells the visitor staff will be in touch."""

    def name(self) -> Text:
        """Action name in the domain."""
        return "action_submit_consultation_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        """Store, then confirm (or give the phone number if storing failed)."""
        try:
            stored = store_then_notify(followup_from(tracker, LEAD))
            message = "consultation_confirmed" if stored else "consultation_not_saved"
        except FollowupCapReached:
            message = "followups_capped"
        say(dispatcher, message, visitor_name=tracker.get_slot("visitor_name"))
        # Contact details are kept on the lead, not in the conversation's context.
        return [SlotSet(slot, None) for slot in CONTACT_SLOTS]


class AskFormSlot(Action, ABC):
    """Asks for one form slot with its message from knowledge/messages.yml.

    Abstract (only subclasses name a slot), so rasa_sdk registers no action for it.
    """

    @property
    @abstractmethod
    def slot(self) -> str:
        """The slot this action asks for."""

    def name(self) -> Text:
        """Rasa's form calls action_ask_<slot> when it needs that slot."""
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        """Ask the question."""
        say(dispatcher, f"ask_{self.slot}", visitor_name=tracker.get_slot("visitor_name") or "")
        return []


class ActionAskVisitorName(AskFormSlot):
    """Asks for the visitor's name."""

    slot = "visitor_name"


class ActionAskPhone(AskFormSlot):
    """Asks for a phone number."""

    slot = "phone"


class ActionAskEmail(AskFormSlot):
    """Asks for an e-mail address."""

    slot = "email"


class ActionAskPreferredTime(AskFormSlot):
    """Asks when suits the visitor."""

    slot = "preferred_time"
