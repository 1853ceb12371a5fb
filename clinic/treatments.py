"""Which treatment a visitor means: 'botox', 'filler', or 'both'."""

import difflib
import re
from typing import Any, Dict, Iterable, List, Optional

BOTOX = "botox"
FILLER = "filler"
BOTH = "both"

# Names visitors use, beyond the training data's synonyms (which already map most of them).
_NAMES = {
    BOTOX: [
        "botox", "dysport", "xeomin", "jeuveau", "tox", "neuromodulator", "neurotoxin",
        "wrinkle relaxer", "anti-wrinkle injection", "anti wrinkle injection", "lip flip",
        "bocouture", "azzalure",
    ],
    FILLER: [
        "filler", "dermal filler", "lip filler", "cheek filler", "juvederm", "juvéderm",
        "restylane", "hyaluronic acid", "hyaluronic acid filler", "ha", "ha filler",
        "voluma", "volbella", "kysse", "belotero", "teosyal", "radiesse", "sculptra",
    ],
    BOTH: ["both of them", "each", "each one", "each of them", "either", "either of them", "either one", "the two"],
}
_LOOKUP = {name: value for value, names in _NAMES.items() for name in names}


def normalise_treatment(raw: Optional[Any]) -> Optional[str]:
    """Map an entity value or slot value ("Juvaderm", "fillers", "both") to a canonical name."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    text = " ".join(raw.lower().split()).rstrip("s") if raw.lower() != "botox" else "botox"
    if text in (BOTOX, FILLER, BOTH):
        return text
    if text in _LOOKUP:
        return _LOOKUP[text]
    close = difflib.get_close_matches(text, list(_LOOKUP), n=1, cutoff=0.75)
    return _LOOKUP[close[0]] if close else None


def combine(treatments: Iterable[Optional[str]]) -> Optional[str]:
    """One treatment if all agree, BOTH if both are named, None if none is."""
    named = {t for t in treatments if t}
    if BOTH in named or named == {BOTOX, FILLER}:
        return BOTH
    return named.pop() if named else None


def treatment_in_message(entities: List[Dict[str, Any]]) -> Optional[str]:
    """The treatment(s) named in one message's entities."""
    return combine(
        normalise_treatment(e.get("value")) for e in entities if e.get("entity") == "treatment"
    )


_ORDINALS = {
    0: re.compile(r"\b(first|1st|former|top)\b"),
    1: re.compile(r"\b(second|2nd|latter|last|bottom)\b"),
}
_MENTIONS = {
    BOTOX: re.compile(r"\b(botox|dysport|xeomin|anti-wrinkle|wrinkle relaxers?)\b"),
    FILLER: re.compile(r"\b(dermal fillers?|fillers?|juvederm|restylane)\b"),
}


def treatment_by_position(reply: str, bot_text: Optional[str]) -> Optional[str]:
    """"The first one" / "the second one": the treatment the bot's last message named in that place."""
    lowered = (reply or "").lower()
    place = next((p for p, pattern in _ORDINALS.items() if pattern.search(lowered)), None)
    if place is None or not bot_text:
        return None
    said = bot_text.lower()
    found = sorted((m.start(), name) for name, pattern in _MENTIONS.items() if (m := pattern.search(said)))
    return found[place][1] if place < len(found) else None
