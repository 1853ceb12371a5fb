"""Keeps only `treatment` entities that name a treatment, with the canonical value.

The extractor sometimes takes a body area ("lip", "cheeks") or "wrinkles" for the treatment; such a
span maps to no treatment (clinic.treatments) and is dropped, so it never fills the `treatment` slot.
"""

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message

from clinic.treatments import normalise_treatment

TREATMENT = "treatment"


def canonical_treatments(entities: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The entities with each treatment's value made canonical, and non-treatments dropped."""
    kept = []
    for entity in entities:
        if entity.get("entity") != TREATMENT:
            kept.append(entity)
            continue
        value = normalise_treatment(entity.get("value"))
        if value:
            kept.append({**entity, "value": value})
    return kept


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class TreatmentEntityFilter(GraphComponent):
    """Runs after EntitySynonymMapper; see the module docstring."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TreatmentEntityFilter":
        """Nothing to configure or train."""
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Filter each message's entities in place."""
        for message in messages:
            message.set(ENTITIES, canonical_treatments(message.get(ENTITIES, [])), add_to_output=True)
        return messages
