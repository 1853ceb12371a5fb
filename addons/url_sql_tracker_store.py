"""Rasa's SQL tracker store, configured by one database URL instead of five fields.

endpoints.yml names this class; the URL comes from TRACKER_STORE_URL (or `url:` there),
so moving from the embedded SQLite file to PostgreSQL changes one value.
"""

import os
from pathlib import Path
from typing import Any, Optional, Text

from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy.engine.url import make_url

DEFAULT_TRACKER_STORE_URL = "sqlite:///var/tracker.db"


def tracker_store_url(configured: Optional[Text] = None) -> Text:
    """The URL from endpoints.yml, else the environment, else the embedded default."""
    return configured or os.environ.get("TRACKER_STORE_URL") or DEFAULT_TRACKER_STORE_URL


def sql_tracker_store_kwargs(url: Text) -> dict:
    """Split a SQLAlchemy URL into the keyword arguments SQLTrackerStore takes."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return {
        "dialect": parsed.drivername,
        "host": parsed.host,
        "port": parsed.port,
        "db": parsed.database,
        "username": parsed.username,
        "password": parsed.password,
        "query": dict(parsed.query) or None,
    }


class URLSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore whose connection is one URL (Rasa passes endpoints' `url` as host)."""

    def __init__(self, host: Optional[Text] = None, **kwargs: Any) -> None:
        """Connect to the database named by the URL."""
        for ignored in ("url", "dialect", "port", "db", "username", "password", "query"):
            kwargs.pop(ignored, None)
        super().__init__(**sql_tracker_store_kwargs(tracker_store_url(host)), **kwargs)
