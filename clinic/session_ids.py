"""Socket.io session ids: issued by the server, unguessable, signed.

A session id (what the widget holds and resends) is 32 random hex characters, `-`, then an
HMAC-SHA256 signature of them (itsdangerous, URL-safe base64): letters, digits, `-` and `_` only, so
it round-trips through the widget's storage unchanged and passes the REST channel's sender-id rule.
itsdangerous's own separator `.` is swapped for `-`, which hex never contains.

The conversation id (Rasa's sender id, what staff see in the console, e-mails, webhooks and CSV
exports) is `socketio-` and the random part only, never the signature: knowing a conversation id is
not enough to make a session id the server accepts, so it is not enough to join that conversation.
The REST channel refuses senders with that prefix, so it cannot write into them either.

The key: SESSION_SIGNING_KEY, else a random one created once in var/session_signing_key
(readable by this user only), as `make run` does for the other tokens.
"""

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path
from typing import Dict, Optional

from itsdangerous import Signer

from clinic.settings import VAR

KEY_FILE = VAR / "session_signing_key"
_ID = re.compile(r"^([0-9a-f]{32})-([A-Za-z0-9_-]{20,86})$")
_SALT = "clinic.socketio.session-id"
# Conversation ids of socket.io sessions start with this; no other channel may use it.
CONVERSATION_PREFIX = "socketio-"


def signing_key(env: Optional[Dict[str, str]] = None, key_file: Path = KEY_FILE) -> str:
    """SESSION_SIGNING_KEY, else the key kept in `key_file` (created with a random value if missing)."""
    env = os.environ if env is None else env
    if env.get("SESSION_SIGNING_KEY"):
        return env["SESSION_SIGNING_KEY"]
    if not key_file.exists() or not key_file.read_text().strip():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_urlsafe(32) + "\n")
    return key_file.read_text().strip()


class SessionIds:
    """Issues session ids and tells a genuine one from an unknown or forged one."""

    def __init__(self, key: str) -> None:
        """Sign with `key` (never logged, never sent)."""
        if not key:
            raise ValueError("A session signing key is needed (SESSION_SIGNING_KEY).")
        self._signer = Signer(key, salt=_SALT, digest_method=hashlib.sha256)

    def issue(self) -> str:
        """A fresh, unguessable, signed session id."""
        signed = self._signer.sign(secrets.token_hex(16)).decode("ascii")
        value, signature = signed.split(".", 1)
        return f"{value}-{signature}"

    def verify(self, session_id: object) -> Optional[str]:
        """`session_id` when this server issued it, else None."""
        if not isinstance(session_id, str):
            return None
        match = _ID.match(session_id)
        if not match:
            return None
        # Compared as text, not as decoded bytes: base64 leaves spare bits in the last character, so
        # several spellings decode to the same signature; only the one this server issued is accepted.
        expected = self._signer.get_signature(match.group(1)).decode("ascii")
        return session_id if hmac.compare_digest(expected, match.group(2)) else None


def conversation_id(session_id: str) -> str:
    """The conversation (sender) id of a verified session id: the prefix and its random part."""
    return CONVERSATION_PREFIX + session_id.split("-", 1)[0]
