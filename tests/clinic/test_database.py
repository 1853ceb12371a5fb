import sqlalchemy as sa

from clinic.database import BUSY_TIMEOUT_MS, engine_for


def test_sqlite_files_are_shared_with_write_ahead_logging_and_a_busy_timeout(tmp_path):
    engine = engine_for(f"sqlite:///{tmp_path / 'shared.db'}")
    with engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(sa.text("PRAGMA busy_timeout")).scalar() == BUSY_TIMEOUT_MS
        # Leads and alerts are on disk before the visitor is told they are stored.
        assert connection.execute(sa.text("PRAGMA synchronous")).scalar() == 2  # FULL
