"""A keyword safety net for messages describing a complication the visitor has now."""

import re
from functools import lru_cache
from typing import Dict, Iterable, Pattern

import yaml

from clinic.knowledge import KNOWLEDGE_DIR


def _phrase_pattern(phrases: Iterable[str]) -> Pattern[str]:
    alternatives = sorted((re.escape(p.lower()) for p in phrases), key=len, reverse=True)
    return re.compile(r"(?<![\w'])(?:" + "|".join(alternatives) + r")(?![\w'])")


@lru_cache(maxsize=1)
def _patterns() -> Dict[str, Pattern[str]]:
    data = yaml.safe_load((KNOWLEDGE_DIR / "red_flags.yml").read_text(encoding="utf-8"))
    return {key: _phrase_pattern(phrases) for key, phrases in data.items()}


def describes_own_complication(text: str) -> bool:
    """True when the text says a warning symptom has happened to the visitor after a treatment."""
    if not text:
        return False
    lowered = text.lower().replace("’", "'")
    found = {key: bool(pattern.search(lowered)) for key, pattern in _patterns().items()}
    if not (found["personal_markers"] and found["symptoms"] and found["treatment_markers"]):
        return False
    if found["other_causes"] or found["settling_markers"]:
        return False
    if found["what_if_markers"]:
        return found["happened_markers"]
    return found["happened_markers"] or found["present_markers"]
