"""The widget's socket.io channel: persistent sessions get replies, CORS, long messages."""

import asyncio
import uuid

import requests
import socketio

from clinic.settings import get_settings


async def converse(servers, session_id: str, messages, replies_each: int = 1, timeout: float = 30.0):
    """Send messages as the widget does; return the bot's replies (text), waiting for each."""
    client = socketio.AsyncClient()
    received: asyncio.Queue = asyncio.Queue()
    confirmed = asyncio.Event()
    client.on("bot_uttered", lambda data: received.put_nowait(data.get("text", "")))
    client.on("session_confirm", lambda data: confirmed.set())
    # Polling: python-socketio's websocket client needs a newer aiohttp than Rasa pins.
    await client.connect(servers.rasa_url, socketio_path="/socket.io", transports=["polling"],
                         headers={"Origin": servers.widget_url})
    try:
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.wait(), timeout)
        texts = []
        for message in messages:
            await client.emit("user_uttered", {"message": message, "session_id": session_id})
            texts.append(await asyncio.wait_for(received.get(), timeout))
            for _ in range(replies_each - 1):
                texts.append(await asyncio.wait_for(received.get(), timeout))
        return texts
    finally:
        await client.disconnect()


async def test_a_persistent_session_gets_the_bots_replies(servers):
    # Rasa 3.6.21's own channel never puts the visitor in their session room (rasa#13027),
    # so without addons/socketio_channel.py this times out waiting for a reply.
    session = uuid.uuid4().hex
    (notice,) = await converse(servers, session, ["/greet"])
    assert "not medical advice" in notice
    events = servers.tracker(session)["events"]
    assert any(e["event"] == "user" and e["input_channel"] == "socketio" for e in events)


async def test_an_over_long_message_is_refused_not_processed(servers):
    session = uuid.uuid4().hex
    limit = get_settings().widget.max_message_length
    (reply,) = await converse(servers, session, ["x" * (limit + 1)])
    assert "too long" in reply
    tracker = servers.tracker(session)
    assert not [e for e in tracker["events"] if e["event"] == "user"]


def test_only_the_clinics_web_origins_may_connect(servers):
    handshake = f"{servers.rasa_url}/socket.io/?EIO=4&transport=polling"
    allowed = requests.get(handshake, headers={"Origin": servers.widget_url}, timeout=10)
    refused = requests.get(handshake, headers={"Origin": "https://evil.example"}, timeout=10)
    assert allowed.status_code == 200
    assert allowed.headers.get("Access-Control-Allow-Origin") == servers.widget_url
    assert refused.status_code == 400
    # Rasa's HTTP API sends no CORS headers at all: web pages cannot call it.
    api = requests.get(f"{servers.rasa_url}/version", headers={"Origin": servers.widget_url}, timeout=10)
    assert "Access-Control-Allow-Origin" not in api.headers
