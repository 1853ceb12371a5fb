"""Console pages over a small hand-made tracker store: no trained model or servers needed."""

import json
import re

import pytest

from clinic.conversations import events, metadata
from clinic.followups.store import ALERT, LEAD, Followup, FollowupStore
from clinic.knowledge import load_sources
from clinic.understanding import low_confidence_threshold
from console.settings import ConsoleSettings
from console.users import UserStore
from tests.console.conftest import PASSWORD, STAFF

SOURCE = "001_9a7fa2fdba041282"
# Just under config.yml's fallback threshold, whatever it is: the console must call it unsure.
UNSURE = {"text": "how much for lips", "intent": "ask_cost", "confidence": round(low_confidence_threshold() - 0.05, 2)}
FALLBACK = {"text": "asdf qwerty", "intent": "nlu_fallback", "confidence": 0.3}


def _row(event_id, kind, data, intent=None):
    return {"id": event_id, "sender_id": "visitor-a", "type_name": kind, "timestamp": 1_700_000_000 + event_id,
            "intent_name": intent, "action_name": None, "data": json.dumps({"timestamp": 1_700_000_000 + event_id,
                                                                           **data})}


@pytest.fixture
def console_settings(tmp_path):
    """Overrides tests/console/conftest.py's: a tracker store of one conversation, written here."""
    from clinic.database import engine_for

    tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = engine_for(tracker_url)
    metadata.create_all(engine)
    rows = [_row(1, "bot", {"text": "Botox lasts 4 to 6 months.", "metadata": {"sources": [SOURCE, "unknown_id"]}})]
    for event_id, message in ((2, UNSURE), (3, FALLBACK)):
        parse = {"intent": {"name": message["intent"], "confidence": message["confidence"]}, "entities": []}
        rows.append(_row(event_id, "user", {"text": message["text"], "parse_data": parse}, message["intent"]))
    with engine.begin() as conn:
        conn.execute(events.insert(), rows)
    settings = ConsoleSettings(tracker_db_url=tracker_url, followup_db_url=f"sqlite:///{tmp_path / 'f.db'}",
                               console_db_url=f"sqlite:///{tmp_path / 'console.db'}", secret_key="test",
                               secure_cookies=False)
    UserStore(settings.console_db_url).create(STAFF, PASSWORD)
    followups = FollowupStore(settings.followup_db_url)
    followups.add(Followup(kind=LEAD, conversation_id="visitor-a", name="Ana"))
    followups.add(Followup(kind=ALERT, conversation_id="visitor-a", message="my lip is white"))
    return settings


def test_the_transcript_names_source_articles_by_title_with_the_id_on_hover(client, auth):
    auth.login()
    page = client.get("/conversations/visitor-a").get_data(as_text=True)
    title = load_sources()[SOURCE]["title"]
    assert f'<cite title="{SOURCE}">' in page and re.sub("'", "&#39;", title) in page
    assert '<cite title="unknown_id">unknown_id</cite>' in page  # an id sources.yml lacks is shown as is


def _picker(page, event_id):
    form = page.split(f'action="/review/{event_id}"')[1].split("</form>")[0]
    return re.findall(r'<option value="([^"]*)" (selected)?', form)


def test_the_review_picker_defaults_to_the_models_guess_or_an_empty_choice(client, auth):
    auth.login()
    page = client.get("/review").get_data(as_text=True)
    assert [value for value, selected in _picker(page, 2) if selected] == ["ask_cost"]
    # nlu_fallback is no intent staff can pick: "choose…" is selected, and it cannot be saved.
    options = _picker(page, 3)
    assert [value for value, selected in options if selected] == [""] and options[0][0] == ""
    assert 'name="intent" required' in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/review/3", data={"csrf_token": token, "intent": ""}).status_code == 400
    assert client.post("/review/3", data={"csrf_token": token, "intent": "out_of_scope"}).status_code == 302
    page = client.get("/review").get_data(as_text=True)
    assert [value for value, selected in _picker(page, 3) if selected] == ["out_of_scope"]


def test_low_confidence_follows_config_yml_in_the_transcript(client, auth):
    auth.login()
    page = client.get("/conversations/visitor-a").get_data(as_text=True)
    assert page.count("<strong>low confidence</strong>") == 2


@pytest.mark.parametrize("path", ["/", "/?flag=fallback&q=asdf&page=2", "/conversations/visitor-a", "/followups",
                                  "/followups?kind=lead", "/review", "/insights", "/export/conversations.csv",
                                  "/export/leads.csv", "/review/export.yml"])
def test_every_page_renders_for_staff(client, auth, path):
    auth.login()
    assert client.get(path).status_code == 200


def test_the_conversations_csv_pages_through_every_match(client, auth):
    auth.login()
    csv = client.get("/export/conversations.csv").get_data(as_text=True)
    assert csv.splitlines()[1].startswith("visitor-a,") and len(csv.splitlines()) == 2


def test_follow_ups_are_tagged_by_kind_with_open_alerts_first(client, auth):
    auth.login()
    rows = client.get("/followups").get_data(as_text=True).split("<tbody>")[1].split("</tr>")
    assert 'class="urgent"' in rows[0] and 'flag-adverse">URGENT alert' in rows[0]
    assert 'flag-lead">lead' in rows[1] and "Mark contacted" in rows[1]
    transcript = client.get("/conversations/visitor-a").get_data(as_text=True)
    assert 'flag-adverse">alert' in transcript and 'flag-lead">lead' in transcript


def test_follow_ups_come_50_a_page(client, auth, console_settings):
    store = FollowupStore(console_settings.followup_db_url)
    for n in range(118):  # 120 with the fixture's two
        store.add(Followup(kind=LEAD, conversation_id=f"visitor-{n}", name=f"Lead {n}"))
    auth.login()

    def rows(query):
        page = client.get(f"/followups{query}").get_data(as_text=True)
        return page, page.split("<tbody>")[1].split("</tbody>")[0].count("<tr")

    first, count = rows("")
    assert count == 50 and "Page 1 of 3" in first and 'href="?page=2">Older' in first
    last, count = rows("?page=3")
    assert count == 20 and "Page 3 of 3" in last and "Older" not in last
    assert rows("?kind=alert")[1] == 1 and rows("?page=99")[0].count("Page 3 of 3") == 1
