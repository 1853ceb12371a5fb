"""The action server registers exactly the custom actions the domain names."""

from pathlib import Path

import yaml
from rasa_sdk.executor import ActionExecutor

DOMAIN = Path(__file__).resolve().parents[2] / "domain"


def domain_actions() -> set:
    names = set()
    for path in DOMAIN.glob("*.yml"):
        names.update((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("actions") or [])
    return names


def test_the_registered_actions_are_the_domains_and_no_phantom_ones():
    executor = ActionExecutor()
    executor.register_package("actions")
    registered = set(executor.actions)
    assert "action_ask_" not in registered  # AskFormSlot is abstract: only its subclasses are actions
    assert registered == domain_actions()
