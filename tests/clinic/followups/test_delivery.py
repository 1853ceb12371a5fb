import asyncio

from clinic.followups.__main__ import main as retry_command
from clinic.followups.delivery import deliver_undelivered, notifier_for, pending_tasks, retry_delay, store_then_notify
from clinic.followups.notifier import Notifier
from clinic.followups.store import DELIVERY_DELIVERED, DELIVERY_FAILED, DELIVERY_NO_TARGET, LEAD, Followup


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
