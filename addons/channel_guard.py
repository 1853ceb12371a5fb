"""What the public channels (REST and socket.io) share: the body size cap, rate limits, client address.

One `Limits` per Rasa process for both channels, so a visitor or an address has one allowance
whichever channel it uses. Behind a proxy, tell Sanic how to find the client's address
(SANIC_PROXIES_COUNT=1 or SANIC_REAL_IP_HEADER=X-Real-IP in the environment), else every visitor
counts as the proxy's one address.
"""

import hashlib
import re
import secrets
from functools import lru_cache
from typing import Dict

from sanic import Blueprint, Request

from clinic.followups.from_conversation import CLIENT_KEY
from clinic.ratelimit import Limits, Rate
from clinic.settings import get_settings

# Every body the Rasa server reads, HTTP API included (train with `rasa train`, not through the API).
SERVER_MAX_BODY_BYTES = 4 * 1024 * 1024
# Conversation ids a client may name: letters, digits, - and _ (socket ids and uuids fit), not paths.
SENDER_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


@lru_cache(maxsize=1)
def channel_limits() -> Limits:
    """The per-sender and per-address buckets of this process, from clinic.yml's `limits`."""
    limits = get_settings().limits
    return Limits(per_sender=Rate(limits.messages_per_minute_per_sender, 60),
                  per_ip=Rate(limits.messages_per_minute_per_ip, 60))


def client_address(request: Request) -> str:
    """The client's address: from the proxy's headers when Sanic is told to trust them, else the socket's."""
    return request.remote_addr or request.ip or ""


# Per process, never stored: the client keys below cannot be turned back into addresses.
_CLIENT_SALT = secrets.token_bytes(16)


def client_metadata(address: str) -> Dict[str, str]:
    """The only metadata stored with a visitor's message: a pseudonymous key of their address.

    The actions read it (clinic/followups/from_conversation.py) to cap leads, handoffs and alerts per
    address; the address itself is never stored. The key changes when the Rasa server restarts.
    """
    key = hashlib.blake2b(address.encode("utf-8", "replace"), key=_CLIENT_SALT, digest_size=12).hexdigest()
    return {CLIENT_KEY: key}


def cap_server_bodies(blueprint: Blueprint) -> None:
    """Lower Sanic's 100 MB default body limit for the whole Rasa server once it starts."""

    @blueprint.listener("before_server_start")
    async def cap(app, _loop) -> None:
        app.config.REQUEST_MAX_SIZE = min(app.config.REQUEST_MAX_SIZE, SERVER_MAX_BODY_BYTES)
