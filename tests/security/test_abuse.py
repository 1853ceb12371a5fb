"""Attacks on every entry point of the real servers (127.0.0.1): each gets a clear 4xx or a graceful reply.

REST webhook, socket.io, Rasa's HTTP API, the action server, the staff console and the widget
server; then other visitors are still served, and the servers' logs hold none of the personal data
the attacks sent. The table of outcomes is printed at the end of the run (conftest.py).
"""

import http.client
from concurrent.futures import ThreadPoolExecutor
import json
import re
import uuid

import pytest
import requests

from clinic.settings import get_settings
from tests.security.conftest import record

PHONE, EMAIL = "07911 123456", "nina.patel@example.com"
HTML = "<script>alert(document.cookie)</script><img src=x onerror=alert(1)>"
MB = 1024 * 1024


def status_of(method, url, **kwargs) -> int:
    """The status code; 413 when the server closes the connection after refusing a huge body."""
    try:
        return requests.request(method, url, timeout=60, **kwargs).status_code
    except requests.ConnectionError:
        return 413


def post_from(ip: str, port: int, path: str, body: dict):
    """POST JSON from another loopback address (127.0.0.x), as another client machine would."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(ip, 0))
    conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, json.loads(data or b"null")


def new_sender() -> str:
    return f"abuse-{uuid.uuid4().hex[:12]}"


def check(entry_point, attack, status, allowed):
    """Record the outcome; `allowed` is the set of acceptable outcomes, or True/False."""
    record(entry_point, attack, str(status))
    assert (allowed is True) if isinstance(allowed, bool) else status in allowed, (entry_point, attack, status)


REST_ATTACKS = {
    "empty body": dict(data=b"", headers={"Content-Type": "application/json"}),
    "malformed JSON": dict(data=b'{"sender": "a", "message": ', headers={"Content-Type": "application/json"}),
    "invalid UTF-8": dict(data=b'{"sender": "a-1", "message": "\xc3\x28"}',
                          headers={"Content-Type": "application/json"}),
    "wrong content type": dict(data=b"sender=a&message=hi", headers={"Content-Type": "text/plain"}),
    "no sender": dict(json={"message": f"my number is {PHONE}"}),
    "huge sender id": dict(json={"sender": "s" * 100_000, "message": "hi"}),
    "path traversal in sender": dict(json={"sender": "../../../etc/passwd", "message": "hi"}),
    "non-string sender": dict(json={"sender": {"$ne": None}, "message": "hi", "metadata": {"staff": 1}}),
    "widget's conversation id as sender": dict(json={"sender": "socketio-" + uuid.uuid4().hex, "message": "hi"}),
    "100 KB body": dict(json={"sender": "abuse-big", "message": "a" * 100 * 1024}),
    "10 MB body": dict(data=b'{"sender": "abuse-big", "message": "' + b"a" * 10 * MB + b'"}',
                       headers={"Content-Type": "application/json"}),
}


@pytest.mark.parametrize("attack", REST_ATTACKS)
def test_rest_webhook_refuses(target, attack):
    status = status_of("POST", f"{target.rasa_url}/webhooks/rest/webhook", **REST_ATTACKS[attack])
    check("REST webhook", attack, status, {400, 413})


def test_rest_webhook_html_payload_is_stored_as_text(target):
    sender = new_sender()
    status, replies = post_from("127.0.0.10", target.rasa_port, "/webhooks/rest/webhook",
                                {"sender": sender, "message": HTML})
    texts = [e["text"] for e in target.tracker(sender)["events"] if e["event"] == "user"]
    check("REST webhook", "HTML/script payload", status, {200})
    assert texts == [HTML] and isinstance(replies, list)  # kept as the visitor's text; pages escape it


def flood(count, ip, body_for):
    """`count` POSTs to the REST webhook all at once from one address; their (status, body)."""
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(lambda i: post_from(ip, TARGET_PORT[0], "/webhooks/rest/webhook", body_for(i)),
                             range(count)))


TARGET_PORT = [0]


def test_rest_webhook_flood_from_one_sender_is_slowed_politely(target):
    TARGET_PORT[0] = target.rasa_port
    sender, limit = new_sender(), get_settings().limits.messages_per_minute_per_sender
    results = flood(limit + 30, "127.0.0.11", lambda _: {"sender": sender, "message": "hi"})
    refused = [body for status, body in results if status == 429]
    # The bucket refills while the burst is answered: at least the 30 over the limit less a few.
    check("REST webhook", f"{limit + 30} messages at once, one sender", f"{len(refused)}x 429 (polite reply)",
          len(refused) >= 20 and all(b[0]["text"] == get_settings().limits.slow_down_text for b in refused))


def test_rest_webhook_flood_from_one_address_is_slowed_and_others_are_served(target):
    TARGET_PORT[0] = target.rasa_port
    limit = get_settings().limits.messages_per_minute_per_ip
    results = flood(limit + 40, "127.0.0.12", lambda _: {"sender": new_sender(), "message": "hi"})
    statuses = [status for status, _ in results]
    check("REST webhook", f"{limit + 40} messages at once, one address, new sender each",
          f"{statuses.count(429)}x 429, {statuses.count(200)}x 200",
          statuses.count(429) >= 25 and statuses.count(200) + statuses.count(429) == len(statuses))
    status, replies = post_from("127.0.0.13", target.rasa_port, "/webhooks/rest/webhook",
                                {"sender": new_sender(), "message": "How long does Botox last?"})
    check("REST webhook", "another visitor during the flood", status, {200})
    assert "month" in " ".join(r.get("text", "") for r in replies)


def ask_for_a_person(target, ip: str, sender: str) -> str:
    status, replies = post_from(ip, target.rasa_port, "/webhooks/rest/webhook",
                                {"sender": sender, "message": "can I talk to a real person please"})
    assert status == 200
    return " ".join(r.get("text", "") for r in replies)


def followups_of(target, senders) -> list:
    from clinic.followups.store import FollowupStore

    return [f for f in FollowupStore(target.followup_db_url).all() if f.conversation_id in senders]


def test_handoff_requests_are_capped_per_conversation(target):
    cap, phone = get_settings().limits.followups_per_conversation_per_hour, get_settings().clinic.phone
    sender = new_sender()
    replies = [ask_for_a_person(target, "127.0.0.20", sender) for _ in range(cap + 2)]
    capped = [r for r in replies if "haven't sent another" in r]
    check("REST webhook", f"{cap + 2} handoff requests, one conversation", f"{len(capped)}x asked to call instead",
          len(capped) == 2 and all(phone in r for r in capped) and not any("haven't" in r for r in replies[:cap]))
    assert len(followups_of(target, {sender})) == cap


def test_handoff_requests_are_capped_per_address_and_other_addresses_are_served(target):
    cap = get_settings().limits.followups_per_address_per_hour
    senders = [new_sender() for _ in range(cap + 2)]
    replies = [ask_for_a_person(target, "127.0.0.21", sender) for sender in senders]
    capped = [r for r in replies if "haven't sent another" in r]
    check("REST webhook", f"{cap + 2} handoff requests, one address, new conversation each",
          f"{len(capped)}x asked to call instead", len(capped) == 2 and "haven't" not in " ".join(replies[:cap]))
    assert len(followups_of(target, set(senders))) == cap
    other = new_sender()
    assert "passed your request on" in ask_for_a_person(target, "127.0.0.22", other)
    assert len(followups_of(target, {other})) == 1


@pytest.mark.parametrize("attack,headers", [("foreign origin", {"Origin": "https://evil.example"}),
                                            ("no origin, forged origin header", {"Origin": "null"})])
def test_socketio_refuses_other_origins(target, attack, headers):
    status = status_of("GET", f"{target.rasa_url}/socket.io/?EIO=4&transport=polling", headers=headers)
    check("socket.io", attack, status, {400, 403})


# A body between engine.io's limit (limits.max_body_bytes) and Sanic's (4 MB) is refused by engine.io
# but its answer does not come (python-engineio 4.15 with Sanic): not tested here, see README.
@pytest.mark.parametrize("size", [10 * MB])
def test_socketio_refuses_large_bodies(target, size):
    handshake = requests.get(f"{target.rasa_url}/socket.io/?EIO=4&transport=polling",
                             headers={"Origin": target.widget_url}, timeout=30).text
    sid = re.search(r'"sid":"([^"]+)"', handshake).group(1)
    status = status_of("POST", f"{target.rasa_url}/socket.io/?EIO=4&transport=polling&sid={sid}",
                       data=b"4" + b"a" * size, headers={"Origin": target.widget_url, "Content-Type": "text/plain"})
    check("socket.io", f"{size // 1024} KB body", status, {400, 413})


@pytest.mark.parametrize("attack,params", [("no token", {}), ("forged token", {"token": "forged"})])
@pytest.mark.parametrize("method,path", [("GET", "/conversations/abuse-x/tracker"), ("PUT", "/model"),
                                         ("DELETE", "/model"), ("POST", "/conversations/abuse-x/trigger_intent")])
def test_http_api_refuses(target, attack, params, method, path):
    status = status_of(method, f"{target.rasa_url}{path}", params=params, json={})
    check("HTTP API", f"{attack}: {method} {path}", status, {401, 403})


def test_http_api_path_traversal_in_ids_stays_in_the_api(target):
    status = status_of("GET", f"{target.rasa_url}/conversations/..%2F..%2Fetc%2Fpasswd/tracker")
    check("HTTP API", "path traversal in conversation id, no token", status, {401, 403, 404})


ACTION_ATTACKS = {
    "no token": dict(method="POST", path="/webhook", params={}, json={}),
    "forged token": dict(method="POST", path="/webhook", params={"token": "forged"}, json={}),
    "empty body": dict(method="POST", path="/webhook", params="TOKEN", data=b""),
    "malformed JSON": dict(method="POST", path="/webhook", params="TOKEN", data=b"{nope"),
    "10 MB body": dict(method="POST", path="/webhook", params="TOKEN", data=b"a" * 10 * MB),
    "unknown path": dict(method="GET", path="/../../etc/passwd", params="TOKEN"),
}


@pytest.mark.parametrize("attack", ACTION_ATTACKS)
def test_action_server_refuses(target, attack):
    spec = dict(ACTION_ATTACKS[attack])
    method, path = spec.pop("method"), spec.pop("path")
    if spec.get("params") == "TOKEN":
        spec["params"] = {"token": target.action_token}
    status = status_of(method, f"http://127.0.0.1:{target.actions_port}{path}", **spec)
    check("action server", attack, status, {400, 401, 404, 413})


@pytest.mark.parametrize("attack,kwargs,allowed", [
    ("no login", dict(method="GET", path="/export/leads.csv"), {401}),
    ("forged session cookie", dict(method="GET", path="/export/leads.csv",
                                   cookies={"session": "eyJzdGFmZiI6ImFubmEifQ.forged.sig"}), {401}),
    ("POST without CSRF token", dict(method="POST", path="/login", data={"username": "anna", "password": "x"}), {400}),
    ("open redirect via next", dict(method="GET", path="/login?next=/%09/evil.example"), {200}),
    ("huge username", dict(method="POST", path="/login", data={"username": "u" * 100_000}), {400, 401, 413}),
    ("path traversal in conversation id", dict(method="GET", path="/conversations/../../etc/passwd"), {302, 404}),
])
def test_console_refuses(target, attack, kwargs, allowed):
    kwargs = dict(kwargs)
    status = status_of(kwargs.pop("method"), f"{target.console_url}{kwargs.pop('path')}", allow_redirects=False,
                       **kwargs)
    check("console", attack, status, allowed)


def test_console_login_flood_is_throttled(target):
    session = requests.Session()
    page = session.get(f"{target.console_url}/login", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    statuses = [session.post(f"{target.console_url}/login", timeout=30,
                             data={"username": f"guess-{i}", "password": "wrong password", "csrf_token": token}
                             ).status_code for i in range(15)]
    check("console", "15 password guesses from one address", f"{statuses.count(429)}x 429", {"5x 429"})


@pytest.mark.parametrize("attack,method,path", [
    ("path traversal", "GET", "/../../etc/passwd"), ("encoded path traversal", "GET", "/%2e%2e/%2e%2e/etc/passwd"),
    ("node_modules outside the list", "GET", "/node_modules/rasa-webchat/package.json"),
    ("POST", "POST", "/"), ("huge path", "GET", "/" + "a" * 100_000),
])
def test_widget_server_refuses(target, attack, method, path):
    status = status_of(method, f"{target.widget_url}{path}", data=b"x" * 1024 if method == "POST" else None)
    check("widget server", attack, status, {400, 404, 405, 414, 431, 501})


def test_the_logs_of_the_run_hold_no_phone_number_or_email_address(target):
    sender = new_sender()
    post_from("127.0.0.14", target.rasa_port, "/webhooks/rest/webhook",
              {"sender": sender, "message": f"call me on {PHONE} or write to {EMAIL}"})
    logs = {p.name: p.read_text(errors="replace") for p in target.workdir.glob("*.log")}
    leaks = [name for name, text in logs.items() if PHONE in text or EMAIL in text or "7911123456" in text]
    record("all servers' logs", "personal data sent in attacks", "none found" if not leaks else f"in {leaks}")
    assert logs and not leaks


SECRET = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----|^(?:RASA_API_TOKEN|RASA_JWT_SECRET|ACTION_SERVER_TOKEN|"
                    r"CONSOLE_SECRET_KEY|SMTP_PASSWORD|NOTIFY_WEBHOOK_TOKEN)=\S", re.MULTILINE)


def test_the_repository_holds_no_secrets():
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    files = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True).stdout.split()
    tracked_secrets = [f for f in files if f == ".env" or f.startswith("var/")]
    found = [f for f in files if (root / f).is_file() and SECRET.search((root / f).read_text(errors="ignore"))]
    record("repository", "secrets committed", "none found" if not (found or tracked_secrets) else str(found))
    assert not found and not tracked_secrets
