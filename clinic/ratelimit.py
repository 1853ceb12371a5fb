"""Token buckets: how many requests a key (a sender, an IP address) may make, refilled over time.

In memory, per process: one Rasa process by default (several replicas each count their own share,
which nginx's own limits then bound). Used by the public channels (addons/) and the console's login.
"""

import threading
import time
from dataclasses import dataclass
from typing import Callable, Dict, Hashable, Tuple

# How many keys are remembered before the idle ones are forgotten (bounds memory under a flood of new keys).
MAX_KEYS = 100_000


@dataclass(frozen=True)
class Rate:
    """`burst` requests at once, then one per `per_seconds / burst`: e.g. Rate(20, 60) is 20 a minute."""

    burst: int
    per_seconds: float

    @property
    def refill_per_second(self) -> float:
        """Tokens added back each second."""
        return self.burst / self.per_seconds


class TokenBuckets:
    """One bucket per key; `allow(key)` takes a token if there is one."""

    def __init__(self, rate: Rate, clock: Callable[[], float] = time.monotonic) -> None:
        """Every key starts with a full bucket."""
        self.rate = rate
        self.clock = clock
        self._buckets: Dict[Hashable, Tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: Hashable) -> bool:
        """True (and one token used) when `key` may go ahead now."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.rate.burst), now))
            tokens = min(float(self.rate.burst), tokens + (now - last) * self.rate.refill_per_second)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            if len(self._buckets) > MAX_KEYS:
                self._forget_full(now)
            return allowed

    def _forget_full(self, now: float) -> None:
        """Drop the buckets that have refilled completely: they behave like new ones."""
        full_after = self.rate.per_seconds
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < full_after}


class Limits:
    """A per-sender and a per-IP bucket: a request goes ahead only when both allow it."""

    def __init__(self, per_sender: Rate, per_ip: Rate, clock: Callable[[], float] = time.monotonic) -> None:
        """Both kinds of bucket on the same clock."""
        self.senders = TokenBuckets(per_sender, clock)
        self.ips = TokenBuckets(per_ip, clock)

    def allow(self, sender: str, ip: str) -> bool:
        """True when this sender and this address are both under their rates."""
        return self.ips.allow(ip) and self.senders.allow(sender)
