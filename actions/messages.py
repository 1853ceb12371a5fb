"""Sending the actions' own messages (clinic.messages fills them in)."""

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from clinic.messages import render


def say(dispatcher: CollectingDispatcher, key: str, **values: Any) -> None:
    """Send the message `key` (knowledge/messages.yml) to the visitor."""
    dispatcher.utter_message(**render(key, **values))
