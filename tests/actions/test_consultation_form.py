import asyncio

import pytest

from actions.consultation_form import ActionAskPhone, ActionSubmitConsultationForm, ValidateConsultationForm
from clinic.followups.delivery import pending_tasks
from tests.conftest import make_tracker

FORM = ValidateConsultationForm()


def test_a_valid_phone_is_kept_in_international_form(dispatcher, settings):
    result = FORM.validate_phone("07911 123456", dispatcher, make_tracker("07911 123456"), {})
    assert result == {"phone": "+447911123456"} and dispatcher.messages == []


@pytest.mark.parametrize(
    "validator, slot, value",
    [("validate_phone", "phone", "12345"), ("validate_email", "email", "jane@"),
     ("validate_visitor_name", "visitor_name", "yes"), ("validate_preferred_time", "preferred_time", "")],
)
def test_an_invalid_value_is_re_asked_with_the_reason(validator, slot, value, dispatcher, settings):
    result = getattr(FORM, validator)(value, dispatcher, make_tracker(value), {})
    assert result == {slot: None}  # None makes the form ask again
    assert dispatcher.messages[0]["text"]


def test_spacy_person_entity_wins_over_the_raw_text(dispatcher, settings):
    tracker = make_tracker("oh it's Maria Lopez here", "inform", [{"entity": "PERSON", "value": "Maria Lopez"}])
    result = FORM.validate_visitor_name("oh it's Maria Lopez here", dispatcher, tracker, {})
    assert result == {"visitor_name": "Maria Lopez"}


async def test_the_form_asks_by_name(dispatcher, settings):
    await ActionAskPhone().run(dispatcher, make_tracker(slots={"visitor_name": "Sarah"}), {})
    assert dispatcher.messages[0]["text"].startswith("Thanks, Sarah.")


FILLED = {"visitor_name": "Sarah Jones", "phone": "+447911123456", "email": "sarah@example.com",
          "preferred_time": "weekday mornings", "treatment": "Juvederm"}


async def test_submitting_stores_the_lead_before_confirming(dispatcher, settings, store, webhook):
    events = await ActionSubmitConsultationForm().run(dispatcher, make_tracker(slots=FILLED, sender_id="abc"), {})
    await asyncio.gather(*pending_tasks())
    (lead,) = store.all()
    assert (lead.kind, lead.conversation_id, lead.name, lead.treatment) == ("lead", "abc", "Sarah Jones", "filler")
    assert "will contact you" in dispatcher.messages[0]["text"]
    assert "only to arrange" in dispatcher.messages[0]["text"]
    assert {e["name"] for e in events} == {"phone", "email", "preferred_time"}
    assert webhook.received[0]["phone"] == "+447911123456"


async def test_when_storing_fails_the_visitor_gets_the_phone_number_not_a_promise(dispatcher, settings, monkeypatch):
    from actions import consultation_form

    monkeypatch.setattr(consultation_form, "store_then_notify", lambda followup: False)
    await ActionSubmitConsultationForm().run(dispatcher, make_tracker(slots=FILLED), {})
    text = dispatcher.messages[0]["text"]
    assert settings.clinic.phone in text and "will contact you" not in text
