"""Visitors' names (spaCy's PERSON entities), found by running only spaCy's entity recogniser.

Rasa's SpacyEntityExtractor runs the whole spaCy pipeline a second time on every message (the first
run, SpacyNLP's, sees lower-cased text, which the recogniser cannot use). In en_core_web_sm the
recogniser has its own token encoder, so running it alone gives the same entities for about a third
of the cost (measured: 26 → 9 ms a message on a loaded machine).

A name is only read from a message whose intent can give one (the booking form takes its answers
from every message except clear questions and requests, domain/booking.yml's `not_form_answers`).
`not_for_intents` lists those intents: for them, nothing is run (most of a visitor's messages are
questions, and the recogniser was about 7 ms of each).
"""

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.spacy_entity_extractor import SpacyEntityExtractor
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

RECOGNISER = "ner"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False, model_from="SpacyTokensNLP"
)
class PersonNameExtractor(SpacyEntityExtractor):
    """SpacyEntityExtractor (same `dimensions` option, same entities) with only the recogniser run."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """SpacyEntityExtractor's options, and the intents whose messages are not searched for names."""
        return {**SpacyEntityExtractor.get_default_config(), "not_for_intents": []}

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        """Add the entities of the configured dimensions (e.g. PERSON) found in each message's own text."""
        nlp = model.model
        others = [name for name in nlp.pipe_names if name != RECOGNISER]
        skipped = set(self._config.get("not_for_intents") or ())
        for message in messages:
            if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) in skipped:
                continue
            doc = nlp(message.get(TEXT), disable=others)
            found = self.filter_irrelevant_entities(
                self.add_extractor_name(self._extract_entities(doc)), self._config["dimensions"]
            )
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages
