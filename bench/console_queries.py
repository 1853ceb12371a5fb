"""Console query speed on a large tracker store: 10,000 conversations, about 170,000 events.

Builds a SQLite tracker store in a temporary folder with Rasa's own SQLTrackerStore schema,
filled with conversations shaped like real ones (session start, visitor messages with their
parse data, actions, slots, bot answers), then times what a staff member waits for: the
conversation list (with its total), a list filtered by flag, and a text search. Prints the
median and worst of 5 runs each. Run with `make bench`.
"""

import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain

from clinic.conversations import ConversationFilter, ConversationReader

CONVERSATIONS = 10_000
GOAL_MS = 300
QUESTIONS = [
    ("how long does botox last", "ask_duration"), ("does it hurt", "ask_side_effects"),
    ("what are fillers made of", "ask_ingredients"), ("can I have both together", "ask_combination"),
    ("how much is lip filler", "ask_cost"), ("is there downtime", "ask_downtime"),
    ("what's the weather", "out_of_scope"), ("asdf", "nlu_fallback"),
]


def _event(sender, kind, timestamp, **fields):
    data = {"event": kind, "timestamp": timestamp, **fields}
    return {"sender_id": sender, "type_name": kind, "timestamp": timestamp,
            "intent_name": (fields.get("parse_data") or {}).get("intent", {}).get("name"),
            "action_name": fields.get("name") if kind == "action" else None, "data": json.dumps(data)}


def conversation(sender: str, start: float, rng: random.Random) -> list:
    """About 15 events: one session, three or four visitor turns, sometimes a booking."""
    t = start
    rows = [_event(sender, "action", t, name="action_session_start"), _event(sender, "session_started", t),
            _event(sender, "action", t, name="action_listen")]
    for text, intent in rng.sample(QUESTIONS, rng.choice([3, 4])):
        t += rng.uniform(5, 60)
        parse = {"intent": {"name": intent, "confidence": rng.uniform(0.4, 1.0)}, "entities": [], "text": text}
        rows.append(_event(sender, "user", t, text=text, parse_data=parse, input_channel="socketio"))
        action = "action_handle_fallback" if intent in ("out_of_scope", "nlu_fallback") else "action_answer_faq"
        rows += [_event(sender, "action", t, name=action), _event(sender, "bot", t, text="An answer.", metadata={}),
                 _event(sender, "action", t, name="action_listen")]
    if rng.random() < 0.1:
        rows.append(_event(sender, "action", t, name="action_submit_consultation_form"))
    return rows


def build(url: str) -> int:
    """Fill a tracker store (Rasa creates the table and its indexes); return the number of events."""
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=url.replace("sqlite:///", ""))
    rng = random.Random(7)
    now = time.time()
    total = 0
    with store.engine.begin() as conn:
        for i in range(CONVERSATIONS):
            rows = conversation(f"visitor-{i:05d}", now - rng.uniform(0, 90 * 86400), rng)
            conn.execute(store.SQLEvent.__table__.insert(), rows)
            total += len(rows)
    return total


def timed(call, runs: int = 5):
    """Median and worst milliseconds of `runs` calls."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def main():
    """Build the store, time the queries, print."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'tracker.db'}"
        events = build(url)
        reader = ConversationReader(url)
        print(f"Console queries on SQLite, {CONVERSATIONS:,} conversations, {events:,} events (goal < {GOAL_MS} ms):")
        cases = {
            "conversation list (page 1 + total)": ConversationFilter(),
            "filtered by flag (produced a lead)": ConversationFilter(flag="lead"),
            "search visitor messages ('lip filler')": ConversationFilter(search="lip filler"),
        }
        for name, where in cases.items():
            median, worst = timed(lambda w=where: (reader.list(w), reader.count(w)))
            print(f"  {name:42s} median {median:6.0f} ms, worst {worst:6.0f} ms")


if __name__ == "__main__":
    main()
