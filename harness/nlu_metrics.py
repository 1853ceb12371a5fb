"""Scores a trained model's parses against labelled NLU files: the figures `make bench-nlu` prints.

What a visitor notices decides each figure: an in-scope message that falls back is a miss, an
out-of-scope message that falls back is handled safely, and an alert is raised whenever the assistant
would take the urgent path (the model's intent, or the keyword safety net on the actions' paths).
"""

from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Set, Tuple

FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"
ADVERSE = "report_adverse_reaction"
MISSED = {FALLBACK, OUT_OF_SCOPE}
# Intents whose turn the assistant answers as something it can act on (not a miss or small talk).
ACTING = {"request_consultation", "request_human", ADVERSE, "inform", "affirm"}


@dataclass(frozen=True)
class Example:
    """One labelled message: its text, intent and treatment values."""

    text: str
    intent: str
    treatments: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Parse:
    """What the model made of one message."""

    intent: str
    confidence: float
    treatments: Tuple[str, ...] = ()


def is_correct(example: Example, parse: Parse) -> bool:
    """Right intent; for out-of-scope messages, falling back counts as right."""
    if example.intent == OUT_OF_SCOPE:
        return parse.intent in MISSED
    return parse.intent == example.intent


def raises_alert(text: str, parse: Parse, safety_net: Callable[[str], bool]) -> bool:
    """Whether the assistant would alert staff: the adverse intent, or the safety net on a FAQ/fallback path."""
    if parse.intent == ADVERSE:
        return True
    return parse.intent not in {"request_consultation", "request_human", "stop"} and safety_net(text)


def macro_f1(examples: Sequence[Example], parses: Sequence[Parse]) -> float:
    """Mean F1 over the labelled intents (fallback counted as out_of_scope)."""
    labels = sorted({e.intent for e in examples})
    scores = []
    for label in labels:
        predicted = [(OUT_OF_SCOPE if p.intent in MISSED else p.intent) == label for p in parses]
        actual = [e.intent == label for e in examples]
        tp = sum(a and p for a, p in zip(actual, predicted, strict=True))
        precision = tp / max(sum(predicted), 1)
        recall = tp / max(sum(actual), 1)
        scores.append(0.0 if tp == 0 else 2 * precision * recall / (precision + recall))
    return sum(scores) / len(scores)


def treatment_f1(examples: Sequence[Example], parses: Sequence[Parse]) -> Optional[float]:
    """F1 of the treatment values named per message (None when no example names one)."""
    tp = fp = fn = 0
    for example, parse in zip(examples, parses, strict=True):
        gold: Set[str] = set(example.treatments)
        found: Set[str] = set(parse.treatments)
        tp, fp, fn = tp + len(gold & found), fp + len(found - gold), fn + len(gold - found)
    if tp + fn == 0:
        return None
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def score(examples: Sequence[Example], parses: Sequence[Parse], safety_net: Callable[[str], bool]) -> Dict:
    """Every figure for one file."""
    n = len(examples)
    in_scope = [(e, p) for e, p in zip(examples, parses, strict=True) if e.intent != OUT_OF_SCOPE]
    out_scope = [(e, p) for e, p in zip(examples, parses, strict=True) if e.intent == OUT_OF_SCOPE]
    adverse = [(e, p) for e, p in zip(examples, parses, strict=True) if e.intent == ADVERSE]
    not_adverse = [(e, p) for e, p in zip(examples, parses, strict=True) if e.intent != ADVERSE]
    return {
        "examples": n,
        "intent_accuracy": sum(is_correct(e, p) for e, p in zip(examples, parses, strict=True)) / n,
        "macro_f1": macro_f1(examples, parses),
        "treatment_f1": treatment_f1(examples, parses),
        "in_scope_fell_back": _share(in_scope, lambda e, p: p.intent in MISSED),
        "out_of_scope_recall": _share(out_scope, lambda e, p: p.intent in MISSED),
        "out_of_scope_answered_as_faq": _share(out_scope, lambda e, p: p.intent.startswith("ask_")),
        "out_of_scope_acted_on": _share(out_scope, lambda e, p: p.intent in ACTING),
        "adverse_recall": _share(adverse, lambda e, p: raises_alert(e.text, p, safety_net)),
        "false_alerts": sum(raises_alert(e.text, p, safety_net) for e, p in not_adverse),
    }


def _share(pairs: List[Tuple[Example, Parse]], test: Callable[[Example, Parse], bool]) -> Optional[float]:
    return sum(test(e, p) for e, p in pairs) / len(pairs) if pairs else None
