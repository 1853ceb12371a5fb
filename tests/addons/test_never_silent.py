from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from addons.never_silent import never_silent


async def answering(message: UserMessage) -> None:
    await message.output_channel.send_response(message.sender_id, {"text": "Botox lasts 4 to 6 months."})


async def silent(message: UserMessage) -> None:
    return None


async def failing(message: UserMessage) -> None:
    raise ConnectionError("action server down")


async def replies(handler) -> list:
    collector = CollectingOutputChannel()
    await never_silent(handler)(UserMessage("how long does botox last", collector, "v-1"))
    return [m["text"] for m in collector.messages]


async def test_an_answered_message_gets_only_its_answer():
    assert await replies(answering) == ["Botox lasts 4 to 6 months."]


async def test_a_turn_that_sends_nothing_or_fails_gets_a_polite_reply_with_the_clinic_phone(settings):
    for handler in (silent, failing):
        (reply,) = await replies(handler)
        assert "right now" in reply and settings.clinic.phone in reply


async def only_the_session_notice(message: UserMessage) -> None:
    # A new conversation's notice went out, then the action for the visitor's message failed.
    await message.output_channel.send_response(message.sender_id, {"text": "Hi, I'm the clinic's assistant.",
                                                                   "session_notice": True})


async def test_the_notice_a_session_opens_with_is_not_a_reply(settings):
    notice, reply = await replies(only_the_session_notice)
    assert "assistant" in notice and "right now" in reply and settings.clinic.phone in reply
