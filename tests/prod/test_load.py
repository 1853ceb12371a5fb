"""50 visitors at once through nginx: all answered, spread over both replicas, stored exactly once.

The same load then runs on one replica, for the figures (results/prod/load.json).
"""

import asyncio
import json
import time

import aiohttp
import socketio

from clinic.session_ids import conversation_id
from harness.load_client import latency_figures, make_visitors, run_visitors
from harness.tracker_events import mismatches, stored_utterances
from tests.prod.conftest import LOAD_FIGURES

VISITORS = 50
SOCKET_VISITORS = 4
SOCKET_MESSAGES = ["How long does Botox last?", "And fillers?", "Does that hurt?"]
REPLY_TIMEOUT_SECONDS = 120


async def measured_load(stack, prefix: str):
    """Run VISITORS conversations at once; the visitors and their figures."""
    visitors = make_visitors(VISITORS, prefix)
    started = time.monotonic()
    await run_visitors(stack.url, visitors, retries=0)
    return visitors, latency_figures(visitors, time.monotonic() - started)


async def socket_visitor(stack, number: int, stored_texts) -> dict:
    """A widget's socket.io conversation from its own address (127.0.0.N): what it saw, and its route."""
    address = f"127.0.0.{10 + number}"
    replies: asyncio.Queue = asyncio.Queue()
    confirmed: asyncio.Queue = asyncio.Queue()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(address, 0))) as http:
        # Under this load a replica's event loop can be busy for seconds: the client's 5 s (request)
        # and 1 s (connect) waits are too short.
        client = socketio.AsyncClient(http_session=http, request_timeout=REPLY_TIMEOUT_SECONDS)
        client.on("bot_uttered", lambda data: replies.put_nowait(data.get("text", "")))
        client.on("session_confirm", confirmed.put_nowait)
        # Long-polling: every request of the session must reach the replica holding it (sticky routing).
        # (python-socketio's websocket client needs a newer aiohttp than Rasa pins: websocket_visitor.)
        await client.connect(stack.url, socketio_path="/socket.io", transports=["polling"],
                             headers={"Origin": stack.url}, wait_timeout=REPLY_TIMEOUT_SECONDS)
        try:
            await client.emit("session_request", {"session_id": None})
            session_id = await asyncio.wait_for(confirmed.get(), REPLY_TIMEOUT_SECONDS)
            received = []
            for message in SOCKET_MESSAGES:
                await client.emit("user_uttered", {"message": message, "session_id": session_id})
                received.append(await asyncio.wait_for(replies.get(), REPLY_TIMEOUT_SECONDS))
                # A reply may come in several messages: collect what else arrives for this turn.
                while True:
                    try:
                        received.append(await asyncio.wait_for(replies.get(), 1.0))
                    except asyncio.TimeoutError:
                        break
            # Under load the last reply's later messages may come more than a second apart (replies go
            # through Redis): stay connected until Rasa has stored the last turn (its user message and
            # replies are saved together) and every reply stored has arrived, or the deadline.
            deadline = time.monotonic() + REPLY_TIMEOUT_SECONDS
            while time.monotonic() < deadline:
                users, bots = stored_texts(conversation_id(session_id))
                if len(users) == len(SOCKET_MESSAGES) and len(received) >= len(bots):
                    break
                try:
                    received.append(await asyncio.wait_for(replies.get(), 1.0))
                except asyncio.TimeoutError:
                    pass
        finally:
            await client.disconnect()
    return {"address": address, "conversation": conversation_id(session_id), "replies": received}


async def websocket_visitor(stack) -> dict:
    """The widget's conversation over a websocket through nginx, spoken in engine.io 4 / socket.io 5 packets."""
    url = f"{stack.url.replace('http', 'ws', 1)}/socket.io/?EIO=4&transport=websocket"
    async with aiohttp.ClientSession() as http, http.ws_connect(url, headers={"Origin": stack.url}) as ws:

        async def event(name: str) -> list:
            """The next socket.io event called `name` (answering the server's pings meanwhile)."""
            while True:
                packet = await asyncio.wait_for(ws.receive_str(), REPLY_TIMEOUT_SECONDS)
                if packet == "2":
                    await ws.send_str("3")
                elif packet.startswith("42") and json.loads(packet[2:])[0] == name:
                    return json.loads(packet[2:])[1:]

        assert (await ws.receive_str()).startswith("0")  # engine.io open
        await ws.send_str("40")  # socket.io connect to the default namespace
        assert (await ws.receive_str()).startswith("40")
        await ws.send_str('42["session_request",{"session_id":null}]')
        (session_id,) = await event("session_confirm")
        await ws.send_str("42" + json.dumps(["user_uttered", {"message": SOCKET_MESSAGES[0],
                                                               "session_id": session_id}]))
        (reply,) = await event("bot_uttered")
    return {"conversation": conversation_id(session_id), "reply": reply.get("text", "")}


async def test_fifty_visitors_on_two_replicas_are_all_answered_spread_and_stored_exactly_once(stack, tracker_db):
    def stored_texts(conversation: str) -> tuple:
        stored = stored_utterances(tracker_db, conversation)
        return [t for kind, t in stored if kind == "user"], [t for kind, t in stored if kind == "bot"]

    sockets = asyncio.gather(*(socket_visitor(stack, number, stored_texts) for number in range(SOCKET_VISITORS)),
                             websocket_visitor(stack))
    visitors, figures = await measured_load(stack, "two")
    *socket_results, websocket = await sockets
    LOAD_FIGURES["2 replicas"] = figures

    failed = [(v.sender, t.message, t.error) for v in visitors for t in v.turns if not t.answered]
    assert not failed, f"{len(failed)} turns without a reply, e.g. {failed[:3]}"
    assert mismatches(tracker_db, visitors) == [], mismatches(tracker_db, visitors)[:5]
    served = stack.served_by()
    replicas = {f"127.0.0.1:{port}" for port in stack.replica_ports}
    assert replicas <= set(served), f"not every replica served REST messages: {served}"
    LOAD_FIGURES["2 replicas"]["served_by"] = served

    assert websocket["reply"] and ("user", SOCKET_MESSAGES[0]) in stored_utterances(tracker_db,
                                                                                     websocket["conversation"])
    for visitor in socket_results:
        assert len(visitor["replies"]) >= len(SOCKET_MESSAGES) and all(visitor["replies"]), visitor
        stored = stored_utterances(tracker_db, visitor["conversation"])
        assert [text for kind, text in stored if kind == "user"] == SOCKET_MESSAGES
        assert [text for kind, text in stored if kind == "bot"] == visitor["replies"]
    LOAD_FIGURES["socket.io"] = sticky_routes(stack, [v["address"] for v in socket_results])


def sticky_routes(stack, addresses) -> dict:
    """Each socket.io client address and the replicas nginx sent its requests to: one each, or it fails."""
    routes = {address: set() for address in addresses}
    for request in stack.requests_logged():
        if request["uri"].startswith("/socket.io/") and request["client"] in routes:
            routes[request["client"]].add(request["upstream"])
    assert all(len(replicas) == 1 for replicas in routes.values()), routes
    return {address: sorted(replicas)[0] for address, replicas in routes.items()}


async def test_the_same_load_on_one_replica_is_all_answered_and_stored_exactly_once(stack, tracker_db):
    await asyncio.to_thread(stack.replicas[1].stop)
    try:
        visitors, figures = await measured_load(stack, "one")
    finally:
        stack.replicas[1].start(wait=False)  # back for the fault tests, while they begin
    LOAD_FIGURES["1 replica"] = figures
    assert figures["errors"] == 0, [(v.sender, t.error) for v in visitors for t in v.turns if not t.answered][:3]
    assert mismatches(tracker_db, visitors) == [], mismatches(tracker_db, visitors)[:5]
