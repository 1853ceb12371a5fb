from pathlib import Path

import yaml

from actions.session import CARRIED_OVER_SLOTS, ActionSessionStart, carries_over_slots
from clinic.clinic_details import clinic_details
from tests.conftest import make_tracker

DOMAIN = Path(__file__).resolve().parents[2] / "domain"


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


ABANDONED_BOOKING = [
    {"event": "slot", "name": "treatment", "value": "filler"},
    {"event": "slot", "name": "faq_topic", "value": "ask_duration"},
    {"event": "slot", "name": "visitor_name", "value": "Sarah Jones"},
    {"event": "slot", "name": "phone", "value": "+447911123456"},
    {"event": "slot", "name": "email", "value": "sarah@example.com"},
    {"event": "slot", "name": "requested_slot", "value": "preferred_time"},
    {"event": "slot", "name": "treatment", "value": "botox"},  # the latest value is the one kept
]


def slots_set(events):
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


async def test_only_the_treatment_and_the_name_carry_over_not_an_abandoned_forms_details(dispatcher, settings):
    domain = {"session_config": {"carry_over_slots_to_new_session": True}}
    events = await ActionSessionStart().run(dispatcher, make_tracker(events=ABANDONED_BOOKING), domain)
    carried = {k: v for k, v in slots_set(events).items() if k not in clinic_details(settings)}
    assert carried == {"treatment": "botox", "visitor_name": "Sarah Jones"}


async def test_a_name_never_given_is_not_carried_over(dispatcher, settings):
    previous = [{"event": "slot", "name": "visitor_name", "value": None}]
    events = await ActionSessionStart().run(dispatcher, make_tracker(events=previous), {})
    assert "visitor_name" not in slots_set(events)


async def test_the_domain_can_turn_carrying_over_off(dispatcher, settings):
    domain = {"session_config": {"carry_over_slots_to_new_session": False}}
    events = await ActionSessionStart().run(dispatcher, make_tracker(events=ABANDONED_BOOKING), domain)
    assert set(slots_set(events)) == set(clinic_details(settings))


def test_the_domain_keeps_carrying_over_on_and_the_list_names_real_slots():
    domain = {}
    for path in DOMAIN.glob("*.yml"):
        part = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        domain.setdefault("slots", {}).update(part.get("slots") or {})
        domain.update({k: v for k, v in part.items() if k == "session_config"})
    assert carries_over_slots(domain)
    assert set(CARRIED_OVER_SLOTS) <= set(domain["slots"])
