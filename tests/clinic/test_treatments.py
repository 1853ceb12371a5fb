import pytest

from clinic.treatments import (
    BOTH,
    BOTOX,
    FILLER,
    combine,
    normalise_treatment,
    treatment_by_position,
    treatment_in_message,
)
from tests.conftest import treatment


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Botox", BOTOX), ("botix", BOTOX), ("Dysport", BOTOX), ("Xeomin", BOTOX), ("tox", BOTOX),
        ("wrinkle relaxers", BOTOX), ("neurotoxin", BOTOX),
        ("fillers", FILLER), ("Juvaderm", FILLER), ("Restylane", FILLER), ("HA", FILLER),
        ("lip fillers", FILLER), ("hyaluronic acid", FILLER),
        ("both", BOTH), ("each one", BOTH), ("either of them", BOTH), ("Azzalure", BOTOX), ("Volbella", FILLER),
        ("lip", None), ("cheeks", None), ("wrinkles", None), ("laser", None), ("", None), (None, None), (42, None),
    ],
)
def test_names_visitors_use_map_to_one_treatment(raw, expected):
    assert normalise_treatment(raw) == expected


def test_a_message_naming_both_treatments_means_both():
    entities = [treatment("botox", "Botox"), treatment("filler", "Juvederm")]
    assert treatment_in_message(entities) == BOTH


def test_the_same_treatment_twice_is_still_one():
    assert combine([BOTOX, BOTOX, None]) == BOTOX
    assert combine([]) is None


def test_other_entities_are_ignored():
    assert treatment_in_message([{"entity": "PERSON", "value": "Sarah"}]) is None


ASKED = "I can tell you about Botox and dermal fillers, or help you book a consultation."


@pytest.mark.parametrize(
    "reply, bot_text, expected",
    [
        ("the first one", ASKED, BOTOX),
        ("2nd one pls", ASKED, FILLER),
        ("the latter", "Fillers or Botox?", BOTOX),
        ("the first one", "What would you like to know?", None),
        ("the first one", None, None),
        ("fillers", ASKED, None),
    ],
)
def test_a_reply_by_position_means_the_treatment_the_bot_named_there(reply, bot_text, expected):
    assert treatment_by_position(reply, bot_text) == expected
