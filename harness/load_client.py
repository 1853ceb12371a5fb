"""Simulated visitors: many 10-turn conversations at once on the REST channel, every turn recorded.

Each visitor asks FAQ questions, follows up, and books a consultation with a name and phone
number. What each one sent and received is kept, so tests can compare it with what the tracker
store holds (harness/tracker_events.py) and benchmarks can print latency figures.
"""

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from typing import List, Optional

import aiohttp

from clinic.messages import render

# A reply the channel sends when a turn could not be handled (addons/never_silent.py); never stored.
CANNOT_ANSWER_NOW = render("cannot_answer_now")["text"]
BOOKING_CONFIRMED = "will contact you"
RETRY_PAUSE_SECONDS = 0.5
NAMES = ["Sarah Jones", "Amira Khan", "Tom Baker", "Lucy Smith", "Priya Patel", "Oliver Brown", "Emma Wilson"]


def conversation(index: int) -> List[str]:
    """Ten visitor messages: questions, a follow-up, a booking (name, phone, e-mail, time), one more question."""
    name = NAMES[index % len(NAMES)]
    return [
        "How long does Botox last?",
        "And fillers?",
        "Does that hurt?",
        "I'm interested in lip filler",
        "I'd like to book a consultation",
        name,
        f"07911 {100000 + index:06d}",
        f"{name.split()[0].lower()}.{index}@example.com",
        "weekday mornings after 10",
        "what is botox made of",
    ]


@dataclass
class Turn:
    """One visitor message and what came back."""

    message: str
    replies: List[str] = field(default_factory=list)
    status: Optional[int] = None
    seconds: float = 0.0
    attempts: int = 0
    error: str = ""

    @property
    def answered(self) -> bool:
        """The visitor got at least one reply text."""
        return self.status == 200 and any(self.replies)

    @property
    def polite_fallback(self) -> bool:
        """The reply was the "can't answer right now" message."""
        return any(CANNOT_ANSWER_NOW in reply for reply in self.replies)


@dataclass
class Visitor:
    """One simulated visitor's conversation."""

    sender: str
    messages: List[str]
    turns: List[Turn] = field(default_factory=list)

    @property
    def told_staff_will_call(self) -> bool:
        """The visitor was told staff will contact them."""
        return any(BOOKING_CONFIRMED in reply for turn in self.turns for reply in turn.replies)


async def send(session: aiohttp.ClientSession, url: str, sender: str, message: str, retries: int) -> Turn:
    """POST one message; a failed request (no answer, or 5xx) is sent again up to `retries` times.

    A client that may retry sends a `message_id`, the same in every attempt, so a message the server stored
    before failing to answer is not handled twice (addons/answered_once.py).
    """
    turn = Turn(message)
    body = {"sender": sender, "message": message, **({"message_id": uuid.uuid4().hex} if retries else {})}
    started = time.monotonic()
    while True:
        turn.attempts += 1
        try:
            async with session.post(url, json=body) as response:
                turn.status = response.status
                if response.status == 200:
                    turn.replies = [m.get("text", "") for m in await response.json() if m.get("text")]
                    turn.error = ""
                else:
                    turn.error = f"HTTP {response.status}"
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            turn.status, turn.error = None, type(error).__name__
        if turn.status == 200 or turn.attempts > retries:
            break
        await asyncio.sleep(RETRY_PAUSE_SECONDS)
    turn.seconds = time.monotonic() - started
    return turn


async def converse(session: aiohttp.ClientSession, url: str, visitor: Visitor, retries: int,
                   pause: float, start_after: float = 0.0) -> Visitor:
    """The visitor's messages one after another, each after the previous reply (and `pause` seconds)."""
    await asyncio.sleep(start_after)
    for message in visitor.messages:
        visitor.turns.append(await send(session, url, visitor.sender, message, retries))
        await asyncio.sleep(pause)
    return visitor


def make_visitors(count: int, prefix: str) -> List[Visitor]:
    """`count` visitors, each with their own conversation id (`prefix`-N) and phone number."""
    return [Visitor(f"{prefix}-{index}", conversation(index)) for index in range(count)]


def turns_done(visitors: List[Visitor]) -> int:
    """How many turns the visitors have completed so far."""
    return sum(len(visitor.turns) for visitor in visitors)


async def run_visitors(base_url: str, visitors: List[Visitor], retries: int = 1, pause: float = 0.0,
                       timeout: float = 180.0) -> List[Visitor]:
    """The visitors talking at once through `base_url`'s REST channel; each records what it saw.

    With a `pause` (reading and typing time between messages), the visitors' first messages are spread
    over one pause, as people arriving do, instead of all at the same instant.
    """
    url = f"{base_url}/webhooks/rest/webhook"
    connector = aiohttp.TCPConnector(limit=0)
    starts = [pause * index / len(visitors) for index in range(len(visitors))]
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        return list(await asyncio.gather(*(converse(session, url, v, retries, pause, start)
                                           for v, start in zip(visitors, starts, strict=True))))


def percentile(values: List[float], share: float) -> float:
    """The value below which `share` (0..1) of `values` lie (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


def latency_figures(visitors: List[Visitor], wall_seconds: float) -> dict:
    """p50/p95/p99 latency (s) of every turn, messages per second, and how many turns failed."""
    turns = [turn for visitor in visitors for turn in visitor.turns]
    seconds = [turn.seconds for turn in turns]
    return {
        "visitors": len(visitors),
        "messages": len(turns),
        "errors": sum(not turn.answered for turn in turns),
        "p50_s": round(percentile(seconds, 0.50), 3),
        "p95_s": round(percentile(seconds, 0.95), 3),
        "p99_s": round(percentile(seconds, 0.99), 3),
        "messages_per_s": round(len(turns) / wall_seconds, 2) if wall_seconds else 0.0,
        "wall_s": round(wall_seconds, 1),
    }
