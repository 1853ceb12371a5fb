"""The clinic demo page and its chat widget in Debian's Chromium, against the real servers."""

import json
import time
from pathlib import Path

import requests
from playwright.sync_api import expect

from clinic.followups.store import FollowupStore
from clinic.knowledge import find_answer
from clinic.session_ids import conversation_id
from clinic.settings import get_settings

# Tests write under results/ (git-ignored); `make screenshot` copies it to docs/ for the README.
SCREENSHOT = Path(__file__).resolve().parents[2] / "results" / "widget-demo.png"
BOT = ".rw-response .rw-message-text"
USER = ".rw-client .rw-message-text"


def open_chat(page, servers):
    page.goto(servers.widget_url)
    launcher = page.get_by_role("button", name="Open chat with the clinic assistant")
    launcher.click()
    return page.get_by_role("textbox", name="Type your message")


def send(page, text):
    box = page.get_by_role("textbox", name="Type your message")
    box.fill(text)
    box.press("Enter")


def session_id(page) -> str:
    return json.loads(page.evaluate("window.sessionStorage.getItem('chat_session')"))["session_id"]


def test_opening_the_widget_shows_the_greeting_and_the_notice(page, servers):
    open_chat(page, servers)
    expect(page.locator(BOT).filter(has_text="not medical advice")).to_have_count(1)
    expect(page.locator(BOT).filter(has_text=get_settings().widget.welcome_text)).to_be_visible()


def test_a_question_is_answered_and_a_quick_reply_works(page, servers):
    open_chat(page, servers)
    send(page, "how long does botox last")
    expect(page.locator(BOT).filter(has_text="months")).to_be_visible()
    send(page, "what's the weather like tomorrow")
    page.locator(".rw-reply", has_text="Side effects").click()
    side_effects = find_answer("ask_side_effects", "botox").render(get_settings().clinic)
    expect(page.locator(BOT).filter(has_text=side_effects[:60])).to_be_visible()
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))


def test_a_reload_keeps_the_history_and_the_conversation(page, servers):
    open_chat(page, servers)
    send(page, "what are fillers made of")
    expect(page.locator(BOT).filter(has_text="hyaluronic acid")).to_be_visible()
    before = session_id(page)
    page.reload()
    expect(page.locator(USER).filter(has_text="what are fillers made of")).to_be_visible()
    send(page, "and how long do they last?")
    expect(page.locator(BOT).filter(has_text="2 years")).to_be_visible()
    assert session_id(page) == before
    events = servers.tracker(conversation_id(before))["events"]
    texts = [e.get("text") for e in events if e["event"] == "user"]
    assert "what are fillers made of" in texts and "and how long do they last?" in texts


def test_the_transcript_is_kept_per_tab_not_for_the_next_person_at_the_computer(page, servers):
    open_chat(page, servers)
    send(page, "what are fillers made of")
    expect(page.locator(BOT).filter(has_text="hyaluronic acid")).to_be_visible()
    assert page.evaluate("window.localStorage.getItem('chat_session')") is None
    next_tab = page.context.new_page()  # same browser, same site: shares localStorage, not sessionStorage
    open_chat(next_tab, servers)
    expect(next_tab.locator(USER).filter(has_text="what are fillers made of")).to_have_count(0)


def test_visitor_html_is_shown_as_text_and_never_runs(page, servers):
    open_chat(page, servers)
    for attack in ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>"]:
        send(page, attack)
        expect(page.locator(USER).filter(has_text=attack)).to_be_visible()
    expect(page.locator(BOT)).to_have_count(4, timeout=20_000)  # notice, greeting and two replies
    assert page.dialogs == []
    assert page.locator(".rw-messages-container img[src='x']").count() == 0


def test_a_booking_through_the_widget_lands_in_the_lead_store(page, servers):
    open_chat(page, servers)
    send(page, "I'd like to book a consultation for lip filler")
    expect(page.locator(BOT).filter(has_text="What's your name?")).to_be_visible()
    send(page, "Amelia Watson")
    expect(page.locator(BOT).filter(has_text="phone number")).to_be_visible()
    send(page, "07911 123456")
    expect(page.locator(BOT).filter(has_text="email")).to_be_visible()
    send(page, "amelia@example.com")
    expect(page.locator(BOT).filter(has_text="When would suit you")).to_be_visible()
    send(page, "Friday afternoon")
    expect(page.locator(BOT).filter(has_text="will contact you")).to_be_visible()
    visitor = conversation_id(session_id(page))  # the signed id's random part, without its signature
    (lead,) = [f for f in FollowupStore(servers.followup_db_url).all("lead") if f.conversation_id == visitor]
    assert (lead.name, lead.phone, lead.email, lead.treatment) == (
        "Amelia Watson", "+447911123456", "amelia@example.com", "filler")


def test_a_too_long_message_is_refused_with_a_reason(page, servers):
    box = open_chat(page, servers)
    expect(page.locator(BOT).filter(has_text="not medical advice")).to_be_visible()
    box.fill("x" * (get_settings().widget.max_message_length + 500))
    assert len(box.input_value()) <= get_settings().widget.max_message_length
    expect(page.get_by_role("alert").filter(has_text="too long")).to_be_visible()


def test_with_the_server_down_the_widget_says_so(page, servers):
    # The page's embed snippet, pointed at an address where no Rasa server runs.
    nothing_there = "http://127.0.0.1:9"
    demo_page = requests.get(servers.widget_url, timeout=10).text.replace(servers.rasa_url, nothing_there)
    page.route(f"{servers.widget_url}/", lambda route: route.fulfill(body=demo_page, content_type="text/html"))
    started = time.monotonic()
    page.goto(servers.widget_url)
    expect(page.get_by_role("alert").filter(has_text="can't be reached")).to_be_visible(timeout=15_000)
    assert time.monotonic() - started < 15
