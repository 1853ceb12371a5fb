"""One part fails while visitors are talking: what they see, what is stored, and the recovery.

Each test starts a load through nginx, breaks one part once the conversations are under way, brings
it back, and checks what a visitor or the clinic would notice. Each adds a row to the fault table
printed at the end (tests/prod/conftest.py).
"""

import asyncio
import time
from collections import Counter

from clinic.followups.store import DELIVERY_DELIVERED
from clinic.settings import get_settings
from harness.load_client import make_visitors, run_visitors, turns_done
from harness.tracker_events import mismatches, stored_utterances
from tests.prod.conftest import FAULT_ROWS

VISITORS = 8
CLINIC = get_settings().clinic
COMPLICATION = "I had filler yesterday and now my lip is turning white"
DEADLINE_SECONDS = 120


async def until(condition, seconds: float = DEADLINE_SECONDS, what: str = "condition") -> None:
    """Poll `condition` until it holds; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.2)


async def load_with_fault(stack, prefix: str, break_after_turns: int, fault, retries: int = 1,
                          visitors: int = VISITORS):
    """Run a load; once `break_after_turns` turns are done, run `fault` (a coroutine) beside it."""
    crowd = make_visitors(visitors, prefix)
    load = asyncio.ensure_future(run_visitors(stack.url, crowd, retries=retries))
    await until(lambda: turns_done(crowd) >= break_after_turns or load.done(), what="the load to get going")
    await fault()
    await load
    return crowd


def turns(crowd):
    return [turn for visitor in crowd for turn in visitor.turns]


def unanswered(crowd):
    return [(v.sender, t.message, t.error) for v in crowd for t in v.turns if not t.answered]


def leads_of(followups, crowd):
    senders = {visitor.sender for visitor in crowd}
    return [lead for lead in followups.all("lead") if lead.conversation_id in senders]


def ensure_running(*parts) -> None:
    for part in parts:
        if not part.running:
            part.start()


async def test_a_rasa_replica_killed_mid_load_the_other_answers_and_nothing_is_lost(stack, tracker_db):
    # The replica stopped for the one-replica figures is started again in the background.
    await asyncio.to_thread(stack.replicas_serving)
    victim = stack.replicas[0]

    async def kill():
        await asyncio.to_thread(victim.kill)

    try:
        crowd = await load_with_fault(stack, "kill", 2 * VISITORS, kill)
    finally:
        victim.start(wait=False)
    retried = [t for t in turns(crowd) if t.attempts > 1]
    FAULT_ROWS.append((
        "a) kill -9 one of 2 Rasa replicas",
        f"{len(turns(crowd))} turns, {len(unanswered(crowd))} unanswered; {len(retried)} sent again once "
        "(nginx answered 502 for the message in flight)",
        f"mismatches with what visitors saw: {len(mismatches(tracker_db, crowd))}",
        "the other replica carried on"))
    assert unanswered(crowd) == [], unanswered(crowd)
    assert mismatches(tracker_db, crowd) == [], mismatches(tracker_db, crowd)
    assert not any(t.polite_fallback for t in turns(crowd))


async def test_b_action_server_stopped_every_turn_is_answered_and_urgent_advice_still_given(
        stack, tracker_db, followups):
    complication = {}

    async def stop_actions():
        await asyncio.to_thread(stack.actions.stop)
        crowd = make_visitors(1, "urgent")
        crowd[0].messages = [COMPLICATION]
        await run_visitors(stack.url, crowd, retries=0)
        complication["reply"] = " ".join(crowd[0].turns[0].replies)
        await asyncio.sleep(3)  # a few more turns of the load meet the outage

    try:
        crowd = await load_with_fault(stack, "noactions", 2 * VISITORS, stop_actions, retries=0)
    finally:
        ensure_running(stack.actions)
    after = make_visitors(1, "actions-back")
    await run_visitors(stack.url, after, retries=0)

    polite = [t for t in turns(crowd) if t.polite_fallback]
    FAULT_ROWS.append((
        "b) action server stopped",
        f"{len(turns(crowd))} turns all answered, {len(polite)} with \"can't answer right now, call us\"; "
        "complication report: urgent advice with phone and emergency number",
        f"conversations as seen: {VISITORS - len(mismatches(tracker_db, crowd))}/{VISITORS}; "
        f"after restart a booking stored ({len(leads_of(followups, after))} lead)",
        "graceful; bookings work again after restart"))
    assert unanswered(crowd) == [], unanswered(crowd)
    assert polite, "the outage was not noticed: stop the action server earlier"
    assert CLINIC.phone in complication["reply"] and CLINIC.emergency_number in complication["reply"]
    assert mismatches(tracker_db, crowd) == [], mismatches(tracker_db, crowd)
    assert after[0].told_staff_will_call and len(leads_of(followups, after)) == 1


async def test_c_postgresql_stopped_during_bookings_nobody_is_promised_a_call_that_is_not_stored(
        stack, tracker_db, followups):
    async def stop_postgres():
        await asyncio.to_thread(stack.postgres.halt)
        await asyncio.sleep(6)
        await asyncio.to_thread(stack.postgres.start)

    # Turns 5 to 9 of each conversation are the booking: break it about then.
    crowd = await load_with_fault(stack, "nopg", 5 * VISITORS, stop_postgres, retries=0)
    after = make_visitors(1, "pg-back")
    await run_visitors(stack.url, after, retries=0)
    promised = [v.sender for v in crowd if v.told_staff_will_call]
    stored = {lead.conversation_id for lead in leads_of(followups, crowd)}
    stored_messages = sum(1 for v in crowd for kind, _ in stored_utterances(tracker_db, v.sender) if kind == "user")
    FAULT_ROWS.append((
        "c) PostgreSQL stopped for 6 s during bookings",
        f"{len(turns(crowd))} turns, {len(unanswered(crowd))} unanswered, "
        f"{sum(t.polite_fallback for t in turns(crowd))} \"can't answer right now\"; "
        f"{len(promised)}/{VISITORS} told staff will call",
        f"{len(stored)} leads stored; {len(turns(crowd)) - stored_messages} visitor messages of the outage not in "
        "the tracker store (Rasa keeps them in memory only)",
        "every promised call has its lead; the first booking after the restart is stored"))
    assert unanswered(crowd) == [], unanswered(crowd)
    assert set(promised) <= stored
    assert after[0].told_staff_will_call and len(leads_of(followups, after)) == 1, after[0].turns
    for visitor in crowd:
        users = [text for kind, text in stored_utterances(tracker_db, visitor.sender) if kind == "user"]
        assert len(users) == len(set(users)), f"{visitor.sender}: a message stored twice"
        sent = [t.message for t in visitor.turns]
        assert users == [m for m in sent if m in users], f"{visitor.sender}: stored out of order"


async def test_d_redis_stopped_visitors_get_a_polite_reply_nothing_is_corrupted_and_it_recovers(
        stack, tracker_db):
    async def stop_redis():
        await asyncio.to_thread(stack.redis.stop)
        await asyncio.sleep(4)
        await asyncio.to_thread(stack.redis.start)

    try:
        crowd = await load_with_fault(stack, "noredis", 2 * VISITORS, stop_redis, retries=0)
    finally:
        ensure_running(stack.redis)
    after = make_visitors(2, "redis-back")
    await run_visitors(stack.url, after, retries=0)
    polite = [t for t in turns(crowd) if t.polite_fallback]
    FAULT_ROWS.append((
        "d) Redis (lock store) stopped for 4 s",
        f"{len(turns(crowd))} turns all answered, {len(polite)} with \"can't answer right now\" "
        "(Rasa's lock store raised LockError)",
        f"conversations in order, none duplicated: {VISITORS - len(mismatches(tracker_db, crowd))}/{VISITORS}",
        "recovered: new conversations answered normally"))
    assert unanswered(crowd) == [], unanswered(crowd)
    assert polite, "the outage was not noticed: stop Redis earlier"
    assert mismatches(tracker_db, crowd) == [], mismatches(tracker_db, crowd)
    assert unanswered(after) == [] and not any(t.polite_fallback for t in turns(after))


async def test_e_staff_webhook_down_then_back_each_follow_up_is_delivered_exactly_once(stack, followups):
    stack.webhook.failing = True

    async def recover():
        await asyncio.sleep(2)
        stack.webhook.failing = False

    try:
        crowd = await load_with_fault(stack, "nohook", 9 * VISITORS, recover)
    finally:
        stack.webhook.failing = False
    leads = leads_of(followups, crowd)
    ids = {lead.id for lead in leads}
    await until(lambda: all(followups.get(i).delivery_status == DELIVERY_DELIVERED for i in ids),
                what="the notifier to deliver every lead")
    deliveries = Counter(n["id"] for n in stack.webhook.received if n["id"] in ids)
    failed_first = len([lead for lead in leads if lead.delivery_attempts])
    FAULT_ROWS.append((
        "e) staff webhook answering 500, then back",
        f"{sum(v.told_staff_will_call for v in crowd)}/{VISITORS} told staff will call",
        f"{len(leads)} leads; {failed_first} needed the notifier's retry (--watch)",
        f"each delivered exactly once: {sorted(set(deliveries.values()))}"))
    assert len(leads) == VISITORS and all(v.told_staff_will_call for v in crowd)
    assert set(deliveries) == ids and set(deliveries.values()) == {1}
