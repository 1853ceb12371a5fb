"""Things visitors name within a question are answered first: what the articles say, or that they don't."""

import re

import pytest

from clinic.knowledge import faq_topics, find_answer, load_sources
from clinic.specifics import ANY_TREATMENT, answer_to, load_specifics, mentions
from tests.clinic.test_knowledge import SEEDS, figures_not_in_sources

COVERED = [(s, treatment, said) for s in load_specifics() for treatment, said in s.about.items()]
COVERED_IDS = [f"{s.key}-{treatment}" for s, treatment, _ in COVERED]


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+", text)[0]


def named(message: str, topic: str = "ask_side_effects"):
    return [m.specific.key for m in mentions(message, topic)]


def test_a_drooping_eyelid_is_answered_about_eyelids_saying_the_information_does_not_cover_it():
    answer = answer_to("ask_side_effects", "botox", "my eyelid is drooping, can botox do that?")
    lead = first_sentence(answer.text)
    assert "eyelid" in lead and "does not cover" in lead and "specifically" in lead and "consultation" in lead
    # ...then the general side-effects answer, with a consultation offered.
    assert answer.text.endswith(find_answer("ask_side_effects", "botox").text)
    assert answer.offer_consultation


def test_a_specific_the_articles_cover_gives_what_they_say_with_its_source():
    answer = answer_to("ask_side_effects", "filler", "can you be allergic to hyaluronic acid filler?")
    lead = first_sentence(answer.text)
    assert "allergic reactions" in lead and "extremely rare" in lead and "does not cover" not in answer.text
    assert "000_db42d23a6ac66a7d" in answer.sources


def test_what_the_articles_say_about_botox_allergy_is_nothing():
    lead = first_sentence(answer_to("ask_side_effects", "botox", "can you be allergic to botox?").text)
    assert lead.startswith("Our information does not cover allergic reactions specifically")


def test_a_covered_specific_adds_its_sources_to_the_answers():
    general = find_answer("ask_side_effects", "botox")
    answer = answer_to("ask_side_effects", "botox", "I'm really scared of needles")
    assert "002_441d491793340631" not in general.sources
    assert answer.sources == (*general.sources, "002_441d491793340631")
    assert first_sentence(answer.text).startswith("On needles, the articles only say")


def test_a_message_naming_nothing_specific_gets_the_general_answer_unchanged():
    assert answer_to("ask_side_effects", "botox", "what are the side effects of botox?") == find_answer(
        "ask_side_effects", "botox")
    assert answer_to("ask_side_effects", None, "") == find_answer("ask_side_effects", "both")


def test_things_the_articles_do_not_cover_share_one_sentence_and_offer_a_consultation():
    answer = answer_to("ask_downtime", "botox", "Will I bruise or swell? Can I go to the gym after?")
    lead = first_sentence(answer.text)
    assert lead == ("Our information does not cover bruising, swelling or exercise specifically, so the "
                    "practitioner will go through it with you at a consultation.")
    assert answer.offer_consultation and not find_answer("ask_downtime", "botox").offer_consultation


def test_the_visitors_own_word_is_named_where_the_entry_asks_for_it():
    answer = answer_to("ask_candidacy", "filler", "I take Aspirin every day and have lupus")
    assert first_sentence(answer.text).startswith("Our information does not cover aspirin or lupus specifically")


def test_how_long_it_lasts_in_one_area_is_said_not_to_be_covered_before_the_general_figures():
    answer = answer_to("ask_duration", "filler", "how long do lip fillers last?")
    assert first_sentence(answer.text).startswith("Our information does not cover how long it lasts in the lips")
    assert "2 years" in answer.text


@pytest.mark.parametrize(
    "message, expected",
    [
        ("is it painful?", ["pain"]),
        ("I want to paint my nails after", []),  # "pain" is not in "paint"
        ("does it HURT", ["pain"]),
        ("Swollen lips?", ["swelling"]),
        ("will i bruise", ["bruising"]),
        ("is it safe long-term", ["long_term"]),  # a hyphen is a space
        ("I’m pregnant", ["pregnancy"]),  # a curly apostrophe
        ("any bruising, and what about lumps?", ["bruising", "lumps"]),
        ("sunny day, I'm numbingly bored", []),
        ("the drop in volume", []),
    ],
)
def test_specifics_are_found_on_whole_words_in_any_case(message, expected):
    assert named(message) == expected


def test_a_longer_phrase_wins_over_a_word_inside_it():
    assert named("can I work out the next day?", "ask_downtime") == ["exercise"]
    assert named("can I go back to work the next day?", "ask_downtime") == ["back_to_work"]


def test_a_specific_only_counts_for_the_questions_it_is_about():
    assert named("how long does lip filler last", "ask_duration") == ["duration_lips"]
    assert named("can filler do my lips?", "ask_treatment_areas") == []
    assert named("can it help with TMJ pain", "ask_other_uses") == ["other_uses"]


def test_every_specific_has_a_name_words_and_real_questions():
    specifics = load_specifics()
    assert len({s.key for s in specifics}) == len(specifics) and specifics
    for specific in specifics:
        assert specific.name and specific.words, specific.key
        assert set(specific.topics) | set(specific.not_topics) <= set(faq_topics()), specific.key
        assert set(specific.about) <= {"botox", "filler", "both", ANY_TREATMENT}, specific.key


@pytest.mark.parametrize("specific, treatment, said", COVERED, ids=COVERED_IDS)
def test_what_a_specific_says_is_one_sourced_sentence(specific, treatment, said):
    assert said.sources and set(said.sources) <= set(load_sources())
    assert len(re.split(r"(?<=[.!?])\s+", said.text)) == 1, said.text
    assert "{" not in said.text


@pytest.mark.skipif(not SEEDS.is_dir(), reason="source articles (shared/seeds) not beside the checkout")
@pytest.mark.parametrize("specific, treatment, said", COVERED, ids=COVERED_IDS)
def test_every_figure_in_a_specific_appears_in_its_sources(specific, treatment, said):
    assert figures_not_in_sources(said.text, said.sources) == [], said.sources


def test_each_word_counts_where_the_name_is_the_visitors_word():
    answer = answer_to("ask_candidacy", "filler", "I'm 45 with quite thin skin and rosacea")
    assert first_sentence(answer.text).startswith("Our information does not cover thin skin or rosacea specifically")
