"""Staff accounts (roles, session versions), login throttling and the access log, in the console's own database."""

from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import List, NamedTuple, Optional

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from clinic.database import engine_with_tables

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
MAX_USERNAME_LENGTH = 150
ADMIN, STAFF = "admin", "staff"
ROLES = (ADMIN, STAFF)

metadata = sa.MetaData()
staff_users = sa.Table(
    "staff_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(150), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("role", sa.String(16), nullable=False, server_default=STAFF),
    # Raised on every password change or removal: sessions carrying an older value are over.
    sa.Column("session_version", sa.Integer, nullable=False, server_default="1"),
)
login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(150), nullable=False, index=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)
# Who opened which transcript or export, and when (HIPAA 164.312(b) audit controls).
access_log = sa.Table(
    "access_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("staff", sa.String(150), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("target", sa.String(512), nullable=False),
)
_hasher = PasswordHasher()
# Columns added after the first release: added to an existing table on first use.
_ADDED_COLUMNS = {"role": f"VARCHAR(16) NOT NULL DEFAULT '{STAFF}'", "session_version": "INTEGER NOT NULL DEFAULT 1"}


class Account(NamedTuple):
    """A staff account as the console shows it."""

    username: str
    role: str
    session_version: int
    created_at: datetime


class Access(NamedTuple):
    """One access log entry."""

    at: datetime
    staff: str
    action: str
    target: str


_migrated: set = set()


def _now() -> datetime:
    return datetime.now(timezone.utc)


class UserStore:
    """Creates staff accounts and checks logins (argon2 hashes; lock after repeated failures)."""

    def __init__(self, url: str) -> None:
        """Tables are created on first use."""
        self.url = url

    @property
    def engine(self):
        """The engine, with this module's tables (and columns added since) created on first use."""
        engine = engine_with_tables(self.url, metadata)
        if self.url not in _migrated:
            existing = {c["name"] for c in sa.inspect(engine).get_columns("staff_users")}
            with engine.begin() as conn:
                for name, ddl in _ADDED_COLUMNS.items():
                    if name not in existing:
                        conn.execute(sa.text(f"ALTER TABLE staff_users ADD COLUMN {name} {ddl}"))
            _migrated.add(self.url)
        return engine

    def create(self, username: str, password: str, role: Optional[str] = None) -> str:
        """Add a staff account, or reset its password (and end its sessions) if it exists; its role.

        The first account is an admin; later ones are staff unless `role` says otherwise.
        """
        username = username.strip()
        if not username or len(username) > MAX_USERNAME_LENGTH or len(password) < MIN_PASSWORD_LENGTH:
            raise ValueError(f"A username (at most {MAX_USERNAME_LENGTH} characters) and a password of at least "
                             f"{MIN_PASSWORD_LENGTH} characters are needed.")
        if role is not None and role not in ROLES:
            raise ValueError(f"The role is one of: {', '.join(ROLES)}.")
        values = {"password_hash": _hasher.hash(password)}
        if role:
            values["role"] = role
        with self.engine.begin() as conn:
            updated = conn.execute(staff_users.update().where(staff_users.c.username == username)
                                   .values(session_version=staff_users.c.session_version + 1, **values))
            if not updated.rowcount:
                first = not conn.execute(sa.select(sa.func.count()).select_from(staff_users)).scalar_one()
                values.setdefault("role", ADMIN if first else STAFF)
                conn.execute(staff_users.insert().values(username=username, created_at=_now(), session_version=1,
                                                         **values))
            return conn.execute(sa.select(staff_users.c.role).where(staff_users.c.username == username)).scalar_one()

    def account(self, username: str) -> Optional[Account]:
        """The account, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(staff_users.c.username, staff_users.c.role, staff_users.c.session_version,
                                         staff_users.c.created_at).where(staff_users.c.username == username)).first()
        return Account(*row) if row else None

    def accounts(self) -> List[Account]:
        """Every account, by name."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(staff_users.c.username, staff_users.c.role, staff_users.c.session_version,
                                          staff_users.c.created_at).order_by(staff_users.c.username)).all()
        return [Account(*row) for row in rows]

    def remove(self, username: str) -> bool:
        """Delete an account (its sessions end with it); False if there was none."""
        with self.engine.begin() as conn:
            return bool(conn.execute(staff_users.delete().where(staff_users.c.username == username)).rowcount)

    def record_access(self, staff: str, action: str, target: str) -> None:
        """Note that `staff` opened `target` (a conversation id, an export with its filters)."""
        with self.engine.begin() as conn:
            conn.execute(access_log.insert().values(at=_now(), staff=staff, action=action, target=target[:512]))

    def accesses(self, limit: int = 200, offset: int = 0) -> List[Access]:
        """The access log, newest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(access_log.c.at, access_log.c.staff, access_log.c.action, access_log.c.target)
                                .order_by(access_log.c.at.desc(), access_log.c.id.desc()).limit(limit).offset(offset))
            return [Access(*row) for row in rows]

    def purge(self, before: datetime) -> dict:
        """Delete login failures and access records older than `before`; counts per table."""
        with self.engine.begin() as conn:
            failures = conn.execute(login_failures.delete().where(login_failures.c.at < before)).rowcount
            accesses = conn.execute(access_log.delete().where(access_log.c.at < before)).rowcount
        return {"login failures": failures, "access log entries": accesses}

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
        """True for a right password on an unlocked account; a failure on an existing account is recorded.

        Failures for names that are no account leave no row (they would only fill the table).
        """
        if len(username) > MAX_USERNAME_LENGTH or self.locked(username):
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
            elif stored is not None:
                conn.execute(login_failures.insert().values(username=username, at=_now()))
        return ok


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("not a real password, only for timing")
