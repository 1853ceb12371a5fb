import asyncio
import types

import pytest
import rasa.core.lock
from rasa.core.lock_store import InMemoryLockStore

from addons.redis_lock_store import ReissuingTickets


class ReissuingInMemoryLockStore(ReissuingTickets, InMemoryLockStore):
    """The same waiting, on Rasa's in-memory storage instead of Redis."""


@pytest.fixture
def clock(monkeypatch):
    """Rasa's lock tickets read this clock; each sleep of the waiter moves it on (a little more than asked,
    as real waiting does)."""
    now = {"t": 1000.0}
    real_sleep = asyncio.sleep

    async def sleep(seconds):
        now["t"] += seconds + 0.001
        await real_sleep(0)

    monkeypatch.setattr(rasa.core.lock, "time", types.SimpleNamespace(time=lambda: now["t"]))
    monkeypatch.setattr(asyncio, "sleep", sleep)
    return now


async def wait_for_lock(store, conversation_id):
    """True once the message got the conversation's lock (a TimeoutError if it still waits 10 s later)."""
    async def hold():
        async with store.lock(conversation_id, lock_lifetime=60):
            return True

    return await asyncio.wait_for(hold(), timeout=10)


async def test_a_message_behind_a_dead_replicas_ticket_is_handled_once_that_ticket_expires(clock):
    store = ReissuingInMemoryLockStore()
    store.issue_ticket("visitor", 60)  # a replica took the lock and died: never released
    clock["t"] += 0.4  # the visitor's retry reaches another replica: its ticket expires 0.4 s later
    # Both tickets have expired by the check after the dead one's: Rasa's own lock store waits forever.
    assert await wait_for_lock(store, "visitor")
    assert clock["t"] > 1060


async def test_after_a_reissued_ticket_the_visitors_next_message_does_not_wait(clock):
    store = ReissuingInMemoryLockStore()
    store.issue_ticket("visitor", 60)
    clock["t"] += 0.4
    await wait_for_lock(store, "visitor")
    handled_at = clock["t"]
    await wait_for_lock(store, "visitor")
    assert clock["t"] == handled_at and store.get_lock("visitor") is None


async def test_messages_of_one_conversation_still_go_one_at_a_time(clock):
    store = ReissuingInMemoryLockStore()
    order = []

    async def message(name, hold_seconds):
        async with store.lock("visitor", lock_lifetime=60):
            order.append(f"{name} starts")
            await asyncio.sleep(hold_seconds)
            order.append(f"{name} ends")

    await asyncio.gather(message("first", 3), message("second", 0))
    assert order == ["first starts", "first ends", "second starts", "second ends"]
