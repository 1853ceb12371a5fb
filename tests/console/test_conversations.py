"""The conversation list and transcripts, over conversations held with the real bot."""

from clinic.conversations import ConversationFilter, ConversationReader
from tests.console.conftest import XSS


def reader(console_settings):
    return ConversationReader(console_settings.tracker_db_url)


def ids(rows):
    return {r.sender_id for r in rows}


def test_each_conversation_carries_the_flags_of_what_happened(console_settings, conversations):
    rows = {r.sender_id: r for r in reader(console_settings).list(ConversationFilter())}
    assert rows[conversations["lead"]].flags == ["lead"]
    assert "adverse" in rows[conversations["adverse"]].flags
    assert rows[conversations["human"]].flags == ["human"]
    assert rows[conversations["fallback"]].flags == ["fallback"]
    assert rows[conversations["faq"]].flags == []
    faq = rows[conversations["faq"]]
    assert faq.intents == ["ask_duration", "inform"] and faq.visitor_messages == 2 and faq.channel == "rest"


def test_filters_by_flag_intent_and_words_the_visitor_used(console_settings, conversations):
    conversations_reader = reader(console_settings)
    assert conversations["lead"] in ids(conversations_reader.list(ConversationFilter(flag="lead")))
    assert conversations["faq"] not in ids(conversations_reader.list(ConversationFilter(flag="lead")))
    assert conversations["faq"] in ids(conversations_reader.list(ConversationFilter(intent="ask_duration")))
    found = ids(conversations_reader.list(ConversationFilter(search="curling")))
    assert found == {conversations["fallback"]}
    assert ids(conversations_reader.list(ConversationFilter(search="100% _nothing_"))) == set()


def test_newest_first(console_settings):
    rows = reader(console_settings).list(ConversationFilter())
    assert [r.started for r in rows] == sorted((r.started for r in rows), reverse=True)


def test_a_transcript_shows_turns_with_what_the_model_understood(console_settings, conversations):
    turns = reader(console_settings).transcript(conversations["faq"])
    visitor = [t for t in turns if t["who"] == "visitor"]
    assert [t["text"] for t in visitor] == ["How long does Botox last?", "And fillers?"]
    assert visitor[0]["intent"] == "ask_duration" and ("treatment", "botox") in visitor[0]["entities"]
    answers = [t for t in turns if t["who"] == "bot" and t.get("sources")]
    assert len(answers) == 2


def test_visitor_html_is_escaped_in_the_transcript_page(client, auth, conversations):
    auth.login()
    page = client.get(f"/conversations/{conversations['fallback']}").get_data(as_text=True)
    assert XSS not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "low confidence" in page


def test_the_transcript_links_the_lead_it_produced(client, auth, conversations):
    auth.login()
    page = client.get(f"/conversations/{conversations['lead']}").get_data(as_text=True)
    assert "Nina Patel" in page and "+447911123456" in page and "lead" in page


def test_csv_export_lists_conversations(client, auth, conversations):
    auth.login()
    csv = client.get("/export/conversations.csv?flag=adverse").get_data(as_text=True)
    assert csv.startswith("conversation_id,started_utc") and conversations["adverse"] in csv
    assert conversations["faq"] not in csv
