"""Rasa's SQL tracker store, configured by one database URL instead of five fields.

endpoints.yml names this class; the URL comes from `url:` there, else TRACKER_STORE_URL, else
clinic.settings' default (an absolute path under var/, whatever folder Rasa is started from),
so moving from the embedded SQLite file to PostgreSQL changes one value.

Its engine hides bound parameters: a database error in Rasa's log never shows a visitor's words.

Saving a conversation writes only the events not stored yet. Rasa counts the stored ones with a
query on every save (a sixth of a message's tracker-store time, measured with py-spy); a tracker
this store read or saved already knows that number, so the query runs only for trackers made
elsewhere. The lock store keeps one server on a conversation at a time, so the number stays true.
"""

import itertools
from typing import Any, Iterator, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine.url import make_url

from addons import in_process_actions, message_turns, rasa_speedups
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
        """Connect to the database named by the URL, and install the Rasa server's add-ons.

        The speed-ups (addons/rasa_speedups.py), the actions run in process
        (addons/in_process_actions.py) and the order messages are worked on (addons/message_turns.py):
        every profile's endpoints load this store at start.
        """
        rasa_speedups.install()
        in_process_actions.install()
        message_turns.install()
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

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The latest session's tracker, noting how many of its events are stored."""
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            _note_stored(tracker, len(tracker.events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the tracker's new events (see the module's docstring)."""
        await super().save(tracker)
        _note_stored(tracker, len(tracker.events))

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        stored = getattr(tracker, STORED_EVENTS, None)
        if stored is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))


# How many of a tracker's events are in the database, set by this store's reads and saves only.
STORED_EVENTS = "_clinic_stored_event_count"


def _note_stored(tracker: DialogueStateTracker, count: int) -> None:
    setattr(tracker, STORED_EVENTS, count)
