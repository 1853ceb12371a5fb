"""The actions' own messages (knowledge/messages.yml), filled in with the clinic's details."""

from functools import lru_cache
from typing import Any, Dict

import yaml

from clinic.clinic_details import clinic_details
from clinic.knowledge import KNOWLEDGE_DIR
from clinic.templates import fill

# Marks the notice a new session opens with: it is not a reply to what the visitor said
# (addons/never_silent.py still owes the visitor one when the turn's own actions fail).
SESSION_NOTICE = "session_notice"


@lru_cache(maxsize=1)
def load_messages() -> Dict[str, dict]:
    """Every message, by key."""
    return yaml.safe_load((KNOWLEDGE_DIR / "messages.yml").read_text(encoding="utf-8"))


def render(key: str, **values: Any) -> Dict[str, Any]:
    """The message `key` with clinic details and `values` filled in: {"text", "buttons"}."""
    message = load_messages()[key]
    text = fill(" ".join(message["text"].split()), **{**clinic_details(), **values})
    return {"text": text, "buttons": list(message.get("buttons") or [])}
