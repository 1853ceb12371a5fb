import numpy as np
import pytest

from addons.intent_classifier import prioritised
from addons.intent_model import IntentModel
from addons.treatment_entities import canonical_treatments
from clinic.encoder_files import ENCODER_DIR, EncoderFilesError, verify_encoder_dir

TEXTS = ["how long does botox last", "how many months do fillers stay", "hello there", "hi!", "bye now", "see ya"]
INTENTS = ["ask_duration", "ask_duration", "greet", "greet", "goodbye", "goodbye"]


def vectors(n: int) -> np.ndarray:
    return np.random.default_rng(0).normal(size=(n, 8))


def test_the_intent_model_survives_saving_and_loading(tmp_path):
    model = IntentModel(vector_weight=2.0).fit(TEXTS, vectors(6), INTENTS)
    before = model.predict_proba(["how long do fillers last"], vectors(1))
    model.save(tmp_path)
    loaded = IntentModel.load(tmp_path, vector_weight=2.0)
    assert loaded.intents == ["ask_duration", "goodbye", "greet"]
    np.testing.assert_allclose(loaded.predict_proba(["how long do fillers last"], vectors(1)), before)
    assert loaded.intents[int(before.argmax())] == "ask_duration"


def test_the_fast_probabilities_equal_the_classifiers_own():
    model = IntentModel(vector_weight=2.0).fit(TEXTS, vectors(6), INTENTS)
    texts = ["how long do fillers last", "hello", "bye bye", "something else entirely"]
    stacked = model.classifier.predict_proba(model._features(texts, vectors(4)))
    np.testing.assert_allclose(model.predict_proba(texts, vectors(4)), stacked, rtol=1e-9)


def test_a_model_of_two_intents_gives_their_probabilities():
    model = IntentModel().fit(TEXTS[:4], vectors(4), INTENTS[:4])
    texts = ["how long does it last", "hello"]
    probabilities = model.predict_proba(texts, vectors(2))
    assert probabilities.shape == (2, 2)
    np.testing.assert_allclose(probabilities, model.classifier.predict_proba(model._features(texts, vectors(2))))


def test_a_priority_intent_is_chosen_from_its_threshold():
    ranking = [{"name": "ask_side_effects", "confidence": 0.6}, {"name": "report_adverse_reaction", "confidence": 0.35}]
    assert prioritised(ranking, {"report_adverse_reaction": 0.3})[0]["name"] == "report_adverse_reaction"
    assert prioritised(ranking, {"report_adverse_reaction": 0.4}) == ranking
    assert prioritised(ranking, {}) == ranking


def test_body_areas_never_become_the_treatment_and_names_become_canonical():
    entities = [
        {"entity": "treatment", "value": "lip"},
        {"entity": "treatment", "value": "Juvaderm"},
        {"entity": "treatment", "value": "cheeks"},
        {"entity": "PERSON", "value": "Sam"},
    ]
    assert canonical_treatments(entities) == [
        {"entity": "treatment", "value": "filler"},
        {"entity": "PERSON", "value": "Sam"},
    ]


def test_encoder_files_that_are_not_the_official_ones_are_refused(tmp_path):
    (tmp_path / "model.safetensors").write_bytes(b"not the weights")
    (tmp_path / "tokenizer.json").write_text("{}")
    with pytest.raises(EncoderFilesError, match="refusing"):
        verify_encoder_dir(tmp_path)
    with pytest.raises(EncoderFilesError, match="missing"):
        verify_encoder_dir(tmp_path / "nowhere")


def test_the_installed_encoder_files_are_the_official_ones():
    verify_encoder_dir(ENCODER_DIR)
