from datetime import timedelta

from clinic.followups.store import (
    ALERT,
    DELIVERY_DELIVERED,
    DELIVERY_FAILED,
    DELIVERY_PENDING,
    HANDOFF,
    LEAD,
    Followup,
    FollowupStore,
    utcnow,
)


def lead(**overrides) -> Followup:
    fields = dict(kind=LEAD, conversation_id="visitor-1", name="Sarah Jones", phone="+447911123456",
                  email="sarah@example.com", preferred_time="weekday mornings", treatment="filler")
    return Followup(**{**fields, **overrides})


def test_a_stored_lead_keeps_every_field(store):
    stored_id = store.add(lead())
    again = FollowupStore(store.url).get(stored_id)  # a fresh connection: it really is on disk
    assert (again.kind, again.name, again.phone, again.email, again.preferred_time, again.treatment) == (
        LEAD, "Sarah Jones", "+447911123456", "sarah@example.com", "weekday mornings", "filler")
    assert again.conversation_id == "visitor-1" and again.status == "new"
    assert again.delivery_status == DELIVERY_PENDING and again.created_at.tzinfo is not None


def test_visitor_text_of_any_kind_is_stored_unchanged(store):
    strange = "<script>alert(1)</script> 💉 日本語 \u202e" + "x" * 20000
    stored_id = store.add(Followup(kind=ALERT, conversation_id="v", message=strange))
    assert store.get(stored_id).message == strange


def test_undelivered_lists_urgent_alerts_first(store):
    first_lead = store.add(lead())
    handoff = store.add(Followup(kind=HANDOFF, conversation_id="v2"))
    alert = store.add(Followup(kind=ALERT, conversation_id="v3"))
    assert [f.id for f in store.undelivered()] == [alert, handoff, first_lead]


def test_delivered_rows_leave_the_queue_and_failed_ones_wait_for_their_time(store):
    delivered = store.add(lead())
    failed = store.add(lead(conversation_id="v2"))
    store.record_delivery(delivered, DELIVERY_DELIVERED)
    later = utcnow() + timedelta(minutes=5)
    store.record_delivery(failed, DELIVERY_FAILED, error="HTTP 500", next_attempt_at=later)
    assert [f.id for f in store.undelivered()] == [failed]
    assert store.undelivered(due_by=utcnow()) == []
    assert [f.id for f in store.undelivered(due_by=later + timedelta(seconds=1))] == [failed]
    row = store.get(failed)
    assert (row.delivery_attempts, row.last_delivery_error) == (1, "HTTP 500")
    assert store.get(delivered).delivered_at is not None
