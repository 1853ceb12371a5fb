"""The FAQ answers (knowledge/answers.yml) and the articles they come from."""

from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

import yaml

from clinic.settings import PROJECT_ROOT, ClinicConfig
from clinic.templates import fill
from clinic.treatments import BOTH

KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
DEFAULT_TOPIC = "ask_how_it_works"


@dataclass(frozen=True)
class Answer:
    """One answer to one question about one treatment (or both)."""

    topic: str
    treatment: str
    text: str
    sources: Tuple[str, ...]
    offer_consultation: bool = False

    def render(self, clinic: ClinicConfig) -> str:
        """The text with the clinic's details filled in."""
        return fill(self.text, clinic_name=clinic.name, clinic_phone=clinic.phone)


def _read_yaml(name: str) -> dict:
    return yaml.safe_load((KNOWLEDGE_DIR / name).read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=1)
def load_answers() -> Dict[str, Dict[str, Answer]]:
    """Every answer, by topic (intent name) and treatment."""
    return {
        topic: {
            treatment: Answer(
                topic=topic,
                treatment=treatment,
                text=entry["text"].strip(),
                sources=tuple(entry.get("sources") or ()),
                offer_consultation=bool(entry.get("offer_consultation", False)),
            )
            for treatment, entry in variants.items()
        }
        for topic, variants in _read_yaml("answers.yml").items()
    }


@lru_cache(maxsize=1)
def load_sources() -> Dict[str, dict]:
    """The source articles, by id."""
    return _read_yaml("sources.yml")


def source_title(source_id: str) -> str:
    """An article's title, or its id when sources.yml does not know it."""
    return str((load_sources().get(source_id) or {}).get("title") or source_id)


def faq_topics() -> List[str]:
    """The intents the knowledge file answers."""
    return list(load_answers())


def find_answer(topic: str, treatment: Optional[str]) -> Optional[Answer]:
    """The answer for this topic and treatment, else the answer covering both."""
    variants = load_answers().get(topic)
    if not variants:
        return None
    return variants.get(treatment or BOTH) or variants.get(BOTH)
