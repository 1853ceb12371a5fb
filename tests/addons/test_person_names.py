"""Visitors' names come out of the lighter extractor exactly as out of Rasa's SpacyEntityExtractor."""

import pytest
import spacy
from rasa.nlu.extractors.spacy_entity_extractor import SpacyEntityExtractor
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.person_names import PersonNameExtractor
from clinic.settings import PROJECT_ROOT

MESSAGES = ["My name is Anna Smith, call me on Friday", "it's Tom", "I'm Priya Patel and I'd like Botox",
            "how long do fillers last?", "Dr. Maria Garcia recommended you"]


@pytest.fixture(scope="module")
def model():
    path = PROJECT_ROOT / ".venv" / "spacy" / "en_core_web_sm"
    return SpacyModel(model=spacy.load(path, disable=["parser"]), model_name=str(path))


def entities(extractor, model, text):
    return [(e["value"], e["entity"], e["start"], e["end"])
            for e in extractor.process([Message({TEXT: text})], model)[0].get(ENTITIES, [])]


@pytest.mark.parametrize("text", MESSAGES)
def test_the_same_names_as_rasas_extractor(model, text):
    config = {"dimensions": ["PERSON"]}
    assert entities(PersonNameExtractor(config), model, text) == entities(SpacyEntityExtractor(config), model, text)


def test_a_visitors_full_name_is_found(model):
    found = entities(PersonNameExtractor({"dimensions": ["PERSON"]}), model, "My name is Anna Smith")
    assert found == [("Anna Smith", "PERSON", 11, 21)]
