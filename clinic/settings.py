"""All settings and their defaults in one place.

The clinic config file, plus URLs and secrets from the environment.

Every part reads its settings here: the actions, the Rasa server's add-ons, the widget server,
the console and the follow-up notifier. Defaults are absolute paths under the project's `var/`
folder, so starting a process from another folder still finds the same databases.
Nothing is read at import time; call `get_settings()` where a value is needed.
"""

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional
from urllib.parse import quote

import yaml

from clinic.templates import fill

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Generated data (git-ignored): SQLite databases, logs, the console's secret key.
VAR = PROJECT_ROOT / "var"
DEFAULT_CLINIC_CONFIG = PROJECT_ROOT / "clinic.yml"
# The Rasa pipeline's configuration (its FallbackClassifier threshold is read by the console).
RASA_CONFIG = PROJECT_ROOT / "config.yml"
DEFAULT_TRACKER_STORE_URL = f"sqlite:///{VAR / 'tracker.db'}"
DEFAULT_FOLLOWUP_DB_URL = f"sqlite:///{VAR / 'followups.db'}"
DEFAULT_CONSOLE_DB_URL = f"sqlite:///{VAR / 'console.db'}"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class EmailSettings:
    """Where staff e-mail notifications go, and how they are sent."""

    to: List[str] = field(default_factory=list)
    from_address: str = ""
    smtp_host: str = ""
    smtp_port: int = 587
    starttls: bool = True
    username: str = ""
    password: str = ""

    @property
    def enabled(self) -> bool:
        """True when there is somewhere to send to and something to send with."""
        return bool(self.to and self.smtp_host and self.from_address)


@dataclass(frozen=True)
class ClinicConfig:
    """The clinic's public details, from clinic.yml."""

    name: str
    phone: str
    emergency_number: str
    timezone: str
    phone_region: str
    hours: Dict[str, str]
    web_origins: List[str] = field(default_factory=list)


@dataclass(frozen=True)
class WidgetSettings:
    """How the web chat widget looks and what it accepts."""

    title: str = "Chat with us"
    subtitle: str = ""
    primary_color: str = "#0f5257"
    avatar: str = ""
    welcome_text: str = ""
    max_message_length: int = 1000
    too_long_text: str = "That message is too long for me: please keep it to {limit} characters or fewer."

    def allows(self, message: str) -> bool:
        """The length rule: a message of exactly `max_message_length` characters is allowed.

        widget/public/clinic-chat.js applies the same rule in the page.
        """
        return len(message) <= self.max_message_length

    @property
    def too_long_message(self) -> str:
        """What a visitor is told when a message is over the limit."""
        return fill(self.too_long_text, limit=self.max_message_length)


@dataclass(frozen=True)
class ChannelLimits:
    """What one visitor (sender id) and one IP address may send to the public channels."""

    max_body_bytes: int = 64 * 1024
    messages_per_minute_per_sender: int = 20
    messages_per_minute_per_ip: int = 60
    slow_down_text: str = "You're sending messages faster than I can read them: please wait a moment and try again."
    # Leads, handoff requests and alerts stored per conversation and per client address in an hour;
    # past either, nothing is stored or notified and the visitor is asked to call (0: no cap).
    followups_per_conversation_per_hour: int = 3
    followups_per_address_per_hour: int = 10


@dataclass(frozen=True)
class Settings:
    """Everything the actions need to know about their surroundings."""

    clinic: ClinicConfig
    followup_db_url: str
    webhook_url: str
    webhook_token: str
    email: EmailSettings
    widget: WidgetSettings = field(default_factory=WidgetSettings)
    limits: ChannelLimits = field(default_factory=ChannelLimits)
    # Conversations, follow-ups, login failures, access records and logs older than this are deleted.
    retention_days: int = 365
    # Rasa sends it with every action call (endpoints.yml); the action server refuses calls without it.
    action_server_token: str = ""


def clinic_config_from(raw: dict) -> ClinicConfig:
    """The clinic's details from the parsed clinic.yml."""
    hours = {day: str((raw.get("hours") or {}).get(day, "closed")) for day in WEEKDAYS}
    return ClinicConfig(
        name=str(raw["name"]),
        phone=str(raw["phone"]),
        emergency_number=str(raw.get("emergency_number", "999")),
        timezone=str(raw.get("timezone", "UTC")),
        phone_region=str(raw.get("phone_region", "GB")).upper(),
        hours=hours,
        web_origins=list(raw.get("web_origins") or []),
    )


def _email_settings(raw: dict, env: Dict[str, str]) -> EmailSettings:
    return EmailSettings(
        to=list(raw.get("to") or []),
        from_address=str(raw.get("from_address") or ""),
        smtp_host=str(raw.get("smtp_host") or ""),
        smtp_port=int(raw.get("smtp_port") or 587),
        starttls=bool(raw.get("starttls", True)),
        username=env.get("SMTP_USERNAME", ""),
        password=env.get("SMTP_PASSWORD", ""),
    )


def load_settings(env: Optional[Dict[str, str]] = None) -> Settings:
    """Build settings from the environment (default: os.environ) and the clinic config."""
    env = dict(os.environ if env is None else env)
    clinic_path = Path(env.get("CLINIC_CONFIG") or DEFAULT_CLINIC_CONFIG)
    raw = yaml.safe_load(clinic_path.read_text(encoding="utf-8")) or {}
    notifications = raw.get("notifications") or {}
    return Settings(
        clinic=clinic_config_from(raw),
        followup_db_url=followup_db_url(env),
        webhook_url=env.get("NOTIFY_WEBHOOK_URL") or str(notifications.get("webhook_url") or ""),
        webhook_token=env.get("NOTIFY_WEBHOOK_TOKEN", ""),
        email=_email_settings(notifications.get("email") or {}, env),
        widget=WidgetSettings(**(raw.get("widget") or {})),
        limits=ChannelLimits(**(raw.get("limits") or {})),
        retention_days=int(raw.get("retention_days") or 365),
        action_server_token=env.get("ACTION_SERVER_TOKEN", ""),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings of this process, read once on first use."""
    return load_settings()


def tracker_store_url(configured: Optional[str] = None, env: Optional[Dict[str, str]] = None) -> str:
    """Rasa's tracker store: the URL configured in endpoints.yml, else TRACKER_STORE_URL, else the default."""
    env = os.environ if env is None else env
    return configured or env.get("TRACKER_STORE_URL") or DEFAULT_TRACKER_STORE_URL


def followup_db_url(env: Optional[Dict[str, str]] = None) -> str:
    """The follow-up store: FOLLOWUP_DB_URL, else the default."""
    env = os.environ if env is None else env
    return env.get("FOLLOWUP_DB_URL") or DEFAULT_FOLLOWUP_DB_URL


def console_db_url(env: Optional[Dict[str, str]] = None) -> str:
    """The console's own tables: CONSOLE_DB_URL, else the default."""
    env = os.environ if env is None else env
    return env.get("CONSOLE_DB_URL") or DEFAULT_CONSOLE_DB_URL


def socketio_redis_url(env: Optional[Dict[str, str]] = None) -> str:
    """Where Rasa replicas share socket.io messages: the lock store's Redis (REDIS_HOST), database 2; "" when unset.

    The same REDIS_HOST / REDIS_PORT / REDIS_PASSWORD as deploy/endpoints.scale.yml's lock store (database 1).
    """
    env = os.environ if env is None else env
    host = env.get("REDIS_HOST", "")
    if not host:
        return ""
    password = env.get("REDIS_PASSWORD", "")
    credentials = f":{quote(password, safe='')}@" if password else ""
    return f"redis://{credentials}{host}:{env.get('REDIS_PORT') or 6379}/2"
