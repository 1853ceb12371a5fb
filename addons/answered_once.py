"""A message sent again with the same `message_id` is answered from the tracker store, not handled twice.

A client that got no answer (the replica died mid-turn, the connection dropped) may send its message
again. When the first attempt had already been stored (the replica saved the turn, then died before
answering), handling it again would store the message twice and answer it twice. With a client's
`message_id`, the turn is looked up under the conversation's lock first, and if it is there its stored
replies are sent again instead.
"""

from contextvars import ContextVar
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered

Handler = Callable[[UserMessage], Awaitable[Any]]

# The Rasa agent and the client's message id of the request being handled (set by the channel's
# request middleware, which runs in the same task as the webhook that calls the handler).
REQUEST_CONTEXT: ContextVar[Optional[tuple]] = ContextVar("answered_once_request", default=None)


def stored_replies(events: Sequence[Event], message_id: Text) -> Optional[List[Dict[Text, Any]]]:
    """The replies stored for the visitor message `message_id`, as bot messages; None if it is not stored.

    A session's first message is answered by the session start's greeting too, stored before the message
    (the session start action's events, from ActionExecuted("action_session_start") on).
    """
    replies: Optional[List[Dict[Text, Any]]] = None
    greeting: List[Dict[Text, Any]] = []
    session_starting = False
    for event in events:
        starts_session = isinstance(event, ActionExecuted) and event.action_name == ACTION_SESSION_START_NAME
        if replies is not None and (starts_session or isinstance(event, UserUttered)):
            break  # the next turn
        if starts_session:
            session_starting, greeting = True, []
        elif isinstance(event, UserUttered):
            if event.message_id == message_id:
                replies = greeting if session_starting else []
            session_starting = False
        elif isinstance(event, BotUttered) and (replies is not None or session_starting):
            (replies if replies is not None else greeting).append(_bot_message(event))
    return replies


def _bot_message(event: BotUttered) -> Dict[Text, Any]:
    """The message as the channel sent it: its text and whatever else it carried (buttons, image ...)."""
    extras = {key: value for key, value in (event.data or {}).items() if value}
    return {"text": event.text, **extras} if event.text else extras


def answered_once(on_new_message: Handler) -> Handler:
    """`on_new_message`, except that a message whose `message_id` is already stored gets its stored replies."""

    async def handle(message: UserMessage) -> Any:
        agent, message_id = REQUEST_CONTEXT.get() or (None, None)
        if not message_id or not agent.is_ready():
            return await on_new_message(message)
        message.message_id = message_id
        # Agent.handle_message, with the look-up inside the same lock.
        async with agent.lock_store.lock(message.sender_id):
            replies = stored_replies(await _all_events(agent.tracker_store, message.sender_id), message_id)
            if replies is None:
                return await agent.processor.handle_message(message)
        for reply in replies:
            await message.output_channel.send_response(message.sender_id, reply)
        return None

    return handle


async def _all_events(store: TrackerStore, sender_id: Text) -> List[Event]:
    """Every stored event of the conversation.

    `retrieve` gives the current session from its SessionStarted on, without the greeting stored just
    before it; and Rasa's FailSafeTrackerStore wrapper passes `retrieve_full_tracker` on as `retrieve`,
    so the store it wraps is asked.
    """
    primary = getattr(store, "_tracker_store", store)
    tracker = await primary.retrieve_full_tracker(sender_id)
    return list(tracker.events) if tracker else []
