"""Leads, handoffs and alerts are capped per conversation and per client address each hour."""

import asyncio
from datetime import timedelta

import pytest

from clinic.followups.delivery import pending_tasks, store_then_notify
from clinic.followups.store import ALERT, HANDOFF, LEAD, Followup, FollowupCapReached, utcnow


def followup(conversation="visitor-1", client=None, kind=LEAD, created_at=None) -> Followup:
    return Followup(kind=kind, conversation_id=conversation, name="Ana", phone="+447911123456", client=client,
                    created_at=created_at or utcnow())


async def test_past_the_conversation_cap_nothing_is_stored_and_staff_are_not_notified(settings, store, webhook):
    cap = settings.limits.followups_per_conversation_per_hour
    assert cap == 3  # clinic.yml
    for kind in (LEAD, HANDOFF, ALERT):  # every kind counts
        assert store_then_notify(followup(kind=kind))
    with pytest.raises(FollowupCapReached):
        store_then_notify(followup(kind=ALERT))
    await asyncio.gather(*pending_tasks())
    assert len(store.for_conversation("visitor-1")) == cap and len(webhook.received) == cap
    assert store_then_notify(followup("visitor-2"))  # another conversation is not affected


async def test_past_the_address_cap_new_conversations_store_nothing(settings, store, webhook):
    cap = settings.limits.followups_per_address_per_hour
    for n in range(cap):
        assert store_then_notify(followup(f"visitor-{n}", client="address-a"))
    with pytest.raises(FollowupCapReached):
        store_then_notify(followup("visitor-new", client="address-a"))
    assert store_then_notify(followup("visitor-other", client="address-b"))
    await asyncio.gather(*pending_tasks())
    assert len(store.all()) == cap + 1 and len(webhook.received) == cap + 1


def test_the_cap_counts_only_the_last_hour(store):
    earlier = utcnow() - timedelta(hours=1, minutes=1)
    for _ in range(3):
        store.add(followup(client="address-a", created_at=earlier), per_conversation=3, per_client=3)
    store.add(followup(client="address-a"), per_conversation=3, per_client=3)
    assert len(store.all()) == 4


def test_a_zero_cap_is_no_cap(store):
    for _ in range(5):
        store.add(followup(client="address-a"), per_conversation=0, per_client=0)
    assert len(store.all()) == 5
