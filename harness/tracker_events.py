"""What the tracker store holds for a conversation, compared with what its visitor sent and received."""

import json
from typing import List, Optional, Tuple

import sqlalchemy as sa

from harness.load_client import CANNOT_ANSWER_NOW, Visitor

Utterance = Tuple[str, str]  # ("user" | "bot", text)


def stored_utterances(engine: sa.engine.Engine, sender: str) -> List[Utterance]:
    """The visitor's messages and the bot's texts as Rasa stored them (table `events`), in order."""
    query = sa.text("SELECT type_name, data FROM events WHERE sender_id = :sender "
                    "AND type_name IN ('user', 'bot') ORDER BY id")
    with engine.connect() as connection:
        rows = connection.execute(query, {"sender": sender}).fetchall()
    utterances = []
    for type_name, data in rows:
        text = json.loads(data).get("text")
        if text:
            utterances.append((type_name, text))
    return utterances


def mismatch(visitor: Visitor, stored: List[Utterance]) -> Optional[str]:
    """None when the store holds the conversation exactly once and in order, else what differs.

    A turn that got a real answer must be stored: its message once, and each reply once, in order;
    on a conversation's first message Rasa stores the session start's greeting before the message. A
    turn answered with "can't answer right now" may be stored or not (the channel sends that reply
    when Rasa failed, at whatever step), but never twice; the polite reply itself is never stored.
    """
    position = 0
    for number, turn in enumerate(visitor.turns, 1):
        replies = [reply for reply in turn.replies if CANNOT_ANSWER_NOW not in reply]
        before = replies_stored_before(turn.message, replies, stored[position:]) if number == 1 else 0
        position += before
        if position < len(stored) and stored[position] == ("user", turn.message):
            position += 1
        elif not turn.polite_fallback:
            return f"turn {number} ({turn.message!r}): {not_stored_at(stored, position)}"
        for reply in replies[before:]:
            if position >= len(stored) or stored[position] != ("bot", reply):
                return f"turn {number}: reply {reply[:40]!r} {not_stored_at(stored, position)}"
            position += 1
    if position != len(stored):
        return f"{len(stored) - position} stored utterances nobody sent or received, from {stored[position]}"
    return None


def not_stored_at(stored: List[Utterance], position: int) -> str:
    """"not stored at position N", and what the store holds there instead."""
    if position >= len(stored):
        return f"not stored at position {position} (the conversation ends there)"
    kind, text = stored[position]
    return f"not stored at position {position} (stored there: {kind} {text[:40]!r})"


def replies_stored_before(message: str, replies: List[str], stored: List[Utterance]) -> int:
    """How many of a turn's replies were stored before its message (the session start's greeting)."""
    for before in range(len(replies) + 1):
        if stored[:before + 1] == [("bot", reply) for reply in replies[:before]] + [("user", message)]:
            return before
    return 0


def mismatches(engine: sa.engine.Engine, visitors: List[Visitor]) -> List[str]:
    """One line per visitor whose stored conversation differs from what they saw."""
    found = []
    for visitor in visitors:
        problem = mismatch(visitor, stored_utterances(engine, visitor.sender))
        if problem:
            found.append(f"{visitor.sender}: {problem}")
    return found
