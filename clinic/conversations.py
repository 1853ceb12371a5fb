"""Read-only queries over Rasa's tracker store (the `events` table SQLTrackerStore writes), for the console."""

import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Dict, List, Mapping, Optional

import sqlalchemy as sa

from clinic.database import engine_for
from clinic.understanding import is_unsure

PAGE_SIZE = 50
FLAGS = {
    "fallback": "had a fallback",
    "lead": "produced a lead",
    "human": "asked for a human",
    "adverse": "reported an adverse reaction",
}

metadata = sa.MetaData()
events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255)),
    sa.Column("type_name", sa.String(255)),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)


def _flag_columns():
    e = events.c
    # What the bot did, not only what the model guessed: a form answer the model could not
    # classify is no fallback when the form took it.
    return {
        "fallback": sa.func.max(sa.case((e.action_name == "action_handle_fallback", 1), else_=0)),
        "lead": sa.func.max(sa.case((e.action_name == "action_submit_consultation_form", 1), else_=0)),
        "human": sa.func.max(sa.case((e.action_name == "action_request_human", 1), else_=0)),
        "adverse": sa.func.max(sa.case((sa.or_(e.intent_name == "report_adverse_reaction",
                                               e.action_name == "action_report_adverse_reaction"), 1), else_=0)),
    }


def _date(value: Optional[str]) -> Optional[datetime]:
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=timezone.utc) if value else None
    except ValueError:
        return None


@dataclass
class ConversationFilter:
    """What staff narrowed the list to."""

    date_from: Optional[datetime] = None
    date_to: Optional[datetime] = None
    intent: Optional[str] = None
    flag: Optional[str] = None
    search: Optional[str] = None
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "ConversationFilter":
        """The filters from a query string (bad values are ignored, never an error); `to` is inclusive."""
        date_to = _date(args.get("to"))
        try:
            page = max(int(args.get("page", 1)), 1)
        except ValueError:
            page = 1
        return cls(
            date_from=_date(args.get("from")),
            date_to=date_to + timedelta(days=1) if date_to else None,
            intent=args.get("intent") or None,
            flag=args.get("flag") if args.get("flag") in FLAGS else None,
            search=(args.get("q") or "").strip()[:200] or None,
            page=page,
        )


@dataclass
class ConversationSummary:
    """One row of the conversation list."""

    sender_id: str
    started: datetime
    visitor_messages: int
    flags: List[str]
    channel: str = ""
    intents: List[str] = field(default_factory=list)


def page_count(total: int) -> int:
    """How many pages `total` conversations fill (at least one)."""
    return max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)


def _utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc)


class ConversationReader:
    """Reads conversations; never writes to the tracker store."""

    def __init__(self, url: str) -> None:
        """The tracker store's URL (the same TRACKER_STORE_URL Rasa uses)."""
        self.engine = engine_for(url)

    def _senders_matching(self, where: ConversationFilter):
        e = events.c
        flags = _flag_columns()
        query = sa.select(e.sender_id, sa.func.min(e.timestamp).label("started"),
                          sa.func.sum(sa.case((e.type_name == "user", 1), else_=0)).label("visitor_messages"),
                          *[column.label(name) for name, column in flags.items()]).group_by(e.sender_id)
        if where.date_from:
            query = query.having(sa.func.min(e.timestamp) >= where.date_from.timestamp())
        if where.date_to:
            query = query.having(sa.func.min(e.timestamp) < where.date_to.timestamp())
        if where.flag in flags:
            query = query.having(flags[where.flag] == 1)
        if where.intent:
            with_intent = sa.select(e.sender_id).where(e.intent_name == where.intent)
            query = query.where(e.sender_id.in_(with_intent))
        if where.search:
            # Rasa stores each event as JSON; visitor text is inside `data` of user events.
            pattern = "%" + where.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            said = sa.select(e.sender_id).where(e.type_name == "user", e.data.like(pattern, escape="\\"))
            query = query.where(e.sender_id.in_(said))
        return query.having(sa.func.sum(sa.case((e.type_name == "user", 1), else_=0)) > 0)

    def list(self, where: ConversationFilter) -> List[ConversationSummary]:
        """One page of conversations, newest first."""
        query = self._senders_matching(where).order_by(sa.desc("started"))
        query = query.limit(PAGE_SIZE).offset((max(where.page, 1) - 1) * PAGE_SIZE)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            summaries = [
                ConversationSummary(
                    sender_id=row.sender_id, started=_utc(row.started), visitor_messages=int(row.visitor_messages),
                    flags=[name for name in FLAGS if getattr(row, name)],
                )
                for row in rows
            ]
            self._add_topics_and_channels(conn, summaries)
        return summaries

    def count(self, where: ConversationFilter) -> int:
        """How many conversations match (for paging)."""
        with self.engine.connect() as conn:
            matching = self._senders_matching(where).subquery()
            return conn.execute(sa.select(sa.func.count()).select_from(matching)).scalar_one()

    def all_matching(self, where: ConversationFilter) -> List[ConversationSummary]:
        """Every matching conversation, newest first, page by page (for the CSV export)."""
        rows: List[ConversationSummary] = []
        page = 1
        while True:
            found = self.list(replace(where, page=page))
            rows += found
            if len(found) < PAGE_SIZE:
                return rows
            page += 1

    def _add_topics_and_channels(self, conn, summaries: List[ConversationSummary]) -> None:
        by_sender: Dict[str, ConversationSummary] = {s.sender_id: s for s in summaries}
        if not by_sender:
            return
        e = events.c
        rows = conn.execute(
            sa.select(e.sender_id, e.intent_name, e.data).where(e.sender_id.in_(list(by_sender)), e.type_name == "user")
            .order_by(e.id)
        )
        for row in rows:
            summary = by_sender[row.sender_id]
            if row.intent_name and row.intent_name not in summary.intents:
                summary.intents.append(row.intent_name)
            if not summary.channel:
                summary.channel = (json.loads(row.data or "{}").get("input_channel") or "")

    def intents(self) -> List[str]:
        """Every intent seen in any conversation (for the filter)."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(events.c.intent_name).where(events.c.intent_name.isnot(None)).distinct())
            return sorted(r.intent_name for r in rows)

    def transcript(self, sender_id: str) -> List[dict]:
        """Visitor and bot turns in order: text, time, and for the visitor what the model understood."""
        e = events.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(e.type_name, e.data).where(e.sender_id == sender_id, e.type_name.in_(("user", "bot")))
                .order_by(e.id)
            ).all()
        turns = []
        for row in rows:
            data = json.loads(row.data or "{}")
            turn = {"who": "visitor" if row.type_name == "user" else "bot", "text": data.get("text") or "",
                    "time": _utc(data.get("timestamp") or 0)}
            if row.type_name == "user":
                parse = data.get("parse_data") or {}
                intent = parse.get("intent") or {}
                turn.update(intent=intent.get("name"), confidence=intent.get("confidence"),
                            entities=[(x.get("entity"), x.get("value")) for x in parse.get("entities") or []])
                turn["low_confidence"] = is_unsure(turn["intent"], turn["confidence"])
            else:
                turn["sources"] = (data.get("metadata") or {}).get("sources") or []
                turn["buttons"] = [b.get("title") for b in (data.get("data") or {}).get("buttons") or []]
            turns.append(turn)
        return turns


    def review_candidates(self, limit: int = 200) -> List[dict]:
        """Recent visitor messages the model fell back on or was unsure about, newest first."""
        e = events.c
        found: List[dict] = []
        last_id = None
        with self.engine.connect() as conn:
            while len(found) < limit:
                query = sa.select(e.id, e.sender_id, e.intent_name, e.data).where(e.type_name == "user")
                if last_id is not None:
                    query = query.where(e.id < last_id)
                rows = conn.execute(query.order_by(e.id.desc()).limit(1000)).all()
                if not rows:
                    break
                found += [item for item in map(_review_item, rows) if item]
                last_id = rows[-1].id
        return found[:limit]

    def review_candidate(self, event_id: int) -> Optional[dict]:
        """One visitor message, if it is one the review inbox lists."""
        e = events.c
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(e.id, e.sender_id, e.intent_name, e.data)
                               .where(e.id == event_id, e.type_name == "user")).first()
        return _review_item(row) if row else None

    def insights(self, since: datetime) -> dict:
        """Conversations per day, top intents and the fallback rate since a date."""
        e = events.c
        start = sa.select(e.sender_id, sa.func.min(e.timestamp).label("started")).group_by(e.sender_id).subquery()
        with self.engine.connect() as conn:
            starts = conn.execute(sa.select(start.c.started).where(start.c.started >= since.timestamp())).scalars()
            per_day: Dict[str, int] = {}
            for started in starts:
                day = _utc(started).strftime("%Y-%m-%d")
                per_day[day] = per_day.get(day, 0) + 1
            recent = e.timestamp >= since.timestamp()
            top = conn.execute(
                sa.select(e.intent_name, sa.func.count().label("n"))
                .where(recent, e.type_name == "user", e.intent_name.isnot(None))
                .group_by(e.intent_name).order_by(sa.desc("n")).limit(10)
            ).all()
            messages = conn.execute(sa.select(sa.func.count()).where(recent, e.type_name == "user")).scalar_one()
            fallbacks = conn.execute(
                sa.select(sa.func.count()).where(recent, e.action_name == "action_handle_fallback")
            ).scalar_one()
        return {
            "per_day": sorted(per_day.items()),
            "top_intents": [(r.intent_name, r.n) for r in top],
            "messages": messages,
            "fallback_rate": fallbacks / messages if messages else 0.0,
        }


def _review_item(row) -> Optional[dict]:
    """A user-event row as a review inbox entry, or None when the model was sure of it."""
    data = json.loads(row.data or "{}")
    confidence = ((data.get("parse_data") or {}).get("intent") or {}).get("confidence") or 0
    text = (data.get("text") or "").strip()
    if not text or text.startswith("/") or not is_unsure(row.intent_name, confidence):
        return None
    return {"event_id": row.id, "sender_id": row.sender_id, "text": text, "intent": row.intent_name,
            "confidence": confidence, "time": _utc(float(data.get("timestamp") or 0))}
