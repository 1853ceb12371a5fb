"""Engines for the three databases the console touches, created on first use."""

from pathlib import Path
from typing import Dict

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

_engines: Dict[str, Engine] = {}


def engine_for(url: str) -> Engine:
    """One engine per URL in this process (a SQLite file's folder is created if missing)."""
    if url not in _engines:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        _engines[url] = sa.create_engine(url, future=True)
    return _engines[url]
