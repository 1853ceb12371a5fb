"""Rasa's SQL tracker store, configured by one database URL instead of five fields.

endpoints.yml names this class; the URL comes from `url:` there, else TRACKER_STORE_URL, else
clinic.settings' default (an absolute path under var/, whatever folder Rasa is started from),
so moving from the embedded SQLite file to PostgreSQL changes one value.

Its engine hides bound parameters: a database error in Rasa's log never shows a visitor's words.
"""

from typing import Any, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from sqlalchemy.engine.url import make_url

from addons import rasa_speedups
from clinic.database import ensure_sqlite_folder, kept_sqlite_connections, share_sqlite_safely
from clinic.settings import tracker_store_url


def sql_tracker_store_kwargs(url: Text) -> dict:
    """Split a SQLAlchemy URL into the keyword arguments SQLTrackerStore takes."""
    ensure_sqlite_folder(url)
    parsed = make_url(url)
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
        """Connect to the database named by the URL (and speed up the Rasa server: addons/rasa_speedups.py)."""
        rasa_speedups.install()
        for ignored in ("url", "dialect", "port", "db", "username", "password", "query"):
            kwargs.pop(ignored, None)
        super().__init__(**sql_tracker_store_kwargs(tracker_store_url(host)), **kwargs)
        url = self.engine.url
        self.engine.dispose()
        # pool_pre_ping: after the database server restarts, a dead pooled connection is replaced
        # before use instead of failing one visitor's message. Conversations are written on every
        # message: no disk flush on each commit (leads and alerts, in the follow-up store, keep it).
        engine = sa.create_engine(url, hide_parameters=True, pool_pre_ping=True, **create_engine_kwargs(url),
                                  **kept_sqlite_connections(url))
        self.engine = share_sqlite_safely(engine, flush_every_commit=False)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
