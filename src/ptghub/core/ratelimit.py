"""Token buckets per key (a client address, a token, a chat identity), bounded in memory.

Shared by the web server and the bots, so the same rule reads the same everywhere: a key
may spend ``burst`` actions at once and then ``rate.count`` per ``rate.per`` seconds.
The clock is injected (monotonic seconds), which keeps this module free of I/O and lets
tests step time instead of sleeping.

Memory is bounded whatever the callers send: at most ``max_keys`` buckets are kept; past
that the least recently used is dropped (O(1)). An attacker rotating keys can therefore
only reset buckets that have gone quiet, never grow the process.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from ptghub.core.errors import RateLimited


@dataclass(frozen=True, slots=True)
class Rate:
    """``count`` actions per ``per`` seconds, with bursts of up to ``burst`` (default count)."""

    count: int
    per: float
    burst: int | None = None

    def __post_init__(self) -> None:
        if self.count < 1 or self.per <= 0 or (self.burst is not None and self.burst < 1):
            raise ValueError(f"a rate needs count >= 1, per > 0 and burst >= 1: {self}")

    @property
    def capacity(self) -> float:
        return float(self.burst if self.burst is not None else self.count)

    @property
    def refill(self) -> float:
        """Tokens regained per second."""
        return self.count / self.per

    @classmethod
    def parse(cls, text: str) -> Rate:
        """``"30/60"`` (30 per 60 s) or ``"30/60/10"`` (with a burst of 10)."""
        parts = text.split("/")
        try:
            if len(parts) == 2:
                return cls(int(parts[0]), float(parts[1]))
            if len(parts) == 3:
                return cls(int(parts[0]), float(parts[1]), int(parts[2]))
        except ValueError:
            pass
        raise ValueError(f"a rate is COUNT/SECONDS or COUNT/SECONDS/BURST, not {text!r}")


class RateLimiter:
    """Per-key token buckets. Thread-safe: the bots call it from their reader threads."""

    def __init__(
        self,
        rate: Rate,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        self.rate = rate
        self.clock = clock
        self.max_keys = max_keys
        # key -> (tokens left, when last refilled); most recently used last.
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._buckets)

    def _level(self, key: str, now: float) -> float:
        tokens, then = self._buckets.get(key, (self.rate.capacity, now))
        return min(self.rate.capacity, tokens + (now - then) * self.rate.refill)

    def _wait(self, level: float, cost: float) -> float:
        return max(0.0, (cost - level) / self.rate.refill)

    def wait(self, key: str, cost: float = 1.0) -> float:
        """Seconds before ``key`` could spend ``cost``; 0.0 when it could now. Spends nothing."""
        with self._lock:
            return self._wait(self._level(key, self.clock()), cost)

    def hit(self, key: str, cost: float = 1.0) -> float:
        """Spend ``cost`` for ``key`` if it has it (returns 0.0); else the seconds to wait."""
        with self._lock:
            now = self.clock()
            level = self._level(key, now)
            if level < cost:
                return self._wait(level, cost)
            self._store(key, level - cost, now)
            return 0.0

    def charge(self, key: str, cost: float = 1.0) -> None:
        """Spend ``cost`` even below zero: for failures counted after the fact."""
        with self._lock:
            now = self.clock()
            level = self._level(key, now)
            self._store(key, max(level - cost, -self.rate.capacity), now)

    def check(self, key: str, what: str, cost: float = 1.0) -> None:
        """Spend ``cost`` or raise RateLimited with a message naming ``what`` was limited."""
        retry = self.hit(key, cost)
        if retry > 0:
            raise RateLimited(too_many(what, retry), retry_after=retry)

    def _store(self, key: str, tokens: float, now: float) -> None:
        self._buckets[key] = (tokens, now)
        self._buckets.move_to_end(key)
        if len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)


class Pace:
    """One token bucket for a sender: ``burst`` items at once, then one every ``interval``
    seconds (0: no limit). Not locked: its owner (a queue) holds its own lock around it."""

    def __init__(self, burst: int, interval: float, clock: Callable[[], float]) -> None:
        if burst < 1:
            raise ValueError(f"burst must be at least 1, not {burst}")
        if interval < 0:
            raise ValueError(f"interval must be 0 or more seconds, not {interval}")
        self.burst = burst
        self.interval = interval
        self.clock = clock
        self._tokens = float(burst)
        self._last = clock()

    def wait(self) -> float:
        """Seconds until one item may go; 0.0 when it may go now."""
        now = self.clock()
        elapsed = max(0.0, now - self._last)
        self._last = now
        if self.interval == 0:
            self._tokens = float(self.burst)
            return 0.0
        self._tokens = min(float(self.burst), self._tokens + elapsed / self.interval)
        return 0.0 if self._tokens >= 1 else (1 - self._tokens) * self.interval

    def spend(self) -> None:
        """One item went (after ``wait()`` said 0.0)."""
        self._tokens -= 1


def retry_after_seconds(wait: float) -> int:
    """A Retry-After value: whole seconds, rounded up, at least 1."""
    return max(1, math.ceil(wait))


def too_many(what: str, wait: float) -> str:
    seconds = retry_after_seconds(wait)
    unit = "second" if seconds == 1 else "seconds"
    return f"Too many {what}; try again in {seconds} {unit}."
