"""What counts as the assistant not understanding a visitor.

One definition for the fallback action (a person is offered after two misses) and for the
console (low-confidence highlights, the review inbox).
"""

from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

from clinic.settings import RASA_CONFIG

# Messages the model could not place (FallbackClassifier's intent) or placed outside our scope.
MISS_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})


@lru_cache(maxsize=None)
def low_confidence_threshold(config: Path = RASA_CONFIG) -> float:
    """The FallbackClassifier's `threshold` in config.yml: below it, the model is unsure."""
    pipeline = (yaml.safe_load(config.read_text(encoding="utf-8")) or {}).get("pipeline") or []
    for component in pipeline:
        if component.get("name") == "FallbackClassifier":
            return float(component["threshold"])
    raise ValueError(f"{config} has no FallbackClassifier with a threshold")


def is_miss(intent: Optional[str]) -> bool:
    """True when the intent means the assistant did not understand."""
    return intent in MISS_INTENTS


def is_unsure(intent: Optional[str], confidence: Optional[float]) -> bool:
    """A miss, or an intent given with less confidence than the fallback threshold."""
    return is_miss(intent) or (confidence or 0) < low_confidence_threshold()
