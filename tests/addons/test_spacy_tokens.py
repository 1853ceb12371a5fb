"""The tokens-only spaCy step gives the tokenizer exactly the tokens Rasa's SpacyNLP gives it."""

import pytest
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from addons.spacy_tokens import SpacyTokensNLP
from clinic.settings import PROJECT_ROOT

MESSAGES = ["How long does Botox last?", "my lip's swollen since yesterday's filler!!", "it's Tom, 07911 123456",
            "what's the diff b/w juvederm & restylane (lips)?", "   ", "e-mail: anna.smith@example.com"]
CONFIG = {"model": str(PROJECT_ROOT / ".venv" / "spacy" / "en_core_web_sm"), "case_sensitive": False}


@pytest.fixture(scope="module")
def model():
    return SpacyNLP.load_model(CONFIG["model"])


def tokens(nlp, model, messages):
    nlp.process(messages, model)
    SpacyTokenizer(SpacyTokenizer.get_default_config()).process(messages)
    return [[(t.text, t.start, t.end) for t in m.get("text_tokens")] for m in messages]


def test_each_message_has_the_same_tokens(model):
    ours = tokens(SpacyTokensNLP(model, CONFIG), model, [Message({TEXT: text}) for text in MESSAGES])
    rasas = tokens(SpacyNLP(model, CONFIG), model, [Message({TEXT: text}) for text in MESSAGES])
    assert ours == rasas and ours[0] == [("how", 0, 3), ("long", 4, 8), ("does", 9, 13), ("botox", 14, 19),
                                         ("last", 20, 24), ("?", 24, 25)]


def test_training_examples_have_the_same_tokens_and_the_model_keeps_its_recogniser(model):
    def training_tokens(nlp):
        data = TrainingData([Message({TEXT: text, "intent": "x"}) for text in MESSAGES])
        nlp.process_training_data(data, model)
        SpacyTokenizer(SpacyTokenizer.get_default_config()).process_training_data(data)
        return [[t.text for t in m.get("text_tokens")] for m in data.training_examples]

    assert training_tokens(SpacyTokensNLP(model, CONFIG)) == training_tokens(SpacyNLP(model, CONFIG))
    assert "ner" in model.model.pipe_names
