import pytest
from playwright.sync_api import sync_playwright

from harness.browser import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import started_servers


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    yield from started_servers(tmp_path_factory.mktemp("widget-servers"), widget=True)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh visitor: new browser context (empty local storage)."""
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()
