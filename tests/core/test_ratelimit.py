"""Token buckets per key: bursts, refill, failures charged after the fact, bounded memory."""

from __future__ import annotations

import pytest

from ptghub.core.errors import RateLimited
from ptghub.core.ratelimit import Pace, Rate, RateLimiter, retry_after_seconds, too_many


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_key_spends_its_burst_then_waits_for_the_refill() -> None:
    clock = Clock()
    limiter = RateLimiter(Rate(2, 10.0), clock=clock)
    assert [limiter.hit("a") for _ in range(2)] == [0.0, 0.0]
    assert limiter.hit("a") == pytest.approx(5.0)
    assert limiter.hit("b") == 0.0  # keys are independent
    clock.now += 5.0
    assert limiter.hit("a") == 0.0
    assert limiter.hit("a") == pytest.approx(5.0)


def test_a_burst_larger_than_the_rate_is_allowed_once() -> None:
    clock = Clock()
    limiter = RateLimiter(Rate(1, 1.0, burst=3), clock=clock)
    assert [limiter.hit("a") for _ in range(4)] == [0.0, 0.0, 0.0, pytest.approx(1.0)]


def test_wait_spends_nothing() -> None:
    limiter = RateLimiter(Rate(1, 60.0), clock=Clock())
    assert limiter.wait("a") == 0.0
    assert limiter.wait("a") == 0.0
    assert limiter.hit("a") == 0.0
    assert limiter.wait("a") == pytest.approx(60.0)


def test_failures_charged_after_the_fact_block_until_refilled() -> None:
    clock = Clock()
    limiter = RateLimiter(Rate(3, 30.0), clock=clock)
    for _ in range(5):
        limiter.charge("addr")
    # 3 in the bucket, 5 charged: 2 below zero, so 3 tokens (30 s) before one is back.
    assert limiter.wait("addr") == pytest.approx(30.0)
    clock.now += 30.0
    assert limiter.wait("addr") == 0.0


def test_check_raises_with_a_message_and_retry_after() -> None:
    limiter = RateLimiter(Rate(1, 2.5), clock=Clock())
    limiter.check("t", "changes from this token")
    with pytest.raises(RateLimited) as refused:
        limiter.check("t", "changes from this token")
    assert refused.value.retry_after == pytest.approx(2.5)
    assert refused.value.message == "Too many changes from this token; try again in 3 seconds."


def test_memory_is_bounded_by_max_keys_dropping_the_least_recently_used() -> None:
    limiter = RateLimiter(Rate(1, 60.0), clock=Clock(), max_keys=100)
    limiter.hit("victim")
    for n in range(10_000):
        limiter.hit(f"k{n}")
    assert len(limiter) == 100
    assert limiter.wait("victim") == 0.0  # forgotten: starts full again


def test_rate_parses_count_seconds_and_burst() -> None:
    assert Rate.parse("30/60") == Rate(30, 60.0)
    assert Rate.parse("30/60/5") == Rate(30, 60.0, 5)
    with pytest.raises(ValueError, match="COUNT/SECONDS"):
        Rate.parse("30 per minute")
    with pytest.raises(ValueError, match="count >= 1"):
        Rate(0, 1.0)


def test_retry_after_is_whole_seconds_at_least_one() -> None:
    assert [retry_after_seconds(w) for w in (0.0, 0.2, 1.0, 1.01)] == [1, 1, 1, 2]
    assert too_many("sign-ins", 0.5) == "Too many sign-ins; try again in 1 second."


def test_pace_lets_a_burst_go_then_one_per_interval() -> None:
    clock = Clock()
    pace = Pace(2, 3.0, clock)
    waits = []
    for _ in range(3):
        waits.append(pace.wait())
        if waits[-1] == 0.0:
            pace.spend()
    assert waits == [0.0, 0.0, pytest.approx(3.0)]
    clock.now += 1.5
    assert pace.wait() == pytest.approx(1.5)
    clock.now += 1.5
    assert pace.wait() == 0.0


def test_pace_without_interval_never_waits() -> None:
    pace = Pace(1, 0.0, Clock())
    for _ in range(5):
        assert pace.wait() == 0.0
        pace.spend()
    with pytest.raises(ValueError, match="burst must be at least 1"):
        Pace(0, 1.0, Clock())
