"""The actions' own messages (knowledge/messages.yml), filled in and sent."""

from functools import lru_cache
from typing import Any, Dict

import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.clinic_details import clinic_details
from actions.knowledge import KNOWLEDGE_DIR


@lru_cache(maxsize=1)
def load_messages() -> Dict[str, dict]:
    """Every message, by key."""
    return yaml.safe_load((KNOWLEDGE_DIR / "messages.yml").read_text(encoding="utf-8"))


def render(key: str, **values: Any) -> Dict[str, Any]:
    """The message `key` with clinic details and `values` filled in: {"text", "buttons"}."""
    message = load_messages()[key]
    text = " ".join(message["text"].split()).format(**{**clinic_details(), **values})
    return {"text": text, "buttons": list(message.get("buttons") or [])}


def say(dispatcher: CollectingDispatcher, key: str, **values: Any) -> None:
    """Send the message `key` to the visitor."""
    dispatcher.utter_message(**render(key, **values))
