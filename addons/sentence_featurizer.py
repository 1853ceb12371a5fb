"""A Rasa dense featurizer that adds the sentence encoder's vector to each message.

Only a sentence feature is added (the encoder's tokens do not line up with spaCy's), so the intent
classifier sees it and the entity extractor, which reads token features, is not affected.
"""

from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from addons.sentence_encoder import SentenceEncoder
from clinic.encoder_files import resolve_encoder_dir


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """The mean-pooled all-MiniLM-L6-v2 sentence vector (unit length) as a dense sentence feature."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """`model_path`: the encoder's folder (default: where `make install` puts it)."""
        return {**DenseFeaturizer.get_default_config(), "model_path": ""}

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        """Nothing to check beyond what loading the encoder checks."""

    @staticmethod
    def required_packages() -> List[Text]:
        """Packages the encoder runs on."""
        return ["tensorflow", "transformers", "tokenizers"]

    def __init__(self, config: Dict[Text, Any], name: Text, encoder: Optional[SentenceEncoder] = None) -> None:
        super().__init__(name, config)
        self._encoder = encoder or SentenceEncoder(resolve_encoder_dir(config["model_path"]))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SentenceEncoderFeaturizer":
        """Load the encoder (it has nothing to train)."""
        return cls({**cls.get_default_config(), **config}, execution_context.node_name)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurize every training example that has text."""
        self.process([m for m in training_data.training_examples if m.get(TEXT)])
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Add the sentence vector to each message with text."""
        with_text = [m for m in messages if m.get(TEXT)]
        if not with_text:
            return messages
        vectors = self._encoder.encode([m.get(TEXT) for m in with_text])
        for message, vector in zip(with_text, vectors, strict=True):
            self.add_features_to_message(None, np.asarray(vector, np.float32)[np.newaxis, :], TEXT, message)
        return messages
