"""Delivering staff notifications for stored follow-ups, with retries and backoff."""

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Dict, List, Optional, Set

from clinic.followups.notifier import NotificationError, Notifier
from clinic.followups.store import (
    DELIVERY_DELIVERED,
    DELIVERY_FAILED,
    DELIVERY_NO_TARGET,
    Followup,
    FollowupCapReached,
    FollowupStore,
    utcnow,
)
from clinic.settings import Settings, get_settings

logger = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 3600
_background_tasks: Set[asyncio.Future] = set()


def retry_delay(attempts_so_far: int) -> timedelta:
    """Exponential backoff: 30 s, 1 min, 2 min, ... capped at one hour."""
    seconds = FIRST_RETRY_SECONDS * (2 ** min(attempts_so_far, 16))
    return timedelta(seconds=min(seconds, MAX_RETRY_SECONDS))


def deliver(store: FollowupStore, notifier: Notifier, followup: Followup, now: Optional[datetime] = None) -> str:
    """Try to notify staff of one follow-up and record the outcome on its row."""
    now = now or utcnow()
    if not notifier.has_targets:
        store.record_delivery(followup.id, DELIVERY_NO_TARGET, error="no notification target configured")
        return DELIVERY_NO_TARGET
    try:
        notifier.send(followup)
    except NotificationError as error:
        next_attempt = now + retry_delay(followup.delivery_attempts)
        store.record_delivery(followup.id, DELIVERY_FAILED, error=str(error), next_attempt_at=next_attempt)
        logger.warning("Notification for follow-up %s failed: %s", followup.id, error)
        return DELIVERY_FAILED
    store.record_delivery(followup.id, DELIVERY_DELIVERED)
    return DELIVERY_DELIVERED


def deliver_undelivered(
    store: FollowupStore, notifier: Notifier, due_only: bool = False, now: Optional[datetime] = None
) -> Dict[str, int]:
    """Try every follow-up not yet delivered (only those due, with `due_only`); count outcomes.

    Rows stored while no target was configured are sent once one is.
    """
    now = now or utcnow()
    counts: Dict[str, int] = {}
    for followup in store.undelivered(due_by=now if due_only else None, with_no_target=notifier.has_targets):
        outcome = deliver(store, notifier, followup, now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def store_for(settings: Optional[Settings] = None) -> FollowupStore:
    """The configured follow-up store (clinic.database keeps one connection pool per URL)."""
    return FollowupStore((settings or get_settings()).followup_db_url)


def notifier_for(settings: Optional[Settings] = None) -> Notifier:
    """The notifier for the configured targets."""
    settings = settings or get_settings()
    return Notifier(settings.webhook_url, settings.webhook_token, settings.email)


def store_then_notify(followup: Followup, settings: Optional[Settings] = None) -> bool:
    """Store a follow-up, then notify staff in the background.

    Returns False when it could not be stored; the caller then gives the visitor the
    clinic's phone number instead of promising a call back. Raises FollowupCapReached (nothing
    stored, nobody notified) when the conversation or the client address already left clinic.yml's
    `limits` of follow-ups in the last hour: a script cannot flood staff or the SMTP quota.
    """
    settings = settings or get_settings()
    store = store_for(settings)
    # The background attempt below goes first; the --watch retrier picks the row up only if
    # that attempt has not delivered it by then.
    followup.next_attempt_at = followup.created_at + retry_delay(0)
    try:
        store.add(followup, per_conversation=settings.limits.followups_per_conversation_per_hour,
                  per_client=settings.limits.followups_per_address_per_hour)
    except FollowupCapReached:
        logger.warning("Not storing %s for conversation %s: over the hourly cap", followup.kind,
                       followup.conversation_id)
        raise
    except Exception:  # any database failure: the visitor must still get an honest answer
        logger.exception("Could not store %s for conversation %s", followup.kind, followup.conversation_id)
        return False
    task = asyncio.get_running_loop().run_in_executor(None, deliver, store, notifier_for(settings), followup)
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    return True


def pending_tasks() -> List[asyncio.Future]:
    """Notifications still being sent by this process (tests wait on these)."""
    return list(_background_tasks)
