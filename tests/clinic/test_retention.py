"""Old data goes after retention_days; one visitor's data goes on request, wherever it was typed."""

import json
import os
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from clinic.conversations import events, metadata
from clinic.database import engine_for
from clinic.followups.store import LEAD, Followup, FollowupStore
from clinic.retention import cutoff, erase, purge

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


def _conversation(engine, sender, when, *texts):
    with engine.begin() as conn:
        conn.execute(events.insert(), [{"sender_id": sender, "type_name": "user", "timestamp": when.timestamp(),
                                        "data": json.dumps({"event": "user", "text": t})} for t in texts])


def _senders(engine):
    with engine.connect() as conn:
        return {r.sender_id for r in conn.execute(sa.select(events.c.sender_id).distinct())}


def test_purge_deletes_only_what_is_past_retention(tmp_path):
    tracker_url, followup_url = f"sqlite:///{tmp_path / 't.db'}", f"sqlite:///{tmp_path / 'f.db'}"
    engine = engine_for(tracker_url)
    metadata.create_all(engine)
    _conversation(engine, "old", NOW - timedelta(days=400), "hi")
    _conversation(engine, "ongoing", NOW - timedelta(days=400), "hi")
    _conversation(engine, "ongoing", NOW - timedelta(days=3), "back again")  # last active recently: kept whole
    store = FollowupStore(followup_url)
    store.add(Followup(kind=LEAD, conversation_id="old", name="Ana", created_at=NOW - timedelta(days=400)))
    store.add(Followup(kind=LEAD, conversation_id="ongoing", name="Bo", created_at=NOW - timedelta(days=3)))
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "rasa.log").write_text("today")
    old_log = logs / "rasa.log.2025-01-01"
    old_log.write_text("old")
    stamp = (NOW - timedelta(days=400)).timestamp()
    os.utime(old_log, (stamp, stamp))
    counts = purge(tracker_url, followup_url, cutoff(365, NOW), logs)
    assert counts == {"conversations": 1, "conversation events": 1, "follow-ups": 1, "log files": 1}
    assert _senders(engine) == {"ongoing"} and [f.name for f in store.for_staff()] == ["Bo"]
    assert sorted(p.name for p in logs.iterdir()) == ["rasa.log"]


def test_erase_finds_a_visitor_by_phone_in_follow_ups_and_in_what_they_typed(tmp_path):
    tracker_url, followup_url = f"sqlite:///{tmp_path / 't.db'}", f"sqlite:///{tmp_path / 'f.db'}"
    engine = engine_for(tracker_url)
    metadata.create_all(engine)
    _conversation(engine, "with-lead", NOW, "book me in", "07911 123456")
    _conversation(engine, "typed-only", NOW, "call me on 07911123456")
    _conversation(engine, "someone-else", NOW, "hello")
    store = FollowupStore(followup_url)
    store.add(Followup(kind=LEAD, conversation_id="with-lead", name="Nina", phone="+447911123456"))
    store.add(Followup(kind=LEAD, conversation_id="someone-else", name="Other", phone="+447700900123"))
    counts = erase(tracker_url, followup_url, phone="07911 123456")
    assert counts["conversation ids"] == ["typed-only", "with-lead"]
    assert counts["follow-ups"] == 1 and counts["conversation events"] == 3
    assert _senders(engine) == {"someone-else"} and [f.name for f in store.for_staff()] == ["Other"]


def test_erase_by_email_or_conversation_id(tmp_path):
    tracker_url, followup_url = f"sqlite:///{tmp_path / 't.db'}", f"sqlite:///{tmp_path / 'f.db'}"
    engine = engine_for(tracker_url)
    metadata.create_all(engine)
    _conversation(engine, "a", NOW, "nina@example.com")
    _conversation(engine, "b", NOW, "hello")
    store = FollowupStore(followup_url)
    store.add(Followup(kind=LEAD, conversation_id="a", email="Nina@Example.com"))
    assert erase(tracker_url, followup_url, email="NINA@example.com")["conversation ids"] == ["a"]
    assert erase(tracker_url, followup_url, conversation_id="b")["conversation events"] == 1
    assert _senders(engine) == set() and store.for_staff() == []


def test_a_dry_run_reports_what_erase_would_remove_and_removes_nothing(tmp_path):
    tracker_url, followup_url = f"sqlite:///{tmp_path / 't.db'}", f"sqlite:///{tmp_path / 'f.db'}"
    engine = engine_for(tracker_url)
    metadata.create_all(engine)
    _conversation(engine, "typed-only", NOW, "call me on 07911123456", "thanks")
    store = FollowupStore(followup_url)
    store.add(Followup(kind=LEAD, conversation_id="with-lead", phone="+447911123456", client="address-key"))
    preview = erase(tracker_url, followup_url, phone="07911 123456", dry_run=True)
    assert _senders(engine) == {"typed-only"} and len(store.all()) == 1
    assert erase(tracker_url, followup_url, phone="07911 123456") == preview
    assert preview["follow-ups"] == 1 and preview["conversation events"] == 2
    with store.engine.connect() as conn:  # the follow-up's hourly cap record went with it
        assert conn.execute(sa.text("select count(*) from followup_clients")).scalar_one() == 0
