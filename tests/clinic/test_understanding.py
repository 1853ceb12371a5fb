import pytest
import yaml

from clinic.settings import RASA_CONFIG
from clinic.understanding import MISS_INTENTS, is_miss, is_unsure, low_confidence_threshold


def test_the_threshold_is_the_fallback_classifiers_in_config_yml():
    pipeline = yaml.safe_load(RASA_CONFIG.read_text())["pipeline"]
    (fallback,) = [c for c in pipeline if c["name"] == "FallbackClassifier"]
    assert low_confidence_threshold() == fallback["threshold"]


def test_another_config_gives_another_threshold_and_none_is_an_error(tmp_path):
    config = tmp_path / "config.yml"
    config.write_text("pipeline:\n  - name: WhitespaceTokenizer\n  - name: FallbackClassifier\n    threshold: 0.7\n")
    assert low_confidence_threshold(config) == 0.7
    config.write_text("pipeline:\n  - name: WhitespaceTokenizer\n")
    with pytest.raises(ValueError):
        low_confidence_threshold.__wrapped__(config)


def test_misses_and_unsure_guesses():
    assert MISS_INTENTS == {"nlu_fallback", "out_of_scope"}
    assert is_miss("nlu_fallback") and not is_miss("ask_duration") and not is_miss(None)
    threshold = low_confidence_threshold()
    assert is_unsure("out_of_scope", 0.99) and is_unsure("ask_cost", threshold - 0.01)
    assert not is_unsure("ask_cost", threshold) and is_unsure("ask_cost", None)
