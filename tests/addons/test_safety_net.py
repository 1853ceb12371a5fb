"""A complication the classifier misread still reaches the urgent path; everything else is untouched."""

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.safety_net import ComplicationSafetyNet

COMPLICATION = "my lip has gone white and really painful since my filler yesterday"


def parsed(text, intent, confidence=0.8):
    message = Message(data={TEXT: text, INTENT: {"name": intent, "confidence": confidence},
                            INTENT_RANKING_KEY: [{"name": intent, "confidence": confidence}]})
    ComplicationSafetyNet({"not_for_intents": ["request_human"]}).process([message])
    return message


@pytest.mark.parametrize("intent", ["ask_side_effects", "nlu_fallback", "out_of_scope", "greet", "inform"])
def test_a_complication_read_as_anything_else_becomes_a_report(intent):
    message = parsed(COMPLICATION, intent)
    assert message.get(INTENT) == {"name": "report_adverse_reaction", "confidence": 1.0}
    # What the model thought stays visible to staff reviewing the conversation.
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["report_adverse_reaction", intent]


@pytest.mark.parametrize("text", ["what are the side effects of fillers?",
                                  "can filler make your lip go white?",
                                  "my friend's lip went white after her filler"])
def test_questions_and_other_peoples_stories_keep_their_intent(text):
    assert parsed(text, "ask_side_effects").get(INTENT)["name"] == "ask_side_effects"


def test_an_intent_left_alone_by_configuration_keeps_its_own_path():
    assert parsed(COMPLICATION + ", can I speak to a nurse", "request_human").get(INTENT)["name"] == "request_human"
