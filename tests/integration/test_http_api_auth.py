"""Rasa's HTTP API answers nothing about conversations or the model without the token."""

import re

import pytest
import requests

# Rasa's own two routes without authentication: a greeting and its version number.
OPEN_ROUTES = {"/", "/version"}


def http_api_routes():
    """(method, path) of every route Rasa's HTTP API has, from Rasa's own app; ids filled in."""
    import rasa.server

    app = rasa.server.create_app(auth_token="not-used")
    routes = []
    for route in app.router.routes:
        path = "/" + re.sub(r"<[^>]+>", "someone-else", route.path)
        routes += [(method, path) for method in sorted(route.methods) if path not in OPEN_ROUTES]
    return routes


ROUTES = http_api_routes()


def test_the_list_covers_the_conversations_and_the_model():
    assert ("GET", "/conversations/someone-else/tracker") in ROUTES and ("PUT", "/model") in ROUTES
    assert ("DELETE", "/model") in ROUTES and ("POST", "/conversations/someone-else/trigger_intent") in ROUTES


@pytest.mark.parametrize("method,path", ROUTES)
def test_every_http_api_route_refuses_a_request_without_the_right_token(servers, method, path):
    for params in ({}, {"token": "forged"}, {"token": ""}):
        response = requests.request(method, f"{servers.rasa_url}{path}", params=params, json={}, timeout=30)
        assert response.status_code in (401, 403), (method, path, params, response.status_code)


def test_the_open_routes_say_nothing_about_conversations(servers):
    for path in OPEN_ROUTES:
        response = requests.get(f"{servers.rasa_url}{path}", timeout=30)
        assert response.ok and "events" not in response.text and "sender" not in response.text


def test_with_the_token_the_api_answers(servers):
    assert servers.api("GET", "/status").json()["model_file"]
