"""Messages take turns: one at a time, a message back from the action server first, a hung one not forever."""

import asyncio

from addons import message_turns
from addons.message_turns import Turns, in_turn, out_of_turn


async def test_a_message_back_from_the_action_server_goes_before_messages_not_started(monkeypatch):
    monkeypatch.setattr(message_turns, "_turns", Turns())
    monkeypatch.setattr(message_turns, "HOLD_SECONDS", 0)  # step out at once, as for a slow action server
    order, answer = [], asyncio.Event()

    async def booking():
        order.append("booking starts")
        await out_of_turn(answer.wait)
        order.append("booking ends")

    async def question(name):
        order.append(name)
        if name == "question 1":
            answer.set()  # the action server answers while this message is being worked on
            for _ in range(10):  # ...which goes on for a few turns of the event loop
                await asyncio.sleep(0)

    first = asyncio.create_task(in_turn(booking))
    await asyncio.sleep(0.01)
    await asyncio.gather(first, *(in_turn(lambda n=n: question(n)) for n in ("question 1", "question 2")))
    assert order == ["booking starts", "question 1", "booking ends", "question 2"]


async def test_a_fast_action_server_answer_is_read_before_any_other_message_runs(monkeypatch):
    monkeypatch.setattr(message_turns, "_turns", Turns())
    order = []

    async def booking():
        await out_of_turn(lambda: asyncio.sleep(0.01))
        order.append("booking")

    async def question():
        order.append("question")

    first = asyncio.create_task(in_turn(booking))
    await asyncio.sleep(0)
    await asyncio.gather(first, in_turn(question))
    assert order == ["booking", "question"]


async def test_a_hung_action_server_does_not_hold_up_other_visitors(monkeypatch):
    monkeypatch.setattr(message_turns, "_turns", Turns())
    monkeypatch.setattr(message_turns, "HOLD_SECONDS", 0.01)
    never = asyncio.Event()
    hung = asyncio.create_task(in_turn(lambda: out_of_turn(never.wait)))
    await asyncio.sleep(0)
    assert await asyncio.wait_for(in_turn(lambda: asyncio.sleep(0, "answered")), timeout=5) == "answered"
    assert not hung.done()
    hung.cancel()


async def test_a_cancelled_message_passes_its_turn_on(monkeypatch):
    monkeypatch.setattr(message_turns, "_turns", Turns())
    never = asyncio.Event()
    holder = asyncio.create_task(in_turn(never.wait))
    await asyncio.sleep(0)
    waiting = asyncio.create_task(in_turn(lambda: asyncio.sleep(0, "waiting")))
    await asyncio.sleep(0)
    holder.cancel()
    assert await asyncio.wait_for(waiting, timeout=5) == "waiting"
