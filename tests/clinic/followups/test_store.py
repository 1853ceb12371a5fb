from datetime import timedelta

import sqlalchemy as sa

from clinic.database import add_missing_columns
from clinic.followups.store import (
    ALERT,
    DELIVERY_DELIVERED,
    DELIVERY_FAILED,
    DELIVERY_PENDING,
    EMAIL,
    HANDOFF,
    LEAD,
    WEBHOOK,
    Followup,
    FollowupStore,
    delete_followups,
    followups,
    metadata,
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


def test_each_target_keeps_its_own_outcome_and_attempts(store):
    row = store.add(lead())
    store.record_target(row, WEBHOOK)
    store.record_target(row, EMAIL, error="451 Try again later")
    store.record_target(row, EMAIL, error="451 Try again later")
    deliveries = store.deliveries(row)
    assert (deliveries[WEBHOOK].status, deliveries[WEBHOOK].attempts) == (DELIVERY_DELIVERED, 1)
    assert deliveries[WEBHOOK].delivered_at.tzinfo is not None
    assert (deliveries[EMAIL].status, deliveries[EMAIL].attempts, deliveries[EMAIL].last_error) == (
        DELIVERY_FAILED, 2, "451 Try again later")


def test_a_claim_is_exclusive_until_released_or_expired(store):
    row = store.add(lead())
    assert store.claim(row, "a", lease_seconds=300)
    assert not store.claim(row, "b", lease_seconds=300)
    assert store.get(row).claimed_by == "a"
    store.release(row, "a")
    assert store.claim(row, "b", lease_seconds=300, now=utcnow() - timedelta(seconds=400))  # lease already over
    assert store.claim(row, "c", lease_seconds=300)


def test_deleting_follow_ups_deletes_their_deliveries_so_a_reused_id_starts_afresh(store):
    row = store.add(lead())
    store.record_target(row, WEBHOOK)
    with store.engine.begin() as conn:
        assert delete_followups(conn, followups.c.id == row) == 1
    again = store.add(lead())  # SQLite may hand out the same id again
    assert store.deliveries(again) == {}


def test_a_database_made_before_per_target_delivery_gets_the_new_columns(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = sa.create_engine(url)
    with old.begin() as conn:  # the follow-ups table as the first release made it
        conn.execute(sa.text(
            "CREATE TABLE followups (id INTEGER PRIMARY KEY, kind VARCHAR(16) NOT NULL, conversation_id VARCHAR(255)"
            " NOT NULL, created_at DATETIME NOT NULL, name VARCHAR(255), phone VARCHAR(64), email VARCHAR(320),"
            " preferred_time TEXT, treatment VARCHAR(32), message TEXT, status VARCHAR(16) NOT NULL,"
            " status_changed_by VARCHAR(255), status_changed_at DATETIME, delivery_status VARCHAR(16) NOT NULL,"
            " delivery_attempts INTEGER NOT NULL, last_delivery_error TEXT, next_attempt_at DATETIME,"
            " delivered_at DATETIME)"))
        conn.execute(sa.text(
            "INSERT INTO followups (kind, conversation_id, created_at, name, status, delivery_status,"
            " delivery_attempts) VALUES ('lead', 'v-old', '2026-01-01 10:00:00', 'Ana', 'new', 'failed', 1)"))
    old.dispose()
    store = FollowupStore(url)
    (waiting,) = store.undelivered()
    assert waiting.name == "Ana" and waiting.claimed_until is None
    assert store.claim(waiting.id, "watcher", lease_seconds=60)
    assert add_missing_columns(store.engine, metadata) == []  # a second time: nothing to do
