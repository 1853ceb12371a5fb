"""Rasa's socket.io channel for the web widget, with three fixes and one change.

1. Rasa 3.6.21 calls `sio.enter_room(...)` without `await` (RasaHQ/rasa#13027); with
   python-socketio >= 5.10 that is a coroutine, so with session persistence the visitor never
   joins their room and the bot's replies never reach the browser. We await it.
2. CORS is limited to the clinic's configured web origins instead of any origin.
3. Over-long messages (clinic.yml's widget.max_message_length; exactly that many characters is
   still allowed) are refused with a clear reply instead of being processed.
4. Session ids are issued by the server, unguessable and signed (clinic/session_ids.py): a
   `session_request` keeps its `session_id` only when this server signed it; with none, an unknown,
   an unsigned or a forged one it gets a fresh signed id in `session_confirm`. A socket may send
   messages only for the session it was confirmed in: any other `user_uttered` (no session yet,
   another id) is refused with a polite reply and never reaches Rasa. Knowing a conversation id
   is therefore not enough to join it: the conversation id Rasa stores (and staff see) is
   `socketio-` and the id's random part, without the signature.
5. Abuse limits shared with the REST channel (addons/channel_guard.py): engine.io refuses bodies
   over clinic.yml's limits.max_body_bytes, messages past the per-session or per-address token
   bucket get a polite "slow down" reply, and client metadata is replaced by a pseudonymous key of
   the client's address (addons/channel_guard.py: for the cap on leads, handoffs and alerts).

6. A message that would get no reply at all (the action server is down, an action failed) gets a
   polite "can't answer right now" instead (addons/never_silent.py).

7. With REDIS_HOST set (the production profile), the replicas share socket.io messages through
   Redis (python-socketio's AsyncRedisManager): a reply emitted by any replica reaches the visitor's
   socket wherever it is connected.

credentials.yml names this class instead of `socketio`; its settings are the same.
"""

from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint
from socketio import AsyncRedisManager

from addons.channel_guard import cap_server_bodies, channel_limits, client_address, client_metadata
from addons.never_silent import never_silent
from clinic.messages import render
from clinic.session_ids import SessionIds, conversation_id, signing_key
from clinic.settings import get_settings, socketio_redis_url


class ClinicSocketIOInput(SocketIOInput):
    """SocketIOInput whose session rooms work, with CORS and a message length limit."""

    @classmethod
    def name(cls) -> Text:
        """Keep Rasa's channel name: conversations show `socketio` as their channel."""
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's blueprint, with its session and message handlers replaced."""
        settings = get_settings()
        if not settings.clinic.web_origins:
            # engine.io treats an empty list as "no origin check at all": any web page could connect.
            raise ValueError("clinic.yml web_origins is empty: list the website origins the chat widget is served "
                             "from (e.g. https://www.your-clinic.example), or remove the socket.io channel from "
                             "credentials.yml.")
        session_ids = SessionIds(signing_key())
        blueprint = super().blueprint(never_silent(on_new_message))
        cap_server_bodies(blueprint)
        share_through_redis(self.sio, socketio_redis_url())
        widget = settings.widget
        self.sio.eio.cors_allowed_origins = list(settings.clinic.web_origins)
        self.sio.eio.max_http_buffer_size = settings.limits.max_body_bytes
        namespace = self.namespace or "/"
        handle_message = self.sio.handlers[namespace][self.user_message_evt]
        handlers = self.sio.handlers[namespace]
        rasa_connect, rasa_disconnect = handlers["connect"], handlers["disconnect"]
        addresses: Dict[Text, str] = {}
        # socket id -> the verified session id it was confirmed in.
        sessions: Dict[Text, str] = {}

        @self.sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            # Read while the request is live: the socket's later events have no connection to ask.
            request = environ.get("sanic.request")
            addresses[sid] = client_address(request) if request is not None else ""
            return await rasa_connect(sid, environ, auth)

        @self.sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: Text) -> None:
            addresses.pop(sid, None)
            sessions.pop(sid, None)
            await rasa_disconnect(sid)

        @self.sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = session_ids.verify(data.get("session_id")) or session_ids.issue()
            previous = sessions.get(sid)
            if previous and previous != session_id:
                await self.sio.leave_room(sid, conversation_id(previous), namespace=self.namespace)
            sessions[sid] = session_id
            if self.session_persistence:
                # Rasa sends the bot's replies to the room named after the conversation id.
                await self.sio.enter_room(sid, conversation_id(session_id), namespace=self.namespace)
            await self.sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @self.sio.on(self.user_message_evt, namespace=self.namespace)
        async def check_message(sid: Text, data: Any) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message", ""), str):
                return
            refusal = None
            session_id = sessions.get(sid)
            if not channel_limits().allow(f"socketio:{session_id or sid}", addresses.get(sid, "")):
                refusal = settings.limits.slow_down_text
            elif session_id is None or data.get("session_id", session_id) != session_id:
                refusal = render("session_not_valid")["text"]
            elif not widget.allows(data.get("message", "")):
                refusal = widget.too_long_message
            if refusal:
                await self.sio.emit(self.bot_message_evt, {"text": refusal}, room=sid, namespace=self.namespace)
                return
            # Client metadata is not stored: only the address's pseudonymous key, for the follow-up cap.
            data[self.metadata_key] = client_metadata(addresses.get(sid, ""))
            data["session_id"] = conversation_id(session_id)  # Rasa's sender id
            await handle_message(sid, data)

        return blueprint


def share_through_redis(sio, redis_url: str) -> None:
    """Replace the server's in-process client manager with a Redis one (before any client connects)."""
    if not redis_url:
        return
    manager = AsyncRedisManager(redis_url)
    manager.set_server(sio)
    sio.manager = manager
