from actions.session import ActionSessionStart
from tests.conftest import make_tracker


async def test_a_session_starts_with_the_notice_and_clinic_details(dispatcher, settings):
    previous = [{"event": "slot", "name": "treatment", "value": "botox"}]
    events = await ActionSessionStart().run(dispatcher, make_tracker(events=previous), {})
    (notice,) = dispatcher.messages
    assert "not medical advice" in notice["text"] and settings.clinic.name in notice["text"]
    assert events[0]["event"] == "session_started" and events[-1]["name"] == "action_listen"
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots == {"treatment": "botox", "clinic_name": settings.clinic.name,
                     "clinic_phone": settings.clinic.phone, "emergency_number": settings.clinic.emergency_number,
                     "welcome_text": settings.widget.welcome_text}
