"""Closed-loop visitors over the REST channel and the widget's socket.io channel.

Each visitor plays whole conversations, sending its next message only once the bot has answered the
one before. A turn's latency runs from sending the message to the bot's last reply to it: the REST
channel answers with all of them; over socket.io the visitor asks for an acknowledgement, which the
server sends once its handler has emitted every reply (after them, on the same connection).
"""

import asyncio
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Sequence

import aiohttp
import socketio

TURN_TIMEOUT_SECONDS = 60.0
OUTCOMES = ("ok", "fallback", "cannot_answer", "empty", "error", "timeout")


@dataclass
class Tally:
    """What the visitors of one run saw: latency of each answered turn, outcome counts."""

    latencies_s: List[float] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)

    def record(self, started: float, texts: Sequence[str], markers: Dict[str, Sequence[str]]) -> None:
        """One answered turn; `markers` are the words of each kind of reply that is not an answer."""
        self.latencies_s.append(time.perf_counter() - started)
        joined = " ".join(texts).lower()
        if not joined.strip():
            self.outcomes["empty"] += 1
            return
        for kind, words in markers.items():
            if any(word.lower() in joined for word in words):
                self.outcomes[kind] += 1
                return
        self.outcomes["ok"] += 1


@dataclass
class Target:
    """Where the visitors go: the Rasa server's address and the web origin the widget is served from."""

    rasa_url: str
    origin: str
    markers: Dict[str, Sequence[str]]


async def rest_conversation(target: Target, http: aiohttp.ClientSession, messages: Sequence[str], tally: Tally):
    """One conversation over POST /webhooks/rest/webhook."""
    sender = f"bench-{uuid.uuid4().hex}"
    for message in messages:
        started = time.perf_counter()
        try:
            async with http.post(f"{target.rasa_url}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": message}) as response:
                response.raise_for_status()
                replies = await response.json()
        except asyncio.TimeoutError:
            tally.outcomes["timeout"] += 1
            return
        except aiohttp.ClientError:
            tally.outcomes["error"] += 1
            return
        tally.record(started, [r.get("text") or "" for r in replies], target.markers)


async def socketio_conversation(target: Target, messages: Sequence[str], tally: Tally):
    """One conversation as the widget holds it: connect, ask for a session, send each message."""
    client = socketio.AsyncClient()
    replies: List[str] = []
    client.on("bot_uttered", lambda data: replies.append((data or {}).get("text") or ""))
    try:
        # Polling: python-socketio's websocket client needs a newer aiohttp than Rasa pins.
        await client.connect(target.rasa_url, socketio_path="/socket.io", transports=["polling"],
                             headers={"Origin": target.origin}, wait_timeout=TURN_TIMEOUT_SECONDS)
        confirmed = asyncio.get_running_loop().create_future()
        client.on("session_confirm", lambda data: confirmed.done() or confirmed.set_result(data))
        await client.emit("session_request", {"session_id": None})
        session_id = await asyncio.wait_for(confirmed, TURN_TIMEOUT_SECONDS)
        for message in messages:
            replies.clear()
            started = time.perf_counter()
            await client.call("user_uttered", {"message": message, "session_id": session_id},
                              timeout=TURN_TIMEOUT_SECONDS)
            tally.record(started, list(replies), target.markers)
    except (asyncio.TimeoutError, socketio.exceptions.TimeoutError):
        tally.outcomes["timeout"] += 1
    except (socketio.exceptions.SocketIOError, aiohttp.ClientError):
        tally.outcomes["error"] += 1
    finally:
        # As a closed page does: without waiting for the long poll under way to end (up to 30 s).
        await client.eio.disconnect(abort=True)


async def run_level(target: Target, channel: str, conversations: List[Sequence[str]], concurrency: int) -> Dict:
    """`concurrency` visitors play `conversations` from one queue; figures of the run."""
    queue: asyncio.Queue = asyncio.Queue()
    for conversation in conversations:
        queue.put_nowait(conversation)
    tally = Tally()
    timeout = aiohttp.ClientTimeout(total=TURN_TIMEOUT_SECONDS)

    async def visitor(http):
        while not queue.empty():
            messages = queue.get_nowait()
            if channel == "rest":
                await rest_conversation(target, http, messages, tally)
            else:
                await socketio_conversation(target, messages, tally)

    started = time.perf_counter()
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as http:
        await asyncio.gather(*(visitor(http) for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return summarise(tally, elapsed, concurrency, len(conversations))


def percentile_ms(values: Sequence[float], fraction: float):
    """The value at `fraction` (0..1) of the sorted values, nearest rank, in ms; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] * 1000, 1)


def summarise(tally: Tally, elapsed_s: float, concurrency: int, conversations: int) -> Dict:
    """Latency percentiles, messages answered per second and the outcome counts."""
    answered = len(tally.latencies_s)
    return {
        "concurrency": concurrency,
        "conversations": conversations,
        "messages": answered,
        "seconds": round(elapsed_s, 2),
        "messages_per_s": round(answered / elapsed_s, 2) if elapsed_s else None,
        "p50_ms": percentile_ms(tally.latencies_s, 0.50),
        "p95_ms": percentile_ms(tally.latencies_s, 0.95),
        "p99_ms": percentile_ms(tally.latencies_s, 0.99),
        "mean_ms": round(1000 * sum(tally.latencies_s) / answered, 1) if answered else None,
        "outcomes": {kind: tally.outcomes.get(kind, 0) for kind in OUTCOMES},
    }
