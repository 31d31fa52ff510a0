"""The delays between the IRC link's reconnection attempts.

Doubling from a short first delay, so that a blip costs a second and a long outage does
not hammer the network; drawn with jitter, so that many bots dropped by the same
netsplit do not all come back at the same instant.
"""

from __future__ import annotations

import random
from collections.abc import Callable


class Backoff:
    """Delays between reconnection attempts: ``first`` doubling up to ``most`` seconds,
    each drawn between half and all of that (jitter, so many bots do not return at once)."""

    def __init__(
        self, first: float, most: float, rand: Callable[[], float] = random.random
    ) -> None:
        self.first = first
        self.most = most
        self.rand = rand
        self.attempts = 0

    def next(self) -> float:
        delay = min(self.most, self.first * 2.0**self.attempts)
        self.attempts = min(self.attempts + 1, 30)  # 2**30 s is "most" anyway: no overflow
        return delay * (0.5 + self.rand() / 2)

    def reset(self) -> None:
        self.attempts = 0
