"""The console's settings: URLs and their defaults from clinic.settings, secrets from the environment."""

import os
import secrets
from dataclasses import dataclass
from typing import Dict, Optional

from clinic.settings import VAR, console_db_url, followup_db_url, tracker_store_url


@dataclass(frozen=True)
class ConsoleSettings:
    """Where the console reads from and keeps its own data."""

    tracker_db_url: str
    followup_db_url: str
    console_db_url: str
    secret_key: str
    secure_cookies: bool


def _secret_key(env: Dict[str, str]) -> str:
    """CONSOLE_SECRET_KEY, else a random key kept in var/ (git-ignored) so logins survive restarts."""
    if env.get("CONSOLE_SECRET_KEY"):
        return env["CONSOLE_SECRET_KEY"]
    path = VAR / "console_secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load_console_settings(env: Optional[Dict[str, str]] = None) -> ConsoleSettings:
    """Settings from the environment (default: os.environ)."""
    env = dict(os.environ if env is None else env)
    return ConsoleSettings(
        tracker_db_url=tracker_store_url(env=env),
        followup_db_url=followup_db_url(env),
        console_db_url=console_db_url(env),
        secret_key=_secret_key(env),
        secure_cookies=env.get("CONSOLE_SECURE_COOKIES", "").lower() in ("1", "true", "yes"),
    )
