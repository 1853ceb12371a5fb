"""The one place that makes a database engine, and a SQLite file's folder.

Every store (follow-ups, the console's tables, the tracker store the console reads) gets its
engine here, created on first use; the tracker store add-on uses `ensure_sqlite_folder`.

A SQLite file's folder is created if missing, so the default databases under var/ need no setup.
Several processes share the SQLite files (Rasa, the action server, the notifier, the console): every
SQLite connection uses write-ahead logging, so readers never block the writer, and waits up to
BUSY_TIMEOUT_MS for a lock instead of failing at once.
"""

from pathlib import Path
from typing import Dict, Set, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

BUSY_TIMEOUT_MS = 5000
_engines: Dict[str, Engine] = {}
_created: Set[Tuple[str, int]] = set()


def ensure_sqlite_folder(url: str) -> None:
    """Create the folder of a SQLite database file (nothing for other databases)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def share_sqlite_safely(engine: Engine) -> Engine:
    """For a SQLite engine: WAL and a busy timeout on every connection it opens (others unchanged)."""
    if engine.url.get_backend_name() == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _pragmas(connection, _record) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.close()

    return engine


def engine_for(url: str) -> Engine:
    """One engine (one connection pool) per URL in this process."""
    if url not in _engines:
        ensure_sqlite_folder(url)
        # hide_parameters: an error message never carries the bound values (names, phones, messages).
        _engines[url] = share_sqlite_safely(sa.create_engine(url, future=True, hide_parameters=True))
    return _engines[url]


def engine_with_tables(url: str, metadata: sa.MetaData) -> Engine:
    """The engine for `url`, with `metadata`'s tables created the first time it is asked for."""
    engine = engine_for(url)
    if (url, id(metadata)) not in _created:
        metadata.create_all(engine)
        _created.add((url, id(metadata)))
    return engine
