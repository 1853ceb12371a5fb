"""Retention and erasure of visitors' data: conversations, follow-ups and logs.

- `purge(...)` deletes what is older than clinic.yml's `retention_days`: whole conversations whose
  last event is older, follow-ups created before, and rotated log files last written before.
- `erase(...)` removes everything about one visitor (GDPR Art. 17), found by conversation id, phone
  number or e-mail address: their conversations (also those where they only typed the phone number
  or address) and their follow-ups; with `dry_run`, it only reports what it would remove.

Both report what they removed, per kind. The console's own tables (login failures, access log,
review labels) are handled by `python -m console purge|erase`, which calls these too; `make purge`
and `make erase` run it.
"""

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Dict, Iterable, Optional, Set

import sqlalchemy as sa

from clinic.contact_details import check_phone
from clinic.conversations import events
from clinic.database import engine_for
from clinic.followups.store import FollowupStore, delete_followups, followups
from clinic.settings import VAR

LOGS = VAR / "logs"


def cutoff(retention_days: int, now: Optional[datetime] = None) -> datetime:
    """The moment before which data is deleted."""
    return (now or datetime.now(timezone.utc)) - timedelta(days=retention_days)


def purge(tracker_db_url: str, followup_db_url: str, before: datetime, logs: Path = LOGS) -> Dict[str, int]:
    """Delete conversations last active, follow-ups created and log files written before `before`."""
    tracker = engine_for(tracker_db_url)
    with tracker.begin() as conn:
        stale = (sa.select(events.c.sender_id).group_by(events.c.sender_id)
                 .having(sa.func.max(events.c.timestamp) < before.timestamp()))
        senders = [row.sender_id for row in conn.execute(stale)]
        deleted_events = _delete_conversations(conn, senders)
    with FollowupStore(followup_db_url).engine.begin() as conn:
        deleted_followups = delete_followups(conn, followups.c.created_at < before)
    old_logs = [p for p in logs.glob("*.log.*") if p.is_file() and p.stat().st_mtime < before.timestamp()]
    for path in old_logs:
        path.unlink()
    return {"conversations": len(senders), "conversation events": deleted_events,
            "follow-ups": deleted_followups, "log files": len(old_logs)}


def erase(tracker_db_url: str, followup_db_url: str, conversation_id: str = "", phone: str = "", email: str = "",
          phone_region: str = "GB", dry_run: bool = False) -> Dict[str, object]:
    """Remove every conversation and follow-up of one visitor; what was removed, and their conversation ids.

    With `dry_run`, remove nothing and report what would be removed (the console's confirmation step).
    """
    if not (conversation_id or phone or email):
        raise ValueError("Name the visitor: a conversation id, a phone number or an e-mail address.")
    e164 = check_phone(phone, phone_region)[0] if phone else None
    email = email.strip().lower()
    matches = []
    if conversation_id:
        matches.append(followups.c.conversation_id == conversation_id)
    if e164:
        matches.append(followups.c.phone == e164)
    if email:
        matches.append(sa.func.lower(followups.c.email) == email)
    followup_engine = FollowupStore(followup_db_url).engine
    senders: Set[str] = {conversation_id} if conversation_id else set()
    with followup_engine.connect() as conn:
        senders |= {row.conversation_id for row in conn.execute(sa.select(followups.c.conversation_id)
                                                                  .where(sa.or_(*matches)))}
    tracker = engine_for(tracker_db_url)
    with tracker.begin() as conn:
        # Conversations where the visitor typed the number or address without leaving a follow-up.
        for needle in _spellings(phone, e164, email):
            senders |= {row.sender_id for row in conn.execute(
                sa.select(events.c.sender_id).where(events.c.data.contains(needle)).distinct())}
        if dry_run:
            found_events = sum(conn.execute(sa.select(sa.func.count()).select_from(events).where(
                events.c.sender_id.in_(chunk))).scalar_one() for chunk in _chunks(senders))
        else:
            found_events = _delete_conversations(conn, senders)
    with followup_engine.begin() as conn:
        theirs = matches + [followups.c.conversation_id.in_(chunk) for chunk in _chunks(senders)]
        ids = [row.id for row in conn.execute(sa.select(followups.c.id).where(sa.or_(*theirs)))] if theirs else []
        if not dry_run:
            for chunk in _chunks(ids):
                delete_followups(conn, followups.c.id.in_(chunk))
    return {"conversations": len(senders), "conversation events": found_events, "follow-ups": len(ids),
            "conversation ids": sorted(senders)}


def _chunks(values: Iterable, size: int = 500) -> Iterable[list]:
    """Bounded IN lists."""
    values = list(values)
    return [values[start:start + size] for start in range(0, len(values), size)]


def _spellings(phone: str, e164: Optional[str], email: str) -> Iterable[str]:
    """How the visitor may have typed what identifies them (at least 6 characters, to match nothing else)."""
    candidates = {phone.strip(), e164 or "", email}
    if e164 and e164.startswith("+44"):
        candidates.add("0" + e164[3:])  # the national form a UK visitor types
    return sorted(c for c in candidates if len(c) >= 6)


def _delete_conversations(conn, senders: Iterable[str]) -> int:
    return sum(conn.execute(events.delete().where(events.c.sender_id.in_(chunk))).rowcount
               for chunk in _chunks(senders))
