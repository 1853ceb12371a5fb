"""Rasa's Redis lock store, except that a visitor's message never waits forever behind a dead replica.

Rasa serves one conversation's messages in ticket order; each ticket expires after the lock lifetime
(60 s, TICKET_LOCK_LIFETIME). When a replica dies holding a ticket, the next message of that
conversation (its retry, on another replica) waits for the dead ticket to expire. Rasa 3.6 checks once
a second, and if the waiting ticket expires within the same second as the dead one, both are gone at
the next check: the lock still exists, so Rasa keeps waiting for a ticket that will never be served,
until the client gives up (seen here: nginx answered 504 after 120 s). Here a waiter whose own ticket
expired takes a new one, and the ticket it holds at the end is the one released.
"""

import asyncio
from contextlib import asynccontextmanager
from typing import AsyncGenerator, Text

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig


class ReissuingTickets:
    """A lock store's `lock`, with a new ticket for a waiter whose ticket expired while it waited."""

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = 1) -> AsyncGenerator[TicketLock, None]:
        """Wait for `conversation_id`'s lock, hold it inside the block, then release it."""
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            while True:
                lock = self.get_lock(conversation_id)
                if lock is None or not holds(lock, ticket):
                    ticket = self.issue_ticket(conversation_id, lock_lifetime)
                elif not lock.is_locked(ticket):
                    break
                else:
                    await asyncio.sleep(wait_time_in_seconds)
                    self.update_lock(conversation_id)
            yield lock
        finally:
            self.cleanup(conversation_id, ticket)


class ReissuingRedisLockStore(ReissuingTickets, RedisLockStore):
    """RedisLockStore whose waiting messages take a new ticket when theirs expired while waiting."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        """Connect as Rasa's `type: redis` does, from the endpoint's `url` and other keys."""
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)


def holds(lock: TicketLock, ticket: int) -> bool:
    """Whether `ticket` is still in the lock's queue (it has not expired)."""
    lock.remove_expired_tickets()
    return any(queued.number == ticket for queued in lock.tickets)
