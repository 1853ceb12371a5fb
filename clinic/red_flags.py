"""A keyword safety net for messages describing a complication the visitor has now."""

import re
from functools import lru_cache
from typing import Iterable, Pattern

import yaml

from clinic.knowledge import KNOWLEDGE_DIR


def _phrase_pattern(phrases: Iterable[str]) -> Pattern[str]:
    alternatives = sorted((re.escape(p.lower()) for p in phrases), key=len, reverse=True)
    return re.compile(r"(?<![\w'])(?:" + "|".join(alternatives) + r")(?![\w'])")


@lru_cache(maxsize=1)
def _patterns() -> tuple:
    data = yaml.safe_load((KNOWLEDGE_DIR / "red_flags.yml").read_text(encoding="utf-8"))
    keys = ("personal_markers", "symptoms", "treatment_markers", "happened_markers")
    return tuple(_phrase_pattern(data[key]) for key in keys)


def describes_own_complication(text: str) -> bool:
    """True when the text says a warning symptom has happened to the visitor after a treatment."""
    if not text:
        return False
    lowered = text.lower().replace("’", "'")
    return all(pattern.search(lowered) for pattern in _patterns())
