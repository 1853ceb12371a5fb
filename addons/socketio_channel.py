"""Rasa's socket.io channel for the web widget, with three fixes and one change.

1. Rasa 3.6.21 calls `sio.enter_room(...)` without `await` (RasaHQ/rasa#13027); with
   python-socketio >= 5.10 that is a coroutine, so with session persistence the visitor never
   joins their room and the bot's replies never reach the browser. We await it.
2. CORS is limited to the clinic's configured web origins instead of any origin.
3. Over-long messages (clinic.yml's widget.max_message_length; exactly that many characters is
   still allowed) are refused with a clear reply instead of being processed.
4. The default session id changes: a `session_request` without a session id (or with an empty
   one) gets the socket's own id, where Rasa's channel makes up a random one.
5. Abuse limits shared with the REST channel (addons/channel_guard.py): engine.io refuses bodies
   over clinic.yml's limits.max_body_bytes, messages past the per-session or per-address token
   bucket get a polite "slow down" reply, and client metadata is dropped before Rasa stores it.

6. A message that would get no reply at all (the action server is down, an action failed) gets a
   polite "can't answer right now" instead (addons/never_silent.py).

credentials.yml names this class instead of `socketio`; its settings are the same.
"""

from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from addons.channel_guard import cap_server_bodies, channel_limits, client_address
from addons.never_silent import never_silent
from clinic.settings import get_settings


class ClinicSocketIOInput(SocketIOInput):
    """SocketIOInput whose session rooms work, with CORS and a message length limit."""

    @classmethod
    def name(cls) -> Text:
        """Keep Rasa's channel name: conversations show `socketio` as their channel."""
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's blueprint, with its session and message handlers replaced."""
        blueprint = super().blueprint(never_silent(on_new_message))
        cap_server_bodies(blueprint)
        settings = get_settings()
        widget = settings.widget
        self.sio.eio.cors_allowed_origins = list(settings.clinic.web_origins)
        self.sio.eio.max_http_buffer_size = settings.limits.max_body_bytes
        namespace = self.namespace or "/"
        handle_message = self.sio.handlers[namespace][self.user_message_evt]
        handlers = self.sio.handlers[namespace]
        rasa_connect, rasa_disconnect = handlers["connect"], handlers["disconnect"]
        addresses: Dict[Text, str] = {}

        @self.sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            # Read while the request is live: the socket's later events have no connection to ask.
            request = environ.get("sanic.request")
            addresses[sid] = client_address(request) if request is not None else ""
            return await rasa_connect(sid, environ, auth)

        @self.sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: Text) -> None:
            addresses.pop(sid, None)
            await rasa_disconnect(sid)

        @self.sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data if isinstance(data, dict) else {}
            if not data.get("session_id"):
                data["session_id"] = sid
            if self.session_persistence:
                await self.sio.enter_room(sid, data["session_id"], namespace=self.namespace)
            await self.sio.emit("session_confirm", data["session_id"], room=sid, namespace=self.namespace)

        @self.sio.on(self.user_message_evt, namespace=self.namespace)
        async def refuse_long_messages(sid: Text, data: Any) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message", ""), str):
                return
            refusal = None
            if not channel_limits().allow(f"socketio:{sid}", addresses.get(sid, "")):
                refusal = settings.limits.slow_down_text
            elif not widget.allows(data.get("message", "")):
                refusal = widget.too_long_message
            if refusal:
                await self.sio.emit(self.bot_message_evt, {"text": refusal}, room=sid, namespace=self.namespace)
                return
            data.pop(self.metadata_key, None)  # client metadata is not stored
            await handle_message(sid, data)

        return blueprint
