"""The console in Debian's Chromium: log in, list, filter, search, read a transcript, log out."""

import pytest
import yaml
from playwright.sync_api import expect, sync_playwright
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from harness.browser import CHROMIUM, CHROMIUM_ARGS
from tests.console.conftest import PASSWORD, STAFF, XSS


@pytest.fixture(scope="module")
def page(console_url):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.dialogs = []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        yield page
        browser.close()


def test_staff_review_conversations_end_to_end(page, console_url, conversations):
    page.goto(console_url)
    expect(page.get_by_role("heading", name="Staff login")).to_be_visible()
    page.get_by_label("Username").fill(STAFF)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Conversations")).to_be_visible()

    page.get_by_label("Flag").select_option("lead")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text("produced a lead")
    for index in range(rows.count()):
        expect(rows.nth(index)).to_contain_text("produced a lead")

    page.get_by_label("Flag").select_option("")
    page.get_by_label("Visitor said").fill("curling")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    page.locator("tbody a").first.click()
    expect(page.locator(".turn-visitor .text", has_text=XSS)).to_be_visible()  # shown as text
    assert page.dialogs == []

    page.get_by_role("link", name="Review inbox").click()
    selects = page.locator("select[name=intent]")
    for index, intent in enumerate(["out_of_scope", "request_human"]):
        page.locator("select[name=intent]").nth(index).select_option(intent)
        page.locator("form button", has_text="Save").nth(index).click()
        expect(page.get_by_role("heading", name="Review inbox")).to_be_visible()
    assert selects.count() >= 2
    with page.expect_download() as download:
        page.get_by_role("link", name="export the reviewed messages as NLU training data").click()
    exported = open(download.value.path(), encoding="utf-8").read()
    assert {block["intent"] for block in yaml.safe_load(exported)["nlu"]} >= {"out_of_scope", "request_human"}
    assert len(RasaYAMLReader().reads(exported).training_examples) >= 2

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Staff login")).to_be_visible()
    page.goto(f"{console_url}/conversations/{conversations['lead']}")
    expect(page.get_by_role("heading", name="Staff login")).to_be_visible()
