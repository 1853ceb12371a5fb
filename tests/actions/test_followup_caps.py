"""Past the hourly cap, a visitor is asked to call, and staff get no new row or notification."""

import asyncio

from actions.adverse import ActionReportAdverseReaction
from actions.consultation_form import ActionSubmitConsultationForm
from actions.handoff import ActionRequestHuman
from clinic.followups.delivery import pending_tasks
from rasa_sdk.executor import CollectingDispatcher
from tests.conftest import make_tracker

FILLED = {"visitor_name": "Ana", "phone": "+447911123456", "email": "ana@example.com", "preferred_time": "Friday"}


async def reply(action, tracker) -> str:
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker, {})
    await asyncio.gather(*pending_tasks())
    return " ".join(m["text"] for m in dispatcher.messages)


async def test_one_conversation_past_its_cap_is_asked_to_call(settings, store, webhook):
    tracker = make_tracker("can I talk to someone", "request_human", slots=FILLED, sender_id="v-1")
    for action in (ActionSubmitConsultationForm(), ActionRequestHuman(), ActionReportAdverseReaction()):
        assert "haven't sent another" not in await reply(action, tracker)
    for action in (ActionSubmitConsultationForm(), ActionRequestHuman(), ActionReportAdverseReaction()):
        text = await reply(action, tracker)
        assert "haven't sent another" in text and settings.clinic.phone in text
        assert "will contact you" not in text and "alerted" not in text
    assert len(store.all()) == 3 and len(webhook.received) == 3


async def test_one_address_past_its_cap_is_asked_to_call_in_a_new_conversation(settings, store, webhook):
    cap = settings.limits.followups_per_address_per_hour
    same_address = {"clinic_client": "0123abcd"}
    for n in range(cap):
        await reply(ActionRequestHuman(), make_tracker("human please", sender_id=f"v-{n}", metadata=same_address))
    text = await reply(ActionRequestHuman(), make_tracker("human please", sender_id="v-new", metadata=same_address))
    assert "haven't sent another" in text and settings.clinic.phone in text
    other = await reply(ActionRequestHuman(), make_tracker("human please", sender_id="v-x",
                                                           metadata={"clinic_client": "99ff"}))
    assert "haven't sent another" not in other
    assert len(store.all()) == cap + 1 and len(webhook.received) == cap + 1
