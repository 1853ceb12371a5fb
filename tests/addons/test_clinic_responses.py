from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from addons.clinic_responses import ClinicResponseGenerator
from clinic.settings import PROJECT_ROOT


async def test_the_urgent_advice_has_the_clinic_phone_without_any_slot_set(settings):
    domain = Domain.load(str(PROJECT_ROOT / "domain"))
    generator = ClinicResponseGenerator(domain=domain)
    tracker = DialogueStateTracker("v-1", domain.slots)
    response = await generator.generate("utter_adverse_urgent", tracker, "rest")
    assert settings.clinic.phone in response["text"] and settings.clinic.emergency_number in response["text"]
    assert settings.clinic.name in response["text"] and "None" not in response["text"]
