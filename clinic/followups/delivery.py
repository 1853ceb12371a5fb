"""Delivering staff notifications for stored follow-ups, with retries and backoff.

Whoever sends (the background attempt after storing, the watcher, `make retry-notifications`) first
claims the row with a lease; it then sends only to the targets that do not have the notification yet,
records each target's outcome and the row's summary, and gives the claim back.
"""

import asyncio
import logging
import os
import socket
import uuid
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
    TargetDelivery,
    utcnow,
)
from clinic.settings import Settings, get_settings

logger = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 3600
# Longer than the slowest send (a webhook timeout plus several SMTP steps); a sender that dies
# holds its rows no longer than this.
CLAIM_LEASE_SECONDS = 300
SKIPPED = "skipped"  # another sender holds the row, or has just delivered it
_background_tasks: Set[asyncio.Future] = set()


def retry_delay(attempts_so_far: int) -> timedelta:
    """Exponential backoff: 30 s, 1 min, 2 min, ... capped at one hour."""
    seconds = FIRST_RETRY_SECONDS * (2 ** min(attempts_so_far, 16))
    return timedelta(seconds=min(seconds, MAX_RETRY_SECONDS))


def claimant() -> str:
    """Who is claiming: host, process and a unique part (no personal data)."""
    return f"{socket.gethostname()[:64]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def deliver(store: FollowupStore, notifier: Notifier, followup: Followup, now: Optional[datetime] = None) -> str:
    """Claim one follow-up, notify the targets that do not have it yet, record the outcome, release.

    Returns the row's delivery status, or SKIPPED when someone else holds (or has delivered) it.
    """
    now = now or utcnow()
    owner = claimant()
    if not store.claim(followup.id, owner, CLAIM_LEASE_SECONDS):  # the lease runs from the real now
        return SKIPPED
    try:
        return _deliver_claimed(store, notifier, followup.id, now)
    finally:
        store.release(followup.id, owner)


def _deliver_claimed(store: FollowupStore, notifier: Notifier, followup_id: int, now: datetime) -> str:
    followup = store.get(followup_id)  # as it is now, not as it was listed
    if followup is None:  # erased meanwhile
        return SKIPPED
    targets = notifier.targets
    if not targets:
        store.record_delivery(followup.id, DELIVERY_NO_TARGET, error="no notification target configured")
        return DELIVERY_NO_TARGET
    deliveries: Dict[str, TargetDelivery] = store.deliveries(followup.id)
    errors: List[str] = []
    for target in targets:
        if target in deliveries and deliveries[target].status == DELIVERY_DELIVERED:
            continue  # never sent twice to a target that has it
        try:
            notifier.send_to(target, followup)
        except NotificationError as error:
            store.record_target(followup.id, target, error=str(error))
            errors.append(f"{target}: {error}")
            continue
        store.record_target(followup.id, target)
    if errors:
        next_attempt = now + retry_delay(followup.delivery_attempts)
        store.record_delivery(followup.id, DELIVERY_FAILED, error="; ".join(errors), next_attempt_at=next_attempt)
        logger.warning("Notification for follow-up %s failed: %s", followup.id, "; ".join(errors))
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
    task = asyncio.get_running_loop().run_in_executor(None, _deliver_in_background, store, notifier_for(settings),
                                                      followup)
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    return True


def _deliver_in_background(store: FollowupStore, notifier: Notifier, followup: Followup) -> Optional[str]:
    """The first attempt; a database error here is logged (no personal data) and left to the watcher."""
    try:
        return deliver(store, notifier, followup)
    except Exception as error:  # noqa: BLE001 (nothing may escape into an executor future nobody reads)
        logger.warning("Notifying staff of follow-up %s failed (%s); the notifier will retry",
                       followup.id, describe(error))
        return None


def describe(error: BaseException) -> str:
    """An exception's kind, without its message (a database's message may quote visitors' details)."""
    original = getattr(error, "orig", None)
    return type(error).__name__ + (f" from {type(original).__name__}" if original is not None else "")


def pending_tasks() -> List[asyncio.Future]:
    """Notifications still being sent by this process (tests wait on these)."""
    return list(_background_tasks)
