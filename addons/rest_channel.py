"""Rasa's REST channel, closed to abuse: credentials.yml names this class instead of `rest`.

Rasa's own RestInput takes a 100 MB body, any JSON, a missing sender (then every such request
lands in one shared "default" conversation), the client's `metadata` (stored with the event) and
`input_channel`, and any number of messages. Here, before Rasa sees a request:
- a body over clinic.yml's limits.max_body_bytes gets 413, one that is not a JSON object 400;
- `sender` must be a string of letters, digits, - or _ (at most 128), `message` a non-empty string: else 400;
- `sender` may not start with `socketio-`: those are the widget's conversations (clinic/session_ids.py), 400;
- an optional `message_id` (letters, digits, - or _, at most 128) makes sending a message again safe: a
  message already stored gets its stored replies, and is not handled twice (addons/answered_once.py);
- a message over the widget's max_message_length gets the same polite reply as in the widget;
- per sender and per client address, a token bucket: past it, 429 with a polite "slow down" reply;
- client metadata is dropped (replaced by a pseudonymous key of the client's address, for the
  follow-up cap) and the channel is always `rest`;
- a message that would get no reply at all gets a polite "can't answer right now" (addons/never_silent.py).
"""

from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, Request, response

from addons.answered_once import REQUEST_CONTEXT, answered_once
from addons.channel_guard import SENDER_ID, cap_server_bodies, channel_limits, client_address, client_metadata
from addons.never_silent import never_silent
from clinic.session_ids import CONVERSATION_PREFIX
from clinic.settings import get_settings


def _refusal(status: int, error: str):
    return response.json({"error": error}, status=status)


def _reply(status: int, sender: str, text: str):
    """What the bot would answer, as Rasa's REST channel shapes it."""
    return response.json([{"recipient_id": sender, "text": text}], status=status)


class ClinicRestInput(RestInput):
    """RestInput with size, shape and rate checks; client metadata dropped."""

    @classmethod
    def name(cls) -> Text:
        """Keep Rasa's channel name and URL: /webhooks/rest/webhook."""
        return "rest"

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        """No client metadata is stored with the conversation: only the address's pseudonymous key."""
        return client_metadata(client_address(request))

    def _extract_input_channel(self, request: Request) -> Text:
        return self.name()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's blueprint, with the checks in front of its webhook."""
        blueprint = super().blueprint(never_silent(answered_once(on_new_message)))
        cap_server_bodies(blueprint)
        settings = get_settings()

        @blueprint.middleware("request")
        async def check(request: Request):
            if request.method != "POST":
                return None
            if len(request.body) > settings.limits.max_body_bytes:
                return _refusal(413, f"the body is over {settings.limits.max_body_bytes} bytes")
            try:
                body = request.json
            except Exception:  # Sanic's InvalidUsage, a UnicodeDecodeError: either way not JSON
                body = None
            if not isinstance(body, dict):
                return _refusal(400, "the body must be a JSON object")
            sender, message = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not SENDER_ID.match(sender):
                return _refusal(400, "'sender' must be a string of letters, digits, - or _ (at most 128)")
            if sender.startswith(CONVERSATION_PREFIX):
                return _refusal(400, f"'sender' may not start with {CONVERSATION_PREFIX!r}: that is the web widget's")
            if not isinstance(message, str) or not message.strip():
                return _refusal(400, "'message' must be a non-empty string")
            message_id = body.get("message_id")
            if message_id is not None and (not isinstance(message_id, str) or not SENDER_ID.match(message_id)):
                return _refusal(400, "'message_id' must be a string of letters, digits, - or _ (at most 128)")
            if not channel_limits().allow(sender, client_address(request)):
                return _reply(429, sender, settings.limits.slow_down_text)
            if not settings.widget.allows(message):
                return _reply(200, sender, settings.widget.too_long_message)
            REQUEST_CONTEXT.set((request.app.ctx.agent, message_id))
            return None

        return blueprint
