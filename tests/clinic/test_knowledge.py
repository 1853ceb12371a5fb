"""Every FAQ answer is complete, sourced, and states only figures its sources give."""

import re
from pathlib import Path

import pytest

from clinic.knowledge import find_answer, load_answers, load_sources
from clinic.settings import get_settings

FAQ_INTENTS = [
    "ask_how_it_works", "ask_duration", "ask_side_effects", "ask_combination", "ask_difference",
    "ask_treatment_areas", "ask_results_timing", "ask_downtime", "ask_ingredients", "ask_reversal",
    "ask_prevention", "ask_other_uses", "ask_practitioner", "ask_wrinkle_types", "ask_cost", "ask_candidacy",
]
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "nine": "9", "twelve": "12"}
ALL_ANSWERS = [a for variants in load_answers().values() for a in variants.values()]


def test_every_faq_intent_has_an_answer_for_both_treatments_together():
    assert sorted(load_answers()) == sorted(FAQ_INTENTS)
    for intent in FAQ_INTENTS:
        assert find_answer(intent, "both") is not None, intent
        assert find_answer(intent, "botox") is not None and find_answer(intent, "filler") is not None


@pytest.mark.parametrize("answer", ALL_ANSWERS, ids=lambda a: f"{a.topic}-{a.treatment}")
def test_every_answer_names_known_sources_or_offers_a_consultation(answer):
    assert set(answer.sources) <= set(load_sources())
    # Questions the articles cannot answer for one person are met with a consultation offer.
    assert answer.sources or answer.offer_consultation


@pytest.mark.parametrize("answer", ALL_ANSWERS, ids=lambda a: f"{a.topic}-{a.treatment}")
def test_answers_are_one_to_four_sentences_in_the_clinic_voice(answer):
    text = answer.render(get_settings().clinic)
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
    assert 1 <= len(sentences) <= 4, text
    assert "{" not in text and get_settings().clinic.name not in answer.text


def figures_not_in_sources(text, sources):
    """The numbers in `text` that none of the `sources` articles gives (as digits or as words)."""
    source_text = " ".join((SEEDS / f"{s}.txt").read_text(encoding="utf-8").lower() for s in sources)
    for word, digit in NUMBER_WORDS.items():
        source_text = re.sub(rf"\b{word}\b", digit, source_text)
    return [n for n in re.findall(r"\d+", text) if not re.search(rf"(?<!\d){n}(?!\d)", source_text)]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="source articles (shared/seeds) not beside the checkout")
@pytest.mark.parametrize("answer", [a for a in ALL_ANSWERS if a.sources], ids=lambda a: f"{a.topic}-{a.treatment}")
def test_every_figure_in_an_answer_appears_in_its_sources(answer):
    assert figures_not_in_sources(answer.text, answer.sources) == [], answer.sources


# What each question is about, in the visitor's words: the answer's first sentence must say it.
FIRST_SENTENCE_SAYS = {
    "ask_how_it_works": "work", "ask_duration": "last", "ask_side_effects": "side effect",
    "ask_combination": "combined", "ask_difference": "difference", "ask_treatment_areas": "areas",
    "ask_results_timing": "results", "ask_downtime": "downtime", "ask_ingredients": "made",
    "ask_reversal": "reversed", "ask_prevention": "prevent", "ask_other_uses": "use",
    "ask_practitioner": "inject", "ask_wrinkle_types": "wrinkles", "ask_cost": "price",
    "ask_candidacy": "right for you",
}


@pytest.mark.parametrize("answer", ALL_ANSWERS, ids=lambda a: f"{a.topic}-{a.treatment}")
def test_the_first_sentence_answers_the_question_in_the_visitors_words(answer):
    first_sentence = re.split(r"(?<=[.!?])\s+", answer.text)[0]
    assert FIRST_SENTENCE_SAYS[answer.topic] in first_sentence.lower(), first_sentence


@pytest.mark.parametrize("treatment", ["botox", "filler", "both"])
def test_a_side_effects_answer_talks_about_side_effects_and_says_what_the_articles_leave_out(treatment):
    text = find_answer("ask_side_effects", treatment).text
    assert "side effect" in text.split(".")[0]
    assert "don't list" in text and "consultation" in text
