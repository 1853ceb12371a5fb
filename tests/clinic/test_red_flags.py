import pytest

from clinic.red_flags import describes_own_complication


@pytest.mark.parametrize(
    "text",
    [
        "my lip is turning white after filler yesterday",
        "I can't breathe properly since my botox",
        "help my vision has gone blurry after the cheek filler",
        "my eyelid is drooping after botox what do I do",
        "I think it's infected, there's pus near the injection",
        "my forehead feels heavy 3 days after the jab, is that normal?",
        "had my lips done yesterday and the corner has gone pale and cold to touch",
        "one brow is higher than the other since my appointment",
        "will I be ok? my lip has gone white since the filler this morning",
    ],
)
def test_a_visitor_describing_their_own_warning_symptom_is_caught(text):
    assert describes_own_complication(text)


@pytest.mark.parametrize(
    "text",
    [
        "can botox cause droopy eyelids?",
        "what are the side effects of fillers",
        "",
        "hi, my name is Sam",
        "my vision is getting worse, I think I need new glasses",
        "I have a fever and my throat feels infected",
        "my ankle is really painful and getting worse since football",
        "will my lips be swollen after filler?",
        "my arm is so sore after my flu jab",
        "will I be swollen after filler on friday?",
        "if I get botox before my holiday, might my eyelid droop?",
        "my lip is still numb since the dentist injection this morning",
        "I had a B12 injection yesterday and now my arm is sore",
        "my lips look amazing since my appointment, no swelling at all",
    ],
)
def test_general_questions_are_not_treated_as_complications(text):
    assert not describes_own_complication(text)
