"""The same stores on PostgreSQL, configured by nothing but a URL."""

import pytest
from rasa.core.tracker_store import DialogueStateTracker
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from addons.url_sql_tracker_store import URLSQLTrackerStore
from clinic.followups.delivery import deliver_undelivered
from clinic.followups.notifier import Notifier
from clinic.followups.store import ALERT, DELIVERY_DELIVERED, LEAD, WEBHOOK, Followup, FollowupStore
from harness.postgres_server import PostgresServer


@pytest.fixture(scope="module")
def postgres_url():
    server = PostgresServer().start()
    try:
        yield server.url
    finally:
        server.stop()


def test_follow_ups_are_stored_and_queued_on_postgresql(postgres_url):
    store = FollowupStore(postgres_url)
    lead = store.add(Followup(kind=LEAD, conversation_id="pg-1", name="Zoë O'Neil", message="<b>hi</b> 💉"))
    alert = store.add(Followup(kind=ALERT, conversation_id="pg-2"))
    assert [f.id for f in store.undelivered()] == [alert, lead]
    store.record_delivery(alert, DELIVERY_DELIVERED)
    fresh = FollowupStore(postgres_url)
    assert fresh.get(lead).name == "Zoë O'Neil" and fresh.get(lead).message == "<b>hi</b> 💉"
    assert [f.id for f in fresh.undelivered()] == [lead]


def test_on_postgresql_a_row_is_claimed_by_one_sender_and_each_target_notified_once(postgres_url, webhook):
    import threading

    store = FollowupStore(postgres_url)
    row = store.add(Followup(kind=ALERT, conversation_id="pg-race", name="Ana"))
    assert store.claim(row, "a", lease_seconds=300) and not store.claim(row, "b", lease_seconds=300)
    store.release(row, "a")
    start, notifier = threading.Barrier(6), Notifier(webhook_url=webhook.url)

    def sender():
        start.wait()
        deliver_undelivered(store, notifier)

    threads = [threading.Thread(target=sender) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [n["conversation_id"] for n in webhook.received].count("pg-race") == 1
    assert store.deliveries(row)[WEBHOOK].attempts == 1 and store.get(row).claimed_by is None


async def test_conversations_are_kept_in_a_postgresql_tracker_store(postgres_url):
    domain = Domain.empty()
    store = URLSQLTrackerStore(host=postgres_url, domain=domain)
    tracker = DialogueStateTracker.from_events(
        "pg-visitor",
        [ActionExecuted("action_listen"), UserUttered("How long does Botox last?"), BotUttered("About 4 to 6 months.")],
    )
    await store.save(tracker)
    restarted = URLSQLTrackerStore(host=postgres_url, domain=domain)
    again = await restarted.retrieve("pg-visitor")
    assert [e.text for e in again.events if isinstance(e, (UserUttered, BotUttered))] == [
        "How long does Botox last?", "About 4 to 6 months."]
