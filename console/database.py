"""Engines for the three databases the console touches, created on first use."""

from pathlib import Path
from typing import Dict, Set, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

_engines: Dict[str, Engine] = {}
_created: Set[Tuple[str, int]] = set()


def engine_for(url: str) -> Engine:
    """One engine per URL in this process (a SQLite file's folder is created if missing)."""
    if url not in _engines:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        _engines[url] = sa.create_engine(url, future=True)
    return _engines[url]


def engine_with_tables(url: str, metadata: sa.MetaData) -> Engine:
    """The engine for `url`, with `metadata`'s tables created the first time it is asked for."""
    engine = engine_for(url)
    if (url, id(metadata)) not in _created:
        metadata.create_all(engine)
        _created.add((url, id(metadata)))
    return engine
