"""The console's settings, from the environment (secrets) and the project's defaults."""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR = PROJECT_ROOT / "var"


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
        tracker_db_url=env.get("TRACKER_STORE_URL") or f"sqlite:///{VAR / 'tracker.db'}",
        followup_db_url=env.get("FOLLOWUP_DB_URL") or f"sqlite:///{VAR / 'followups.db'}",
        console_db_url=env.get("CONSOLE_DB_URL") or f"sqlite:///{VAR / 'console.db'}",
        secret_key=_secret_key(env),
        secure_cookies=env.get("CONSOLE_SECURE_COOKIES", "").lower() in ("1", "true", "yes"),
    )
