"""A Rasa intent classifier over the sentence encoder's vector and word/character tf-idf (addons.intent_model)."""

from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from addons.intent_model import SAVED_FORMAT, IntentModel


def prioritised(ranking: List[Dict[str, Any]], priority: Dict[str, float]) -> List[Dict[str, Any]]:
    """The ranking with the first intent that reaches its priority threshold moved to the top."""
    chosen = next((e for e in ranking if e["confidence"] >= priority.get(e["name"], 2.0)), None)
    if chosen is None:
        return ranking
    return [chosen] + [e for e in ranking if e is not chosen]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SentenceIntentClassifier(IntentClassifier, GraphComponent):
    """Logistic regression over the encoder's sentence feature (from `featurizer`) and the text's n-grams."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """The defaults, chosen on a validation split of the training data.

        `featurizer`: the alias of the sentence encoder (empty: n-grams only); `regularisation`: the classifier's C;
        `vector_weight`: how much the sentence vector counts beside the n-grams; `balanced`: weigh intents
        as if equally frequent (off: the large out_of_scope set then counts as much as it is large);
        `priority`: intent → probability at which it is chosen even when another intent is likelier
        (for intents where a miss costs more than a false alarm); `ranking_length`: intents listed.
        """
        return {
            "featurizer": "encoder",
            "regularisation": 30.0,
            "vector_weight": 2.0,
            "balanced": False,
            "priority": {},
            "ranking_length": 10,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[IntentModel] = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SentenceIntentClassifier":
        """An untrained classifier."""
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """The saved files' format: part of what Rasa's training cache keys a trained classifier on."""
        return SAVED_FORMAT

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "SentenceIntentClassifier":
        """The trained classifier (an untrained one if training saved none, e.g. no intent data)."""
        config = {**cls.get_default_config(), **config}
        try:
            with model_storage.read_from(resource) as folder:
                model = IntentModel.load(folder, vector_weight=config["vector_weight"])
        except ValueError:
            model = None
        return cls(config, model_storage, resource, model)

    def train(self, training_data: TrainingData) -> Resource:
        """Fit on every example that has text and an intent, then persist."""
        examples = [m for m in training_data.intent_examples if m.get(TEXT) and m.get(INTENT)]
        if not examples:
            return self._resource
        self._model = IntentModel(
            self._config["regularisation"], self._config["vector_weight"], self._config["balanced"]
        ).fit(
            [m.get(TEXT) for m in examples], self._vectors(examples), [m.get(INTENT) for m in examples]
        )
        with self._storage.write_to(self._resource) as folder:
            self._model.save(folder)
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        """Set the intent and the ranking on each message with text."""
        with_text = [m for m in messages if m.get(TEXT)]
        if self._model is None or not with_text:
            return messages
        probabilities = self._model.predict_proba([m.get(TEXT) for m in with_text], self._vectors(with_text))
        for message, row in zip(with_text, probabilities, strict=True):
            ranking = prioritised(
                sorted(
                    ({"name": name, "confidence": float(p)} for name, p in zip(self._model.intents, row, strict=True)),
                    key=lambda entry: -entry["confidence"],
                ),
                self._config["priority"],
            )
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking[: self._config["ranking_length"]], add_to_output=True)
        return messages

    def _vectors(self, messages: List[Message]) -> np.ndarray:
        if not self._config["featurizer"]:
            return np.zeros((len(messages), 0))
        rows = []
        for message in messages:
            _, sentence = message.get_dense_features(TEXT, [self._config["featurizer"]])
            if sentence is None:
                raise ValueError(f"No sentence feature from '{self._config['featurizer']}': check the pipeline.")
            rows.append(sentence.features[0])
        return np.vstack(rows)
