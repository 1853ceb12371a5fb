"""Things a visitor names within a question (knowledge/specifics.yml), answered before the general answer.

"Can Botox give you a droopy eyelid?" is a side-effects question about eyelids: the reply first says
what the articles say about eyelids (here, nothing, so it says so and offers a consultation), then
gives the general side-effects answer.
"""

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Dict, List, Mapping, Optional, Pattern, Tuple

import yaml

from clinic.knowledge import KNOWLEDGE_DIR, Answer, find_answer
from clinic.templates import fill
from clinic.treatments import BOTH

ANY_TREATMENT = "any"


@dataclass(frozen=True)
class Said:
    """What the articles say about one specific, for one treatment."""

    text: str
    sources: Tuple[str, ...]


@dataclass(frozen=True)
class Specific:
    """One thing visitors name: the words that name it and what the articles say about it."""

    key: str
    name: str
    words: Tuple[str, ...]
    topics: Tuple[str, ...] = ()
    not_topics: Tuple[str, ...] = ()
    about: Mapping[str, Said] = field(default_factory=dict, compare=False, hash=False)

    def applies_to(self, topic: Optional[str]) -> bool:
        """True for the questions it is about (every question when it names none), except those it excludes."""
        return (not self.topics or topic in self.topics) and topic not in self.not_topics

    def said_for(self, treatment: Optional[str]) -> Optional[Said]:
        """What the articles say about it for this treatment, or None when they say nothing."""
        return self.about.get(treatment or BOTH) or self.about.get(ANY_TREATMENT)


@dataclass(frozen=True)
class Mention:
    """A specific named in a message, where, and by which of its words."""

    specific: Specific
    start: int
    end: int
    word: str

    def name(self) -> str:
        """The specific's name, with the visitor's word where the name asks for it."""
        return fill(self.specific.name, word=self.word)


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, hyphens as spaces, single spaces: the form words are matched in."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"[-‐‑–—]", " ", text)
    return " ".join(text.split())


def _pattern(words: Tuple[str, ...]) -> Pattern[str]:
    alternatives = sorted({re.escape(normalise(w)) for w in words}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load((KNOWLEDGE_DIR / "specifics.yml").read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=1)
def load_specifics() -> Tuple[Specific, ...]:
    """Every specific in knowledge/specifics.yml, in file order."""
    return tuple(
        Specific(
            key=key,
            name=str(entry["name"]),
            words=tuple(str(w) for w in entry["words"]),
            topics=tuple(entry.get("topics") or ()),
            not_topics=tuple(entry.get("not_topics") or ()),
            about={
                treatment: Said(text=said["text"].strip(), sources=tuple(said.get("sources") or ()))
                for treatment, said in (entry.get("about") or {}).items()
            },
        )
        for key, entry in (_data().get("specifics") or {}).items()
    )


@lru_cache(maxsize=1)
def _patterns() -> Dict[str, Tuple[Pattern[str], Dict[str, str]]]:
    """Per specific: its pattern, and each normalised word back to the word as spelt in the file."""
    return {s.key: (_pattern(s.words), {normalise(w): w for w in s.words}) for s in load_specifics()}


def mentions(message: str, topic: Optional[str]) -> List[Mention]:
    """The specifics a message names (whole words, any case) that apply to this question, in message order.

    Where one specific's words sit inside another's longer phrase ("work" in "work out"), only the
    longer one counts. Each specific is counted once, where it is first named (once per word when
    its name is the visitor's word: "lupus" and "rosacea" are two things).
    """
    text = normalise(message or "")
    found: List[Mention] = []
    for specific in load_specifics():
        if not specific.applies_to(topic):
            continue
        pattern, spelling = _patterns()[specific.key]
        found += [Mention(specific, m.start(), m.end(), spelling[m.group(0)]) for m in pattern.finditer(text)]
    longest = [
        m for m in found
        if not any(o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start) for o in found)
    ]
    first: Dict[Tuple[str, str], Mention] = {}
    for mention in sorted(longest, key=lambda m: (m.start, -m.end)):
        first.setdefault((mention.specific.key, mention.name()), mention)
    return list(first.values())


def _join(names: List[str]) -> str:
    unique = list(dict.fromkeys(names))
    return unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + " or " + unique[-1]


def with_specifics(answer: Answer, message: str, treatment: Optional[str] = None) -> Answer:
    """The answer led by what the articles say about each specific the message names.

    A specific the articles cover leads with its own sentence, and its sources join the answer's;
    those they don't cover share one sentence saying so, and the answer then offers a consultation.
    """
    treatment = treatment or answer.treatment
    covered: List[Said] = []
    not_covered: List[str] = []
    for mention in mentions(message, answer.topic):
        said = mention.specific.said_for(treatment)
        if said is None:
            not_covered.append(mention.name())
        elif said not in covered:
            covered.append(said)
    if not covered and not not_covered:
        return answer
    lead = [said.text for said in covered]
    if not_covered:
        lead.append(fill(" ".join(_data()["not_covered"].split()), names=_join(not_covered)))
    sources = list(dict.fromkeys([*answer.sources, *(s for said in covered for s in said.sources)]))
    return replace(
        answer,
        text=" ".join([*lead, answer.text]),
        sources=tuple(sources),
        offer_consultation=answer.offer_consultation or bool(not_covered),
    )


def answer_to(topic: str, treatment: Optional[str], message: str) -> Optional[Answer]:
    """The answer to this question about this treatment, led by the specifics the message names."""
    answer = find_answer(topic, treatment)
    return with_specifics(answer, message, treatment) if answer else None
