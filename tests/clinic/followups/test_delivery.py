import asyncio
import logging
import threading
import time
from datetime import timedelta

import sqlalchemy as sa

from clinic.followups.__main__ import main as retry_command
from clinic.followups.__main__ import watch
from clinic.followups.delivery import (
    SKIPPED,
    deliver_undelivered,
    notifier_for,
    pending_tasks,
    retry_delay,
    store_then_notify,
)
from clinic.followups.notifier import Notifier
from clinic.followups.store import (
    DELIVERY_DELIVERED,
    DELIVERY_FAILED,
    DELIVERY_NO_TARGET,
    EMAIL,
    LEAD,
    WEBHOOK,
    Followup,
    utcnow,
)
from clinic.settings import EmailSettings


def a_lead() -> Followup:
    return Followup(kind=LEAD, conversation_id="visitor-9", name="Ana", phone="+447911123456", email="a@example.com")


def test_backoff_doubles_and_is_capped():
    assert [retry_delay(n).total_seconds() for n in range(4)] == [30, 60, 120, 240]
    assert retry_delay(50).total_seconds() == 3600


async def test_a_lead_is_stored_then_staff_are_notified(settings, store, webhook):
    assert store_then_notify(a_lead(), settings)
    await asyncio.gather(*pending_tasks())
    (row,) = store.all()
    assert row.delivery_status == DELIVERY_DELIVERED
    (notification,) = webhook.received
    assert (notification["kind"], notification["conversation_id"], notification["name"]) == ("lead", "visitor-9", "Ana")


async def test_a_failed_notification_keeps_the_lead_and_a_retry_delivers_it(settings, store, webhook, capsys):
    webhook.failing = True
    assert store_then_notify(a_lead(), settings)
    await asyncio.gather(*pending_tasks())
    (row,) = store.all()
    assert row.delivery_status == DELIVERY_FAILED and "500" in row.last_delivery_error
    assert row.next_attempt_at > row.created_at

    webhook.failing = False
    retry_command([])  # the command staff or cron can run any time
    assert "delivered 1" in capsys.readouterr().out
    (row,) = store.all()
    assert row.delivery_status == DELIVERY_DELIVERED and row.delivery_attempts == 2
    assert [n["name"] for n in webhook.received] == ["Ana"]


async def test_an_unreachable_target_is_a_failure_not_a_crash(settings, store):
    store.add(a_lead())
    unreachable = Notifier(webhook_url="http://127.0.0.1:9/nothing-listens-here")
    assert deliver_undelivered(store, unreachable) == {DELIVERY_FAILED: 1}
    assert store.all()[0].delivery_status == DELIVERY_FAILED


def test_without_targets_the_lead_is_kept_and_marked(settings, store):
    store.add(a_lead())
    assert deliver_undelivered(store, Notifier()) == {DELIVERY_NO_TARGET: 1}
    assert store.all()[0].delivery_status == DELIVERY_NO_TARGET


def test_a_lead_kept_without_targets_is_sent_once_a_target_exists(settings, store, webhook):
    store.add(a_lead())
    deliver_undelivered(store, Notifier())
    assert deliver_undelivered(store, Notifier(webhook_url=webhook.url)) == {DELIVERY_DELIVERED: 1}
    assert deliver_undelivered(store, Notifier(webhook_url=webhook.url)) == {}
    assert [n["name"] for n in webhook.received] == ["Ana"]


async def test_when_the_database_is_down_nothing_is_promised(monkeypatch, tmp_path):
    from clinic import settings as settings_module

    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("FOLLOWUP_DB_URL", f"sqlite:///{tmp_path}/a-file/followups.db")
    settings_module.get_settings.cache_clear()
    try:
        assert store_then_notify(a_lead()) is False
    finally:
        settings_module.get_settings.cache_clear()


def test_the_notifier_uses_the_configured_webhook(settings, webhook):
    assert notifier_for(settings).webhook_url == webhook.url


# --- Each target gets a notification once: per-target delivery, claims, idempotency keys ---------

def webhook_and_email(webhook, port) -> Notifier:
    email = EmailSettings(to=["frontdesk@example.com"], from_address="bot@example.com", smtp_host="127.0.0.1",
                          smtp_port=port, starttls=False)
    return Notifier(webhook_url=webhook.url, email=email)


def test_when_only_email_fails_retries_send_the_email_and_never_the_webhook_again(store, webhook, smtp_inbox):
    inbox, port = smtp_inbox
    inbox.failing = True
    notifier = webhook_and_email(webhook, port)
    lead_id = store.add(a_lead())
    assert deliver_undelivered(store, notifier) == {DELIVERY_FAILED: 1}
    assert deliver_undelivered(store, notifier) == {DELIVERY_FAILED: 1}  # two retries
    assert deliver_undelivered(store, notifier) == {DELIVERY_FAILED: 1}
    assert webhook.attempts == 1 and [n["name"] for n in webhook.received] == ["Ana"]
    assert inbox.attempts == 3 and inbox.messages == []
    deliveries = store.deliveries(lead_id)
    assert (deliveries[WEBHOOK].status, deliveries[WEBHOOK].attempts) == (DELIVERY_DELIVERED, 1)
    assert (deliveries[EMAIL].status, deliveries[EMAIL].attempts) == (DELIVERY_FAILED, 3)
    row = store.get(lead_id)  # the summary the console shows
    assert row.delivery_status == DELIVERY_FAILED and row.delivery_attempts == 3
    assert row.last_delivery_error.startswith("email:") and "webhook" not in row.last_delivery_error

    inbox.failing = False
    assert deliver_undelivered(store, notifier) == {DELIVERY_DELIVERED: 1}
    assert deliver_undelivered(store, notifier) == {}
    assert webhook.attempts == 1 and len(inbox.messages) == 1
    row = store.get(lead_id)
    assert (row.delivery_status, row.last_delivery_error, row.claimed_by) == (DELIVERY_DELIVERED, None, None)
    assert store.deliveries(lead_id)[EMAIL].delivered_at is not None


def test_a_row_claimed_by_another_sender_is_not_sent_until_its_lease_ends(store, webhook):
    lead_id = store.add(a_lead())
    notifier = Notifier(webhook_url=webhook.url)
    assert store.claim(lead_id, "watcher", lease_seconds=300)
    assert not store.claim(lead_id, "cron", lease_seconds=300)
    assert deliver_undelivered(store, notifier) == {SKIPPED: 1}
    assert webhook.attempts == 0
    store.release(lead_id, "cron")  # not its claim: nothing happens
    assert deliver_undelivered(store, notifier) == {SKIPPED: 1}

    # The watcher died holding it: once the lease has run out, someone else sends it, once.
    store.release(lead_id, "watcher")
    assert store.claim(lead_id, "dead watcher", lease_seconds=60, now=utcnow() - timedelta(seconds=120))
    assert deliver_undelivered(store, notifier) == {DELIVERY_DELIVERED: 1}
    assert not store.claim(lead_id, "late", lease_seconds=300)  # delivered rows are never claimed again
    assert [n["name"] for n in webhook.received] == ["Ana"]


class SlowNotifier(Notifier):
    """Takes its time, so that every racing sender is in flight at once."""

    def send_to(self, target, followup):
        time.sleep(0.3)
        super().send_to(target, followup)


def test_senders_racing_for_the_same_row_notify_staff_once(store, webhook):
    store.add(a_lead())
    notifier = SlowNotifier(webhook_url=webhook.url)
    start = threading.Barrier(6)
    outcomes = []

    def sender():
        start.wait()
        outcomes.append(deliver_undelivered(store, notifier))

    threads = [threading.Thread(target=sender) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert webhook.attempts == 1 and [n["name"] for n in webhook.received] == ["Ana"]
    assert sorted(o.get(DELIVERY_DELIVERED, 0) for o in outcomes) == [0, 0, 0, 0, 0, 1]


async def test_the_background_attempt_and_the_watcher_notify_staff_once(settings, store, webhook):
    assert store_then_notify(a_lead(), settings)
    due = utcnow() + timedelta(hours=1)
    deliver_undelivered(store, notifier_for(settings), due_only=True, now=due)  # the watcher, at once
    await asyncio.gather(*pending_tasks())
    deliver_undelivered(store, notifier_for(settings), due_only=True, now=due)
    assert webhook.attempts == 1 and store.all()[0].delivery_status == DELIVERY_DELIVERED


def test_the_webhook_gets_an_idempotency_key_that_every_retry_repeats(store, webhook):
    lead_id = store.add(a_lead())
    notifier = Notifier(webhook_url=webhook.url)
    webhook.failing = True
    deliver_undelivered(store, notifier)
    deliver_undelivered(store, notifier)
    webhook.failing = False
    deliver_undelivered(store, notifier)
    assert webhook.idempotency_keys == [f"{lead_id}-webhook"] * 3
    assert webhook.received[0]["idempotency_key"] == f"{lead_id}-webhook"


def test_the_watcher_survives_a_database_error_without_logging_personal_data(store, webhook, monkeypatch, caplog):
    store.add(a_lead())
    real_undelivered = store.undelivered
    failures = []

    def undelivered_failing_once(**kwargs):
        if not failures:
            failures.append(1)
            raise sa.exc.OperationalError("SELECT ...", {"name": "Ana"}, Exception("database is locked: Ana"))
        return real_undelivered(**kwargs)

    monkeypatch.setattr(store, "undelivered", undelivered_failing_once)
    naps = []
    with caplog.at_level(logging.INFO):
        watch(store, Notifier(webhook_url=webhook.url), 5, rounds=2, sleep=naps.append)
    assert failures and naps == [5]
    assert [n["name"] for n in webhook.received] == ["Ana"]  # the next round sent it
    assert "OperationalError" in caplog.text and "Ana" not in caplog.text
