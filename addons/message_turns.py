"""The Rasa server works on one message at a time, and a message back from the action server goes first.

Handling a message is computation on one core with one real wait in it: a custom action run on the
action server. While a message waited for that answer, the messages that arrived meanwhile were each
handled in one piece, and asyncio only read the action server's answer after all of them: at 10
visitors a booking's last turn (the one action still on the action server, answered there in 6 ms)
waited 250-800 ms for it and set the 95th percentile (`make bench`).

Here a message keeps its turn while the action server answers, up to HOLD_SECONDS, so the answer is read
as soon as it comes; only a slower action server lets the next messages run meanwhile, and the
answer, once back, goes before any message not started yet. A hung action server therefore holds up
the others for HOLD_SECONDS per call, not until Rasa's own timeout (5 minutes). Turns are taken
inside the conversation's lock (Rasa's `Agent.handle_message`), so waiting for that lock never
holds a turn.
"""

import asyncio
from collections import deque
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Deque, Optional

from rasa.core.actions.action import RemoteAction
from rasa.core.processor import MessageProcessor


class Turns:
    """One holder at a time; waiters are served returning ones first, then in arrival order."""

    def __init__(self) -> None:
        self._busy = False
        self._returning: Deque[asyncio.Future] = deque()
        self._new: Deque[asyncio.Future] = deque()

    async def take(self, returning: bool = False) -> None:
        """Wait for the turn (one coming back from the action server goes before new ones)."""
        if not self._busy:
            self._busy = True
            return
        waiter = asyncio.get_running_loop().create_future()
        (self._returning if returning else self._new).append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.give_up()  # handed the turn just as it was cancelled: pass it on
            raise

    def give_up(self) -> None:
        """Hand the turn to the next waiter, or leave it free."""
        for queue in (self._returning, self._new):
            while queue:
                waiter = queue.popleft()
                if not waiter.done():
                    waiter.set_result(None)
                    return
        self._busy = False


@dataclass
class _Holding:
    turns: Turns
    holds: bool = True


# The action server answers in 6 ms at the median and 40 ms at worst under load (bench, 10 visitors).
HOLD_SECONDS = 0.2

_holding: ContextVar[Optional[_Holding]] = ContextVar("message_turn", default=None)
_turns = Turns()  # this process's; a Turns binds to no event loop until someone waits
_installed = False


async def in_turn(work: Callable[[], Awaitable[Any]]) -> Any:
    """Run `work` (handling one message) holding the turn."""
    holding = _Holding(_turns)
    await holding.turns.take()
    token = _holding.set(holding)
    try:
        return await work()
    finally:
        _holding.reset(token)
        if holding.holds:
            holding.turns.give_up()


async def out_of_turn(wait: Callable[[], Awaitable[Any]]) -> Any:
    """Run `wait` (a call to the action server) keeping the turn up to HOLD_SECONDS, then without it."""
    holding = _holding.get()
    if holding is None or not holding.holds:
        return await wait()
    call = asyncio.ensure_future(wait())
    try:
        done, _ = await asyncio.wait({call}, timeout=HOLD_SECONDS)
    except asyncio.CancelledError:
        call.cancel()
        raise
    if done:
        return call.result()
    holding.holds = False
    holding.turns.give_up()
    try:
        return await call
    finally:
        await holding.turns.take(returning=True)
        holding.holds = True


def install() -> None:
    """Take turns in Rasa's message handling and step out for the action server (once per process)."""
    global _installed
    if _installed:
        return
    handle_message, run_remote = MessageProcessor.handle_message, RemoteAction.run

    async def handle_message_in_turn(self: MessageProcessor, message: Any) -> Any:
        return await in_turn(lambda: handle_message(self, message))

    async def run_remote_out_of_turn(self: RemoteAction, *args: Any, **kwargs: Any) -> Any:
        return await out_of_turn(lambda: run_remote(self, *args, **kwargs))

    MessageProcessor.handle_message = handle_message_in_turn
    RemoteAction.run = run_remote_out_of_turn
    _installed = True
