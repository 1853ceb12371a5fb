from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered

from addons.answered_once import stored_replies

EVENTS = [
    ActionExecuted("action_session_start"),
    BotUttered("Hi, I'm the clinic's assistant."),
    SessionStarted(),
    ActionExecuted("action_listen"),
    UserUttered("how long does botox last", message_id="m-1"),
    ActionExecuted("action_answer_faq"),
    BotUttered("Usually 3 to 4 months.", data={"buttons": [{"title": "Book", "payload": "/book"}], "image": None}),
    BotUttered("Anything else?"),
    UserUttered("and fillers?", message_id="m-2"),
    BotUttered("6 to 18 months."),
]


def test_a_stored_message_gets_its_own_replies_with_their_buttons_and_the_first_the_greeting():
    assert stored_replies(EVENTS, "m-1") == [
        {"text": "Hi, I'm the clinic's assistant."},
        {"text": "Usually 3 to 4 months.", "buttons": [{"title": "Book", "payload": "/book"}]},
        {"text": "Anything else?"},
    ]
    assert stored_replies(EVENTS, "m-2") == [{"text": "6 to 18 months."}]


def test_a_message_not_stored_is_handled():
    assert stored_replies(EVENTS, "m-3") is None
    assert stored_replies([], "m-1") is None
