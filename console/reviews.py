"""Staff labels for visitor messages the model was unsure about, and their export as NLU data."""

from datetime import datetime, timezone
from functools import lru_cache
from typing import Dict, List

import sqlalchemy as sa
import yaml

from clinic.database import engine_with_tables
from clinic.settings import PROJECT_ROOT

metadata = sa.MetaData()
review_labels = sa.Table(
    "review_labels",
    metadata,
    sa.Column("event_id", sa.Integer, primary_key=True),  # the tracker store's event id
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("intent", sa.String(255), nullable=False),
    sa.Column("labelled_by", sa.String(150), nullable=False),
    sa.Column("labelled_at", sa.DateTime(timezone=True), nullable=False),
)


@lru_cache(maxsize=1)
def known_intents() -> List[str]:
    """The intents staff can choose from: every intent in the assistant's domain."""
    intents = []
    for path in sorted((PROJECT_ROOT / "domain").glob("*.yml")):
        intents += (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("intents") or []
    return sorted(set(intents))


class ReviewStore:
    """Labels live in the console's own database, never in the tracker store."""

    def __init__(self, url: str) -> None:
        """Tables are created on first use."""
        self.url = url

    @property
    def engine(self):
        """The engine, with this module's tables created on first use."""
        return engine_with_tables(self.url, metadata)

    def label(self, event_id: int, sender_id: str, text: str, intent: str, by: str) -> None:
        """Record (or change) the right intent for one visitor message."""
        if intent not in known_intents():
            raise ValueError(f"unknown intent {intent!r}")
        values = dict(sender_id=sender_id, text=text, intent=intent, labelled_by=by,
                      labelled_at=datetime.now(timezone.utc))
        with self.engine.begin() as conn:
            if not conn.execute(review_labels.update().where(review_labels.c.event_id == event_id)
                                .values(**values)).rowcount:
                conn.execute(review_labels.insert().values(event_id=event_id, **values))

    def count_for(self, sender_ids) -> int:
        """How many labels these conversations have (what `forget` would delete)."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(review_labels)
                                .where(review_labels.c.sender_id.in_(list(sender_ids)))).scalar_one()

    def forget(self, sender_ids) -> int:
        """Delete the labels of these conversations (a visitor's erasure); how many."""
        with self.engine.begin() as conn:
            return conn.execute(review_labels.delete().where(review_labels.c.sender_id.in_(list(sender_ids)))).rowcount

    def labels(self) -> Dict[int, str]:
        """Intent chosen per event id."""
        with self.engine.connect() as conn:
            return {r.event_id: r.intent for r in conn.execute(sa.select(review_labels.c.event_id,
                                                                         review_labels.c.intent))}

    def export_yaml(self) -> str:
        """Every reviewed message as Rasa NLU training data (YAML), ready for data/nlu/."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(review_labels.c.intent, review_labels.c.text)
                                .order_by(review_labels.c.labelled_at, review_labels.c.event_id)).all()
        # The same words labelled twice (two visitors, or a change of mind): the latest label wins,
        # so the export never teaches one text two intents.
        latest: Dict[str, str] = {}
        for row in rows:
            # One example is one line; brackets would read as entity annotations, so they go.
            text = " ".join(row.text.replace("[", "(").replace("]", ")").split())
            if text:
                latest.pop(text, None)
                latest[text] = row.intent
        by_intent: Dict[str, List[str]] = {}
        for text, intent in latest.items():
            by_intent.setdefault(intent, []).append(text)
        blocks = [{"intent": intent, "examples": "".join(f"- {t}\n" for t in texts)}
                  for intent, texts in by_intent.items()]
        header = "# Reviewed in the staff console. Check, then add under data/nlu/ and retrain.\n"
        return header + yaml.dump({"version": "3.1", "nlu": blocks}, Dumper=_LiteralDumper, sort_keys=False,
                                  allow_unicode=True)


class _LiteralDumper(yaml.SafeDumper):
    """Multi-line strings as `|` blocks, the way Rasa's own files are written."""


def _str(dumper, value):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_LiteralDumper.add_representer(str, _str)
