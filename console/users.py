"""Staff accounts and login throttling, in the console's own database."""

from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Optional

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from clinic.database import engine_with_tables

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10

metadata = sa.MetaData()
staff_users = sa.Table(
    "staff_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(150), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(150), nullable=False, index=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)
_hasher = PasswordHasher()


def _now() -> datetime:
    return datetime.now(timezone.utc)


class UserStore:
    """Creates staff accounts and checks logins (argon2 hashes; lock after repeated failures)."""

    def __init__(self, url: str) -> None:
        """Tables are created on first use."""
        self.url = url

    @property
    def engine(self):
        """The engine, with this module's tables created on first use."""
        return engine_with_tables(self.url, metadata)

    def create(self, username: str, password: str) -> None:
        """Add a staff account, or reset its password if it exists."""
        username = username.strip()
        if not username or len(password) < MIN_PASSWORD_LENGTH:
            raise ValueError(f"A username and a password of at least {MIN_PASSWORD_LENGTH} characters are needed.")
        values = {"password_hash": _hasher.hash(password)}
        with self.engine.begin() as conn:
            updated = conn.execute(staff_users.update().where(staff_users.c.username == username).values(**values))
            if not updated.rowcount:
                conn.execute(staff_users.insert().values(username=username, created_at=_now(), **values))

    def locked(self, username: str, now: Optional[datetime] = None) -> bool:
        """True while the account has had too many recent failed logins."""
        since = (now or _now()) - LOCKOUT
        with self.engine.connect() as conn:
            failures = conn.execute(
                sa.select(sa.func.count()).select_from(login_failures)
                .where(login_failures.c.username == username, login_failures.c.at > since)
            ).scalar_one()
        return failures >= MAX_FAILURES

    def check(self, username: str, password: str) -> bool:
        """True for a right password on an unlocked account; a failure is recorded."""
        if self.locked(username):
            return False
        with self.engine.connect() as conn:
            stored = conn.execute(
                sa.select(staff_users.c.password_hash).where(staff_users.c.username == username)
            ).scalar_one_or_none()
        try:
            # A missing user is checked against a dummy hash so both take the same time.
            _hasher.verify(stored or _dummy_hash(), password)
            ok = stored is not None
        except (VerificationError, InvalidHashError):
            ok = False
        with self.engine.begin() as conn:
            if ok:
                conn.execute(login_failures.delete().where(login_failures.c.username == username))
            else:
                conn.execute(login_failures.insert().values(username=username, at=_now()))
        return ok


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("not a real password, only for timing")
