"""The widget's socket.io channel: persistent sessions get replies, signed session ids, CORS, long messages."""

import asyncio
import uuid

import requests
import socketio

from addons.channel_guard import SENDER_ID as SENDER_RULE
from clinic.session_ids import CONVERSATION_PREFIX, conversation_id
from clinic.settings import get_settings


class Visitor:
    """A widget's socket.io connection: asks for a session, then sends messages in it."""

    def __init__(self, servers):
        self.servers = servers
        self.client = socketio.AsyncClient()
        self.replies: asyncio.Queue = asyncio.Queue()
        self.confirmed: asyncio.Queue = asyncio.Queue()
        self.client.on("bot_uttered", lambda data: self.replies.put_nowait(data.get("text", "")))
        self.client.on("session_confirm", lambda data: self.confirmed.put_nowait(data))

    async def __aenter__(self):
        # Polling: python-socketio's websocket client needs a newer aiohttp than Rasa pins.
        await self.client.connect(self.servers.rasa_url, socketio_path="/socket.io", transports=["polling"],
                                  headers={"Origin": self.servers.widget_url})
        return self

    async def __aexit__(self, *exc):
        await self.client.disconnect()

    async def session(self, session_id=None, timeout: float = 30.0) -> str:
        """Ask for a session (as the widget does, resending what it stored); the id the server confirms."""
        await self.client.emit("session_request", {"session_id": session_id})
        return await asyncio.wait_for(self.confirmed.get(), timeout)

    async def say(self, session_id: str, message: str, replies: int = 1, timeout: float = 30.0):
        """Send one message in a session; the bot's next `replies` texts."""
        await self.client.emit("user_uttered", {"message": message, "session_id": session_id})
        return [await asyncio.wait_for(self.replies.get(), timeout) for _ in range(replies)]


async def converse(servers, session_id, messages, replies_each: int = 1):
    """Send messages as the widget does; the confirmed session id and the bot's replies (text)."""
    async with Visitor(servers) as visitor:
        confirmed = await visitor.session(session_id)
        texts = []
        for message in messages:
            texts += await visitor.say(confirmed, message, replies_each)
        return confirmed, texts


def user_turns(servers, conversation: str) -> list:
    """The visitor messages Rasa stored for a conversation."""
    return [e["text"] for e in servers.tracker(conversation)["events"] if e["event"] == "user"]


async def test_a_persistent_session_gets_the_bots_replies(servers):
    # Rasa 3.6.21's own channel never puts the visitor in their session room (rasa#13027),
    # so without addons/socketio_channel.py this times out waiting for a reply.
    session, (notice,) = await converse(servers, None, ["/greet"])
    assert "not medical advice" in notice
    events = servers.tracker(conversation_id(session))["events"]
    assert any(e["event"] == "user" and e["input_channel"] == "socketio" for e in events)


async def test_an_over_long_message_is_refused_not_processed(servers):
    limit = get_settings().widget.max_message_length
    session, (reply,) = await converse(servers, None, ["x" * (limit + 1)])
    assert "too long" in reply
    assert not user_turns(servers, conversation_id(session))


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


async def test_a_reload_resends_the_confirmed_id_and_continues_the_same_conversation(servers):
    session, _ = await converse(servers, None, ["/greet"])
    again, _ = await converse(servers, session, ["/thank"])
    assert again == session  # what the widget stored round-trips unchanged
    assert SENDER_RULE.match(session)
    assert user_turns(servers, conversation_id(session)) == ["/greet", "/thank"]


async def test_a_forged_session_id_gets_a_new_one_and_the_forged_conversation_gets_nothing(servers):
    forged = uuid.uuid4().hex + "-" + "A" * 43  # the shape of a real id, not signed by this server
    session, (notice,) = await converse(servers, forged, ["/greet"])
    assert session != forged and "not medical advice" in notice
    for guess in (forged, forged.split("-")[0], CONVERSATION_PREFIX + forged.split("-")[0]):
        assert not user_turns(servers, guess)


async def test_another_visitors_conversation_id_cannot_be_joined(servers):
    async with Visitor(servers) as victim, Visitor(servers) as attacker:
        victims = await victim.session()
        await victim.say(victims, "/greet")
        known = conversation_id(victims)  # what staff e-mails, webhooks and CSV exports show
        for stolen in (known, known[len(CONVERSATION_PREFIX):]):
            attackers = await attacker.session(stolen)
            assert attackers not in (victims, stolen)
            (refused,) = await attacker.say(stolen, "what is my name and phone number?")
            assert "reload the page" in refused
        # The victim's conversation got nothing from the attacker, and the attacker none of its replies:
        # the server sends to one socket in order, so a reply to the victim would come before this refusal.
        await victim.say(victims, "/thank")
        (after,) = await attacker.say(stolen, "hello?")
        assert "reload the page" in after and attacker.replies.empty()
        assert user_turns(servers, known) == ["/greet", "/thank"]


async def test_a_message_before_any_session_is_refused(servers):
    async with Visitor(servers) as visitor:
        (refused,) = await visitor.say(uuid.uuid4().hex, "/greet")
        assert "reload the page" in refused
