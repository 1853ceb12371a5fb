import pytest

from actions.faq import ActionAnswerFaq, choose
from clinic.knowledge import find_answer
from tests.conftest import make_tracker, treatment


@pytest.mark.parametrize(
    "intent, entities, slots, expected",
    [
        ("ask_duration", [treatment("botox")], {}, ("ask_duration", "botox")),
        # "And fillers?" repeats the last question for the other treatment.
        ("inform", [treatment("filler")], {"faq_topic": "ask_duration", "treatment": "botox"},
         ("ask_duration", "filler")),
        # "Does that hurt?" keeps the treatment in context.
        ("ask_side_effects", [], {"faq_topic": "ask_duration", "treatment": "filler"}, ("ask_side_effects", "filler")),
        ("ask_duration", [treatment("botox"), treatment("filler")], {}, ("ask_duration", "both")),
        ("ask_downtime", [], {}, ("ask_downtime", None)),
        ("inform", [treatment("Juvaderm")], {}, ("ask_how_it_works", "filler")),
        ("inform", [], {"faq_topic": "ask_duration"}, (None, None)),
    ],
)
def test_topic_and_treatment_follow_the_conversation(intent, entities, slots, expected):
    choice = choose(intent, entities, slots)
    assert (choice.topic, choice.treatment) == expected


async def run(tracker, dispatcher, settings=None):
    return await ActionAnswerFaq().run(dispatcher, tracker, {})


async def test_botox_duration_then_fillers_answers_each_with_its_sources(dispatcher, settings):
    events = await run(make_tracker("How long does Botox last?", "ask_duration", [treatment("botox")]), dispatcher)
    assert "4 to 6 months" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[0]["sources"] and dispatcher.messages[0]["treatment"] == "botox"
    slots = {e["name"]: e["value"] for e in events}
    assert slots == {"treatment": "botox", "faq_topic": "ask_duration", "consultation_offered": False}

    follow_up = make_tracker("And fillers?", "inform", [treatment("filler")], slots=slots)
    await run(follow_up, dispatcher)
    assert "2 years" in dispatcher.messages[1]["text"] and "Botox typically" not in dispatcher.messages[1]["text"]


async def test_no_treatment_in_context_answers_for_both(dispatcher, settings):
    await run(make_tracker("how long does it last", "ask_duration"), dispatcher)
    text = dispatcher.messages[0]["text"]
    assert "Botox" in text and "Fillers" in text


@pytest.mark.parametrize("intent", ["ask_cost", "ask_candidacy"])
async def test_price_and_suitability_offer_a_consultation_with_the_clinic_phone(intent, dispatcher, settings):
    events = await run(make_tracker("how much is it, I'm pregnant", intent), dispatcher)
    (message,) = dispatcher.messages
    assert settings.clinic.phone in message["text"] and "consultation" in message["text"]
    assert message["buttons"] == [{"title": "Book a consultation", "payload": "/request_consultation"}]
    assert "£" not in message["text"] and "$" not in message["text"]
    assert {"event": "slot", "name": "consultation_offered", "value": True, "timestamp": None} in events


async def test_an_inform_without_a_treatment_gets_the_topics(dispatcher, settings):
    assert await run(make_tracker("ok so", "inform"), dispatcher) == []
    assert dispatcher.messages[0]["buttons"]


async def test_a_named_specific_leads_the_answer_with_the_button_and_metadata(dispatcher, settings):
    tracker = make_tracker("can botox give you a droopy eyelid?", "ask_side_effects", [treatment("botox")])
    events = await run(tracker, dispatcher)
    (message,) = dispatcher.messages
    general = find_answer("ask_side_effects", "botox").render(settings.clinic)
    assert message["text"] == (
        "Our information does not cover drooping eyelids specifically, so the practitioner will go through it "
        "with you at a consultation. " + general)
    assert message["buttons"] == [{"title": "Book a consultation", "payload": "/request_consultation"}]
    assert (message["faq_topic"], message["treatment"]) == ("ask_side_effects", "botox")
    assert message["sources"] == list(find_answer("ask_side_effects", "botox").sources)
    assert {"event": "slot", "name": "consultation_offered", "value": True, "timestamp": None} in events


async def test_a_covered_specific_adds_its_sources_to_the_bot_event(dispatcher, settings):
    await run(make_tracker("I hate needles, is botox safe?", "ask_side_effects", [treatment("botox")]), dispatcher)
    (message,) = dispatcher.messages
    assert message["text"].startswith("On needles, the articles only say")
    assert message["sources"] == ["000_db42d23a6ac66a7d", "001_9a7fa2fdba041282", "002_441d491793340631"]


async def test_the_first_one_after_the_bot_named_both_repeats_the_question_for_botox(dispatcher):
    earlier = [{"event": "bot", "text": "Botox relaxes muscles; dermal fillers add volume."}]
    tracker = make_tracker("the first one", "inform", [], slots={"faq_topic": "ask_duration"}, events=earlier)
    events = await run(tracker, dispatcher)
    assert dispatcher.messages[0]["faq_topic"] == "ask_duration" and dispatcher.messages[0]["treatment"] == "botox"
    assert {"event": "slot", "timestamp": None, "name": "treatment", "value": "botox"} in events
