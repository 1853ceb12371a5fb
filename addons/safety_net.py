"""The keyword safety net for complications, as the last word on a message's intent.

A visitor describing a warning symptom after their own treatment (clinic.red_flags) must get the urgent
reply and staff an alert, whatever the classifier made of the message. When the net catches a
message the model read as something else (a question, small talk, not understood), its intent
becomes `report_adverse_reaction`, so the dialogue's own rule answers it: the urgent advice from the
Rasa server, then the alert from the action server, which records it.

`not_for_intents` are the intents whose own action already reaches staff (a booking, a person) or
that end the conversation; the understanding yardstick counts alerts the same way
(harness/nlu_metrics.py).
"""

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from clinic.red_flags import describes_own_complication

REPORT = "report_adverse_reaction"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ComplicationSafetyNet(GraphComponent):
    """Runs after the FallbackClassifier; see the module docstring."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Intents the net leaves alone."""
        return {"not_for_intents": []}

    def __init__(self, config: Dict[Text, Any]) -> None:
        """Keep the intents to leave alone."""
        self._left_alone = frozenset(config.get("not_for_intents") or ()) | {REPORT}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ComplicationSafetyNet":
        """Nothing to train."""
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        """Make each message the net catches a report (the model's ranking is kept below it)."""
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if intent in self._left_alone or not describes_own_complication(message.get(TEXT) or ""):
                continue
            report = {INTENT_NAME_KEY: REPORT, PREDICTED_CONFIDENCE_KEY: 1.0}
            message.set(INTENT, report, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [report, *(message.get(INTENT_RANKING_KEY) or [])], add_to_output=True)
        return messages
