import asyncio

from actions.adverse import ActionReportAdverseReaction
from actions.handoff import ActionRequestHuman
from clinic.followups.delivery import pending_tasks
from tests.conftest import make_tracker


async def test_a_complication_alerts_staff_and_says_so(dispatcher, settings, store, webhook):
    text = "my lip is swollen and going blue after filler yesterday"
    tracker = make_tracker(text, "report_adverse_reaction", slots={"treatment": "filler"}, sender_id="v-7")
    await ActionReportAdverseReaction().run(dispatcher, tracker, {})
    await asyncio.gather(*pending_tasks())
    (alerted,) = dispatcher.messages
    assert "alerted" in alerted["text"]
    (alert,) = store.all()
    assert (alert.kind, alert.conversation_id, alert.message, alert.treatment) == ("alert", "v-7", text, "filler")
    assert webhook.received[0]["kind"] == "alert"


async def test_without_a_notification_target_the_visitor_is_not_told_staff_were_alerted(
    dispatcher, settings, store, monkeypatch
):
    from clinic import settings as settings_module

    monkeypatch.delenv("NOTIFY_WEBHOOK_URL")
    settings_module.get_settings.cache_clear()
    await ActionReportAdverseReaction().run(dispatcher, make_tracker("help", "report_adverse_reaction"), {})
    (reply,) = dispatcher.messages
    assert "alerted" not in reply["text"] and settings.clinic.phone in reply["text"]
    assert store.all()[0].kind == "alert"


async def test_when_the_alert_cannot_be_stored_the_visitor_is_asked_to_call(dispatcher, settings, monkeypatch):
    from actions import adverse

    monkeypatch.setattr(adverse, "store_then_notify", lambda followup: False)
    await ActionReportAdverseReaction().run(dispatcher, make_tracker("help", "report_adverse_reaction"), {})
    (reply,) = dispatcher.messages
    assert settings.clinic.phone in reply["text"] and "alerted" not in reply["text"]


async def test_asking_for_a_person_records_a_handoff_and_says_when_staff_are_in(dispatcher, settings, store):
    tracker = make_tracker("can I talk to a real person", "request_human", sender_id="v-8")
    await ActionRequestHuman().run(dispatcher, tracker, {})
    await asyncio.gather(*pending_tasks())
    (handoff,) = store.all()
    assert (handoff.kind, handoff.conversation_id) == ("handoff", "v-8")
    text = dispatcher.messages[0]["text"]
    assert "Our team is" in text and settings.clinic.phone in text and "passed your request" in text
