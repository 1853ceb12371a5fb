"""SpacyNLP that gives later components spaCy's tokens alone, without running its pipeline on every message.

Of what en_core_web_sm computes, the components after it read only the tokens: SpacyTokenizer takes
each token's text and offsets (from spaCy's rule-based tokenizer, the same with or without the
rest), the CRF entity extractor's features (Rasa's defaults) use no part-of-speech tags, and names come
from PersonNameExtractor, which runs the recogniser itself on the text as typed (SpacyNLP lower-cases
it). Running the tagger, lemmatizer and recogniser anyway cost about 9 ms of every message.
"""

from typing import Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.language import Language
from spacy.tokens import Doc


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MODEL_LOADER, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=False,
    model_from="SpacyTokensNLP",
)
class SpacyTokensNLP(SpacyNLP):
    """SpacyNLP (same options, same model for later components) whose docs hold tokens only."""

    def _doc_for_text(self, model: Language, text: Text) -> Doc:
        """The message's tokens (spaCy's tokenizer alone)."""
        return model.make_doc(self._preprocess_text(text))

    def process_training_data(self, training_data: TrainingData, model: SpacyModel) -> TrainingData:
        """Tokens for every training example."""
        with model.model.select_pipes(disable=model.model.pipe_names):
            return super().process_training_data(training_data, model)
