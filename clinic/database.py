"""The one place that makes a database engine, and a SQLite file's folder.

Every store (follow-ups, the console's tables, the tracker store the console reads) gets its
engine here, created on first use; the tracker store add-on uses `ensure_sqlite_folder`.

A SQLite file's folder is created if missing, so the default databases under var/ need no setup.
There is no migration framework: tables are created on first use, and a nullable column added to a
table later is added to an existing database's table then too (`add_missing_columns`).
Several processes share the SQLite files (Rasa, the action server, the notifier, the console): every
SQLite connection uses write-ahead logging, so readers never block the writer, and waits up to
BUSY_TIMEOUT_MS for a lock instead of failing at once.
"""

from pathlib import Path
from typing import Dict, List, Set, Tuple

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


def share_sqlite_safely(engine: Engine, flush_every_commit: bool = True) -> Engine:
    """For a SQLite engine: WAL and a busy timeout on every connection it opens (others unchanged).

    Without `flush_every_commit`, a commit does not wait for the disk (synchronous=NORMAL): with WAL
    the file still survives any crash of the program, but the last commits before a power cut or an
    operating-system crash may be lost. That saves a disk flush (about 4 ms here) on every write.
    """
    if engine.url.get_backend_name() == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _pragmas(connection, _record) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute(f"PRAGMA synchronous={'FULL' if flush_every_commit else 'NORMAL'}")
            cursor.close()

    return engine


def kept_sqlite_connections(url: sa.engine.URL) -> dict:
    """For a SQLite file, a pool that keeps its connections open (other databases: no change).

    SQLAlchemy 1.4 opens a SQLite file anew for every session and closes it after (NullPool): with
    two or three sessions per message, reopening the file and setting its pragmas cost about 1 ms
    each. For engines whose sessions run one at a time on one thread (Rasa's tracker store, on its event loop).
    """
    if url.get_backend_name() != "sqlite":
        return {}
    return {"poolclass": sa.pool.QueuePool, "connect_args": {"check_same_thread": False}}


def engine_for(url: str) -> Engine:
    """One engine (one connection pool) per URL in this process."""
    if url not in _engines:
        ensure_sqlite_folder(url)
        # hide_parameters: an error message never carries the bound values (names, phones, messages).
        # pool_pre_ping: after the database server restarts, a pooled connection is found dead and
        # replaced before use, instead of failing the first query (a lead not stored).
        _engines[url] = share_sqlite_safely(sa.create_engine(url, future=True, hide_parameters=True,
                                                             pool_pre_ping=True))
    return _engines[url]


def add_missing_columns(engine: Engine, metadata: sa.MetaData) -> List[str]:
    """Add the nullable columns a table of `metadata` has gained since the database was created.

    Idempotent, and safe when two processes do it at once. Returns "table.column" for each added.
    """
    added: List[str] = []
    for table in metadata.sorted_tables:
        existing = {column["name"] for column in sa.inspect(engine).get_columns(table.name)}
        for column in table.columns:
            if column.name in existing or not column.nullable:
                continue
            column_type = column.type.compile(dialect=engine.dialect)
            preparer = engine.dialect.identifier_preparer
            statement = (f"ALTER TABLE {preparer.format_table(table)} "
                         f"ADD COLUMN {preparer.format_column(column)} {column_type}")
            try:
                with engine.begin() as conn:
                    conn.execute(sa.text(statement))
            except sa.exc.DBAPIError:
                # Another process may just have added it; anything else is a real error.
                if column.name not in {c["name"] for c in sa.inspect(engine).get_columns(table.name)}:
                    raise
                continue
            added.append(f"{table.name}.{column.name}")
    return added


def engine_with_tables(url: str, metadata: sa.MetaData) -> Engine:
    """The engine for `url`, with `metadata`'s tables (and their newer columns) made the first time."""
    engine = engine_for(url)
    if (url, id(metadata)) not in _created:
        metadata.create_all(engine)
        add_missing_columns(engine, metadata)
        _created.add((url, id(metadata)))
    return engine
