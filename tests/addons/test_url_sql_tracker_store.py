from addons.url_sql_tracker_store import sql_tracker_store_kwargs
from clinic.settings import VAR, tracker_store_url


def test_one_url_names_a_postgresql_tracker_store():
    kwargs = sql_tracker_store_kwargs("postgresql://rasa:secret@db.internal:5433/conversations")
    assert kwargs == {"dialect": "postgresql", "host": "db.internal", "port": 5433, "db": "conversations",
                      "username": "rasa", "password": "secret", "query": None}


def test_the_default_is_an_embedded_sqlite_file(monkeypatch, tmp_path):
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    # An absolute path under the project's var/, whatever folder Rasa is started from.
    assert tracker_store_url() == f"sqlite:///{VAR / 'tracker.db'}" and VAR.is_absolute()
    kwargs = sql_tracker_store_kwargs(f"sqlite:///{tmp_path}/sub/tracker.db")
    assert kwargs["dialect"] == "sqlite" and (tmp_path / "sub").is_dir()


def test_the_tracker_store_shares_its_sqlite_file_with_write_ahead_logging(tmp_path):
    import sqlalchemy as sa

    from addons.url_sql_tracker_store import URLSQLTrackerStore

    store = URLSQLTrackerStore(f"sqlite:///{tmp_path / 'tracker.db'}")
    with store.engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        # No disk flush on every message's commit; WAL keeps the file whole whatever the program does.
        assert connection.execute(sa.text("PRAGMA synchronous")).scalar() == 1  # NORMAL


def test_a_conversation_another_server_writes_is_read_at_once_through_kept_connections(tmp_path):
    import asyncio

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from addons.url_sql_tracker_store import URLSQLTrackerStore

    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    domain = Domain.empty()
    mine, other = URLSQLTrackerStore(url, domain=domain), URLSQLTrackerStore(url, domain=domain)

    async def texts_read_after_other_saves(*texts):
        tracker = DialogueStateTracker.from_events("visitor", [UserUttered(t) for t in texts])
        await other.save(tracker)
        return [e.text for e in (await mine.retrieve("visitor")).events]

    async def conversation():
        # The first read leaves a pooled connection behind; the second must not see an old snapshot.
        return (await texts_read_after_other_saves("hello"),
                await texts_read_after_other_saves("hello", "how long does botox last"))

    assert asyncio.run(conversation()) == (["hello"], ["hello", "how long does botox last"])
    assert mine.engine.pool.checkedin() == 1  # the connection is kept, not reopened per message


def test_each_message_of_a_conversation_is_stored_once_across_sessions(tmp_path):
    import asyncio

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SessionStarted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from addons.url_sql_tracker_store import URLSQLTrackerStore

    store = URLSQLTrackerStore(f"sqlite:///{tmp_path / 'tracker.db'}", domain=Domain.empty())

    async def conversation():
        await store.save(DialogueStateTracker.from_events("visitor", [UserUttered("hello")]))
        tracker = await store.retrieve("visitor")
        tracker.update(UserUttered("how long does botox last"))
        await store.save(tracker)
        # Saved twice in one turn, then a new session started on the same tracker.
        tracker.update(UserUttered("and fillers?"))
        await store.save(tracker)
        await store.save(tracker)
        tracker.update(SessionStarted(timestamp=tracker.events[-1].timestamp + 1))
        tracker.update(UserUttered("thanks"))
        await store.save(tracker)
        return [e.text for e in (await store.retrieve_full_tracker("visitor")).events if isinstance(e, UserUttered)]

    assert asyncio.run(conversation()) == ["hello", "how long does botox last", "and fillers?", "thanks"]
