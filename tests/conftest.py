"""Shared fixtures: settings pointing at a temporary database, a dispatcher, trackers."""

from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from clinic import settings as settings_module
from clinic.followups.store import FollowupStore
from harness.webhook_receiver import WebhookReceiver


@pytest.fixture
def followup_db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'followups.db'}"


@pytest.fixture
def webhook():
    with WebhookReceiver() as receiver:
        yield receiver


@pytest.fixture
def settings(monkeypatch, followup_db_url, webhook):
    """This process's settings: a temporary follow-up store, staff notified through `webhook`."""
    monkeypatch.setenv("FOLLOWUP_DB_URL", followup_db_url)
    monkeypatch.setenv("NOTIFY_WEBHOOK_URL", webhook.url)
    settings_module.get_settings.cache_clear()
    yield settings_module.get_settings()
    settings_module.get_settings.cache_clear()


@pytest.fixture
def store(settings) -> FollowupStore:
    return FollowupStore(settings.followup_db_url)


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def make_tracker(
    text: str = "",
    intent: Optional[str] = None,
    entities: Optional[List[Dict[str, Any]]] = None,
    slots: Optional[Dict[str, Any]] = None,
    events: Optional[List[Dict[str, Any]]] = None,
    sender_id: str = "visitor-1",
    metadata: Optional[Dict[str, Any]] = None,
) -> Tracker:
    """A tracker whose latest visitor message is `text`, classified as `intent` (with the channel's `metadata`)."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []}
    if metadata is not None:
        latest["metadata"] = metadata
    return Tracker(
        sender_id=sender_id,
        slots=slots or {},
        latest_message=latest,
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def treatment(value: str, text: Optional[str] = None) -> Dict[str, Any]:
    """A `treatment` entity as the NLU pipeline gives it."""
    return {"entity": "treatment", "value": value, "text": text or value}


def started_servers(workdir, widget: bool = False):
    """The real servers for a fixture; a test fails (not errs) when there is no trained model."""
    from harness.servers import MODEL, running_servers

    if not MODEL.exists():
        pytest.fail("No trained model: run 'make train' first (make test does).")
    yield from running_servers(workdir, widget=widget)


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    """The real action server and Rasa server, once per test run (tests/widget adds the widget server)."""
    yield from started_servers(tmp_path_factory.mktemp("servers"))
