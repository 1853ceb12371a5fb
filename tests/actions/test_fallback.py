from actions.fallback import ActionHandleFallback, consecutive_misses
from tests.conftest import make_tracker


def user(intent):
    return {"event": "user", "parse_data": {"intent": {"name": intent}}}


def test_misses_are_counted_back_to_the_last_understood_message():
    events = [user("greet"), {"event": "bot"}, user("nlu_fallback"), {"event": "bot"}, user("out_of_scope")]
    assert consecutive_misses(events) == 2
    assert consecutive_misses([user("ask_duration"), user("nlu_fallback")]) == 1
    assert consecutive_misses([]) == 1


async def test_first_miss_offers_topics_and_second_offers_a_person(dispatcher, settings):
    action = ActionHandleFallback()
    await action.run(dispatcher, make_tracker("asdf", "nlu_fallback", events=[user("nlu_fallback")]), {})
    first = dispatcher.messages[-1]
    assert "/ask_duration" in [b["payload"] for b in first["buttons"]]

    events = [user("nlu_fallback"), {"event": "bot"}, user("out_of_scope")]
    await action.run(dispatcher, make_tracker("what about laser", "out_of_scope", events=events), {})
    second = dispatcher.messages[-1]
    assert "/request_human" in [b["payload"] for b in second["buttons"]]
    assert settings.clinic.phone in second["text"]
