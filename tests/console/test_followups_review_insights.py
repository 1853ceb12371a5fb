"""Follow-ups, the review inbox with its NLU export, and insights."""

import html
import re

import yaml
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from clinic.followups.store import FollowupStore
from console.reviews import known_intents
from tests.console.conftest import XSS


def test_urgent_alerts_are_pinned_on_top_and_staff_can_mark_contacted(client, auth, conversations, console_settings):
    auth.login()
    page = client.get("/followups").get_data(as_text=True)
    first_row = page.split("<tbody>")[1].split("</tr>")[0]
    assert "URGENT alert" in first_row
    store = FollowupStore(console_settings.followup_db_url)
    (lead,) = store.for_conversation(conversations["lead"])
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post(f"/followups/{lead.id}/status", data={"csrf_token": token, "status": "contacted"})
    updated = store.get(lead.id)
    assert (updated.status, updated.status_changed_by) == ("contacted", "anna")
    assert "by anna" in client.get("/followups?kind=lead").get_data(as_text=True)


def test_leads_export_has_the_details_staff_need(client, auth, conversations):
    auth.login()
    csv = client.get("/export/leads.csv").get_data(as_text=True)
    # A leading + would make a spreadsheet read the cell as a formula, so it is quoted.
    assert "Nina Patel,'+447911123456,nina@example.com,Tuesday evening" in csv
    assert "Nina Patel" not in client.get("/export/leads.csv?from=2000-01-01&to=2000-12-31").get_data(as_text=True)


def test_reviewed_messages_export_as_valid_rasa_nlu_data(client, auth, conversations):
    auth.login()
    inbox = client.get("/review").get_data(as_text=True)
    rows = dict(re.findall(r'<td class="text">([^<]*)</td>.*?action="/review/(\d+)"', inbox, re.S))
    curling = next(event for text, event in rows.items() if "curling" in text)
    script = rows[html.escape(XSS)]
    token = re.search(r'name="csrf_token" value="([^"]+)"', inbox).group(1)
    for event_id, intent in [(curling, "out_of_scope"), (script, "deny")]:
        assert client.post(f"/review/{event_id}", data={"csrf_token": token, "intent": intent}).status_code == 302
    assert client.post(f"/review/{curling}", data={"csrf_token": token, "intent": "no_such"}).status_code == 400
    exported = client.get("/review/export.yml").get_data(as_text=True)
    assert yaml.safe_load(exported)["version"] == "3.1"
    training = RasaYAMLReader().reads(exported)
    labelled = {m.get("text"): m.get("intent") for m in training.training_examples}
    assert labelled["who won the curling world championship"] == "out_of_scope" and labelled[XSS] == "deny"
    assert set(labelled.values()) <= set(known_intents())


def test_insights_are_charts(client, auth, conversations):
    auth.login()
    page = client.get("/insights").get_data(as_text=True)
    assert page.count("<svg") == 3 and "fallback rate" in page
    assert "ask_duration" in page
