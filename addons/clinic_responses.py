"""Domain responses filled with the clinic's details from clinic.yml, by the Rasa server itself.

endpoints.yml names this generator (`nlg: type: addons.clinic_responses.ClinicResponseGenerator`).
Rasa's own generator fills {clinic_phone} only from slots, which the action server sets at session
start; with the action server down, the urgent advice for a possible complication would then lack
the number to call. Reading the details here keeps that reply independent of the action server.
"""

from typing import Any, Dict, Optional, Text

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from clinic.clinic_details import clinic_details


class ClinicResponseGenerator(TemplatedNaturalLanguageGenerator):
    """Rasa's templated responses, with clinic details always available to fill in."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        super().__init__((domain or Domain.empty()).responses)

    async def generate(
        self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        """The response, filled from the clinic's details and the conversation's slots."""
        values = {**tracker.current_slot_values(), **clinic_details()}
        return self.generate_from_slots(utter_action, values, output_channel, **kwargs)
