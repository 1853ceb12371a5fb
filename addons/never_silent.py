"""Every visitor message gets a reply: when a turn sends nothing, the channel says so politely.

A turn sends nothing when its actions fail (the action server is down, an action raised) or Rasa
itself raised while handling the message; without this, the visitor would wait for an answer that
never comes. Both public channels wrap Rasa's message handler with `never_silent`.
"""

import logging
from typing import Any, Awaitable, Callable, Dict, Text

from rasa.core.channels.channel import OutputChannel, UserMessage

from clinic.messages import SESSION_NOTICE, render

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]


class CountingOutputChannel(OutputChannel):
    """Passes every bot message on to the visitor's channel, counting the replies.

    The notice a new session opens with is not a reply to the visitor's message.
    """

    def __init__(self, channel: OutputChannel) -> None:
        self.channel = channel
        self.sent = 0

    def name(self) -> Text:  # the wrapped channel's name, so channel-specific responses still apply
        """The wrapped channel's name."""
        return self.channel.name()

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        """Send through the wrapped channel."""
        if not message.get(SESSION_NOTICE):
            self.sent += 1
        await self.channel.send_response(recipient_id, message)


def never_silent(on_new_message: Handler) -> Handler:
    """`on_new_message`, followed by the "can't answer right now" reply when it sent nothing."""

    async def handle(message: UserMessage) -> None:
        counting = CountingOutputChannel(message.output_channel)
        message.output_channel = counting
        try:
            await on_new_message(message)
        except Exception:  # whatever failed, the visitor still gets an answer
            logger.exception("Handling a message for conversation %s failed", message.sender_id)
        if counting.sent == 0:
            await counting.channel.send_text_message(message.sender_id, render("cannot_answer_now")["text"])

    return handle
