"""Token buckets: a burst is allowed, then the steady rate; each key has its own bucket."""

from clinic.ratelimit import Limits, Rate, TokenBuckets


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_a_burst_then_one_per_interval():
    clock = Clock()
    buckets = TokenBuckets(Rate(3, 60), clock)
    assert [buckets.allow("a") for _ in range(4)] == [True, True, True, False]
    assert buckets.allow("b")  # another key is not affected
    clock.now += 19
    assert not buckets.allow("a")
    clock.now += 1
    assert buckets.allow("a") and not buckets.allow("a")


def test_many_senders_from_one_address_are_held_by_the_address_limit():
    clock = Clock()
    limits = Limits(per_sender=Rate(5, 60), per_ip=Rate(10, 60), clock=clock)
    allowed = [limits.allow(f"sender-{i}", "203.0.113.9") for i in range(20)]
    assert allowed.count(True) == 10
    assert limits.allow("sender-x", "198.51.100.1")
