"""Leads, handoff requests and urgent alerts: stored first, then notified to staff.

Three tables, in SQLite by default (FOLLOWUP_DB_URL switches to PostgreSQL):

- `followups`: one row per follow-up, with a summary of its notification delivery (`delivery_status`
  delivered once every configured target has it, `failed` with the error(s) otherwise, `no_target`
  while none is configured) that the console shows, and a lease (`claimed_until`, `claimed_by`): a
  row is sent only by whoever claimed it, so the background attempt, the watcher and a cron retry
  never send it twice.
- `followup_deliveries`: one row per follow-up and target (`webhook`, `email`): delivered or not, its
  attempts and last error; a retry sends only to the targets that do not have it yet.
- `followup_clients`: for one hour, which client (a pseudonymous key of the visitor's address, made by
  the channels: never the address itself) each follow-up came from, so `add` can cap follow-ups per
  conversation and per client (clinic.yml `limits`).

Nothing is lost when a notification fails: the row waits, and delivery is retried.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Dict, List, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from clinic.database import engine_with_tables

LEAD = "lead"
HANDOFF = "handoff"
ALERT = "alert"
KINDS = (ALERT, HANDOFF, LEAD)  # urgent alerts are notified first

STATUS_NEW = "new"
STATUS_CONTACTED = "contacted"
STATUS_CLOSED = "closed"
STATUSES = (STATUS_NEW, STATUS_CONTACTED, STATUS_CLOSED)

DELIVERY_PENDING = "pending"
DELIVERY_FAILED = "failed"
DELIVERY_DELIVERED = "delivered"
DELIVERY_NO_TARGET = "no_target"

WEBHOOK = "webhook"
EMAIL = "email"
TARGETS = (WEBHOOK, EMAIL)

metadata = sa.MetaData()
followups = sa.Table(
    "followups",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(16), nullable=False, index=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("name", sa.String(255)),
    sa.Column("phone", sa.String(64)),
    sa.Column("email", sa.String(320)),
    sa.Column("preferred_time", sa.Text),
    sa.Column("treatment", sa.String(32)),
    sa.Column("message", sa.Text),
    sa.Column("status", sa.String(16), nullable=False, default=STATUS_NEW),
    sa.Column("status_changed_by", sa.String(255)),
    sa.Column("status_changed_at", sa.DateTime(timezone=True)),
    sa.Column("delivery_status", sa.String(16), nullable=False, index=True),
    sa.Column("delivery_attempts", sa.Integer, nullable=False, default=0),
    sa.Column("last_delivery_error", sa.Text),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
    sa.Column("delivered_at", sa.DateTime(timezone=True)),
    # Added after the first release: nullable, so an existing database gets them on first use.
    sa.Column("claimed_until", sa.DateTime(timezone=True)),
    sa.Column("claimed_by", sa.String(128)),
)

followup_deliveries = sa.Table(
    "followup_deliveries",
    metadata,
    sa.Column("followup_id", sa.Integer, sa.ForeignKey("followups.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("target", sa.String(16), primary_key=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("last_error", sa.Text),
    sa.Column("delivered_at", sa.DateTime(timezone=True)),
)


# Follow-ups per conversation and per client are capped over this window.
CAP_WINDOW = timedelta(hours=1)
followup_clients = sa.Table(
    "followup_clients",
    metadata,
    sa.Column("followup_id", sa.Integer, primary_key=True),
    sa.Column("client", sa.String(64), nullable=False, index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
)


class FollowupCapReached(Exception):
    """This conversation or client already left as many follow-ups as allowed in the last hour."""


def utcnow() -> datetime:
    """Now, timezone-aware."""
    return datetime.now(timezone.utc)


@dataclass
class Followup:
    """A lead, handoff request or urgent alert, as stored."""

    kind: str
    conversation_id: str
    name: Optional[str] = None
    phone: Optional[str] = None
    email: Optional[str] = None
    preferred_time: Optional[str] = None
    treatment: Optional[str] = None
    message: Optional[str] = None
    created_at: datetime = field(default_factory=utcnow)
    id: Optional[int] = None
    status: str = STATUS_NEW
    status_changed_by: Optional[str] = None
    status_changed_at: Optional[datetime] = None
    delivery_status: str = DELIVERY_PENDING
    delivery_attempts: int = 0
    last_delivery_error: Optional[str] = None
    next_attempt_at: Optional[datetime] = None
    delivered_at: Optional[datetime] = None
    claimed_until: Optional[datetime] = None
    claimed_by: Optional[str] = None
    # Who sent it, pseudonymously (kept an hour in followup_clients, for the cap); not a column.
    client: Optional[str] = None


@dataclass
class TargetDelivery:
    """How one follow-up's notification to one target went."""

    followup_id: int
    target: str
    status: str
    attempts: int = 0
    last_error: Optional[str] = None
    delivered_at: Optional[datetime] = None


_FIELDS = [f for f in Followup.__dataclass_fields__ if f != "client"]


def _as_aware(value):
    # SQLite hands back naive datetimes; everything here is UTC.
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def _count(conn, table: sa.Table, where, since: datetime) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(table)
                        .where(where, table.c.created_at >= since)).scalar_one()


def _row_to_followup(row) -> Followup:
    data = dict(row._mapping)
    return Followup(**{k: _as_aware(data[k]) for k in _FIELDS})


class FollowupStore:
    """Reads and writes follow-ups in one SQL database."""

    def __init__(self, url: str) -> None:
        """Remember the URL; the connection is made on first use."""
        self.url = url

    @property
    def engine(self) -> Engine:
        """The engine, created (with its tables) on first use."""
        return engine_with_tables(self.url, metadata)

    def add(self, followup: Followup, per_conversation: int = 0, per_client: int = 0) -> int:
        """Store a new follow-up and return its id (committed when this returns).

        With caps (0: none), raise FollowupCapReached instead when its conversation already has
        `per_conversation`, or its client `per_client`, follow-ups from the last hour.
        """
        values = {k: getattr(followup, k) for k in _FIELDS if k != "id"}
        since = followup.created_at - CAP_WINDOW
        with self.engine.begin() as conn:
            conn.execute(followup_clients.delete().where(followup_clients.c.created_at < since))
            if per_conversation and _count(conn, followups, followups.c.conversation_id == followup.conversation_id,
                                           since) >= per_conversation:
                raise FollowupCapReached(f"{per_conversation} follow-ups in an hour from this conversation")
            if per_client and followup.client and _count(
                    conn, followup_clients, followup_clients.c.client == followup.client, since) >= per_client:
                raise FollowupCapReached(f"{per_client} follow-ups in an hour from this client")
            result = conn.execute(followups.insert().values(**values))
            followup.id = int(result.inserted_primary_key[0])
            # SQLite may reuse the id of a deleted row: its old deliveries must not count for this one.
            conn.execute(followup_deliveries.delete().where(followup_deliveries.c.followup_id == followup.id))
            if followup.client:
                conn.execute(followup_clients.insert().values(followup_id=followup.id, client=followup.client,
                                                              created_at=followup.created_at))
        return followup.id

    def get(self, followup_id: int) -> Optional[Followup]:
        """One follow-up by id."""
        with self.engine.connect() as conn:
            row = conn.execute(followups.select().where(followups.c.id == followup_id)).first()
        return _row_to_followup(row) if row else None

    def all(self, kind: Optional[str] = None) -> List[Followup]:
        """Every follow-up (of one kind), oldest first."""
        query = followups.select().order_by(followups.c.id)
        if kind:
            query = query.where(followups.c.kind == kind)
        with self.engine.connect() as conn:
            return [_row_to_followup(r) for r in conn.execute(query)]

    def for_staff(self, kind: Optional[str] = None, created_from: Optional[datetime] = None,
                  created_to: Optional[datetime] = None, limit: Optional[int] = None,
                  offset: int = 0) -> List[Followup]:
        """Follow-ups for the console: open urgent alerts pinned first, then newest first (`limit` of them)."""
        c = followups.c
        pinned = sa.case(((c.kind == ALERT) & (c.status != STATUS_CLOSED), 0), else_=1)
        query = followups.select().order_by(pinned, c.created_at.desc(), c.id.desc())
        if limit is not None:
            query = query.limit(limit).offset(offset)
        if kind:
            query = query.where(c.kind == kind)
        if created_from:
            query = query.where(c.created_at >= created_from)
        if created_to:
            query = query.where(c.created_at < created_to)
        with self.engine.connect() as conn:
            return [_row_to_followup(r) for r in conn.execute(query)]

    def count(self, kind: Optional[str] = None) -> int:
        """How many follow-ups (of one kind) there are."""
        query = sa.select(sa.func.count()).select_from(followups)
        if kind:
            query = query.where(followups.c.kind == kind)
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one()

    def per_day(self, kind: str, since: datetime) -> List[tuple]:
        """How many follow-ups of one kind were created each day (UTC) since a moment: [(day, n)]."""
        counts: Dict[str, int] = {}
        for followup in self.for_staff(kind=kind, created_from=since):
            day = followup.created_at.strftime("%Y-%m-%d")
            counts[day] = counts.get(day, 0) + 1
        return sorted(counts.items())

    def set_status(self, followup_id: int, status: str, by: str) -> bool:
        """Staff moved a follow-up on (new -> contacted -> closed); False if there is no such row."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        with self.engine.begin() as conn:
            result = conn.execute(followups.update().where(followups.c.id == followup_id).values(
                status=status, status_changed_by=by, status_changed_at=utcnow()))
        return bool(result.rowcount)

    def for_conversation(self, conversation_id: str) -> List[Followup]:
        """The follow-ups one conversation produced, oldest first."""
        query = followups.select().where(followups.c.conversation_id == conversation_id).order_by(followups.c.id)
        with self.engine.connect() as conn:
            return [_row_to_followup(r) for r in conn.execute(query)]

    def undelivered(self, due_by: Optional[datetime] = None, with_no_target: bool = False) -> List[Followup]:
        """Follow-ups whose notification is not delivered yet, urgent alerts first.

        With `due_by`, only those whose next attempt is due by then; with `with_no_target`, also those
        stored while no notification target was configured.
        """
        statuses = [DELIVERY_PENDING, DELIVERY_FAILED] + ([DELIVERY_NO_TARGET] if with_no_target else [])
        query = followups.select().where(followups.c.delivery_status.in_(statuses))
        if due_by is not None:
            query = query.where(
                sa.or_(followups.c.next_attempt_at.is_(None), followups.c.next_attempt_at <= due_by)
            )
        priority = sa.case({kind: rank for rank, kind in enumerate(KINDS)}, value=followups.c.kind)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(priority, followups.c.id))
            return [_row_to_followup(r) for r in rows]

    def claim(self, followup_id: int, owner: str, lease_seconds: float, now: Optional[datetime] = None) -> bool:
        """Take the right to send one follow-up's notifications for `lease_seconds`; False if someone has it.

        A conditional UPDATE (unclaimed or lease expired, not delivered yet) whose row count says who
        won; on PostgreSQL the row is first locked with FOR UPDATE SKIP LOCKED, so a concurrent
        claimer skips it instead of waiting (SQLite ignores that clause).
        """
        now = now or utcnow()
        c = followups.c
        claimable = sa.and_(c.id == followup_id, c.delivery_status != DELIVERY_DELIVERED,
                            sa.or_(c.claimed_until.is_(None), c.claimed_until < now))
        with self.engine.begin() as conn:
            candidate = conn.execute(sa.select(c.id).where(claimable).with_for_update(skip_locked=True)).first()
            if candidate is None:
                return False
            result = conn.execute(followups.update().where(claimable).values(
                claimed_until=now + timedelta(seconds=lease_seconds), claimed_by=owner))
        return result.rowcount == 1

    def release(self, followup_id: int, owner: str) -> None:
        """Give a claim back (only the owner's own: a lease that expired may be someone else's now)."""
        with self.engine.begin() as conn:
            conn.execute(followups.update().where(followups.c.id == followup_id, followups.c.claimed_by == owner)
                         .values(claimed_until=None, claimed_by=None))

    def deliveries(self, followup_id: int) -> Dict[str, TargetDelivery]:
        """How each target's notification of one follow-up went so far, by target."""
        d = followup_deliveries.c
        with self.engine.connect() as conn:
            rows = conn.execute(followup_deliveries.select().where(d.followup_id == followup_id))
            return {row.target: TargetDelivery(**{k: _as_aware(v) for k, v in row._mapping.items()}) for row in rows}

    def record_target(self, followup_id: int, target: str, error: Optional[str] = None) -> None:
        """Record one attempt to notify one target: delivered when there is no error."""
        d = followup_deliveries.c
        values = {"status": DELIVERY_FAILED if error else DELIVERY_DELIVERED, "last_error": error,
                  "delivered_at": None if error else utcnow()}
        with self.engine.begin() as conn:
            updated = conn.execute(followup_deliveries.update()
                                   .where(d.followup_id == followup_id, d.target == target)
                                   .values(attempts=d.attempts + 1, **values)).rowcount
            if not updated:
                conn.execute(followup_deliveries.insert().values(
                    followup_id=followup_id, target=target, attempts=1, **values))

    def record_delivery(
        self,
        followup_id: int,
        status: str,
        error: Optional[str] = None,
        next_attempt_at: Optional[datetime] = None,
    ) -> None:
        """Record the outcome of one notification attempt on the row's summary (what the console shows)."""
        values = {
            "delivery_status": status,
            "delivery_attempts": followups.c.delivery_attempts + 1,
            "last_delivery_error": error,
            "next_attempt_at": next_attempt_at,
        }
        if status == DELIVERY_DELIVERED:
            values["delivered_at"] = utcnow()
        with self.engine.begin() as conn:
            conn.execute(followups.update().where(followups.c.id == followup_id).values(**values))


def delete_followups(conn, where) -> int:
    """Delete the follow-ups matching `where`, their per-target deliveries and client records; how many went.

    The child rows are deleted explicitly: SQLite does not enforce the foreign key's ON DELETE CASCADE.
    """
    doomed = sa.select(followups.c.id).where(where)
    conn.execute(followup_deliveries.delete().where(followup_deliveries.c.followup_id.in_(doomed)))
    conn.execute(followup_clients.delete().where(followup_clients.c.followup_id.in_(doomed)))
    return conn.execute(followups.delete().where(where)).rowcount
