"""Visitors' names come out of the lighter extractor exactly as out of Rasa's SpacyEntityExtractor."""

import pytest
import spacy
import yaml
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


def message_with_intent(text, intent):
    return Message({TEXT: text, "intent": {"name": intent, "confidence": 0.9}})


def test_names_are_not_looked_for_in_questions(model):
    extractor = PersonNameExtractor({"dimensions": ["PERSON"], "not_for_intents": ["ask_cost"]})
    question, answer = extractor.process([message_with_intent("I'm Priya Patel, how much is Botox?", "ask_cost"),
                                          message_with_intent("I'm Priya Patel", "inform")], model)
    assert question.get(ENTITIES, []) == []
    assert [e["value"] for e in answer.get(ENTITIES)] == ["Priya Patel"]


def test_names_are_looked_for_in_every_message_the_booking_form_takes_an_answer_from():
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())
    extractor = next(c for c in config["pipeline"] if c["name"].endswith("PersonNameExtractor"))
    domain = yaml.safe_load((PROJECT_ROOT / "domain" / "booking.yml").read_text())
    from_text = next(m for m in domain["slots"]["visitor_name"]["mappings"] if m["type"] == "from_text")
    assert extractor["not_for_intents"] == from_text["not_intent"]
    assert config["pipeline"][-1] is extractor  # after the fallback decision: it sees the final intent
