"""The widget server: fixed routes only, clinic details from clinic.yml."""

import threading
from functools import partial
from http.server import ThreadingHTTPServer

import pytest
import requests

from clinic.settings import get_settings
from widget import serve


@pytest.fixture(scope="module")
def widget_server():
    config = serve.widget_config(get_settings(), "http://127.0.0.1:5999")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(serve.WidgetHandler, config=config,
                                                           widget_url="http://127.0.0.1:1234"))
    server.verbose = False
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_the_widget_config_carries_the_clinics_look_and_no_secrets(widget_server):
    config = requests.get(f"{widget_server}/widget-config.json", timeout=5).json()
    settings = get_settings()
    assert config["title"] == settings.widget.title and config["primaryColor"] == settings.widget.primary_color
    assert settings.clinic.phone in config["offlineText"] and config["server"] == "http://127.0.0.1:5999"
    assert not {"webhook", "smtp", "password", "token"} & {k.lower() for k in config}


def test_the_demo_page_shows_the_snippet_with_real_addresses(widget_server):
    page = requests.get(widget_server, timeout=5).text
    assert '<script src="http://127.0.0.1:1234/clinic-chat.js" async></script>' in page
    assert "{{" not in page


@pytest.mark.parametrize("path", ["/../clinic.yml", "/serve.py", "/node_modules/", "/.env", "/%2e%2e/clinic.yml"])
def test_nothing_outside_the_listed_files_is_served(widget_server, path):
    assert requests.get(widget_server + path, timeout=5).status_code == 404


def test_the_bundle_comes_from_node_modules_not_a_cdn(widget_server):
    bundle = requests.get(f"{widget_server}/vendor/webchat.js", timeout=5)
    assert bundle.status_code == 200 and "WebChat" in bundle.text[:500]
