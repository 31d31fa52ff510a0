"""The server's notion of "now": the real time, or a simulated clock.

A simulated clock lets the demo show its April 2022 event as if it were running, and
lets organizers rehearse an event before it happens: it reads ``start`` when it is made
and then advances ``speed`` times as fast as real time. The store takes it as its
``clock`` (``Store(engine, clock=...)``), so the board, the pages, the commands and the
audit log all see the same moment. Real seconds come from an injected monotonic source
(``time.monotonic`` by default), which keeps this module free of I/O of its own and lets
tests move time by hand.

``parse_moment`` and ``parse_speed`` read the ``--clock``/``--clock-speed`` options and
the ``PTGHUB_CLOCK``/``PTGHUB_CLOCK_SPEED`` settings, refusing bad input with a message
that shows the expected form.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ptghub.core.errors import InvalidInput

REAL = "now"  # the --clock value that means the real time
MAX_SPEED = 100_000.0  # a week in six seconds: faster than anyone can read a board
CLOCK_FORM = "an ISO 8601 moment with its zone, e.g. 2022-04-05T15:10Z or 2022-04-05T17:10+02:00"


def parse_moment(text: str) -> datetime | None:
    """The moment ``text`` names (aware, UTC), or None for ``now`` (the real clock)."""
    value = text.strip()
    if value.casefold() == REAL:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"The clock must be {CLOCK_FORM}, or '{REAL}' for the real time; got {text[:60]!r}."
        ) from None
    if moment.tzinfo is None:
        raise InvalidInput(
            f"The clock {text[:60]!r} has no time zone: add one, e.g. {value}Z for UTC "
            f"or {value}+02:00."
        )
    return moment.astimezone(UTC)


def parse_speed(value: str | float) -> float:
    """A clock speed: how many simulated seconds pass per real second (1 = real pace)."""
    try:
        speed = float(str(value).strip().removesuffix("x"))
    except ValueError:
        speed = math.nan
    if not (0 < speed <= MAX_SPEED):  # also refuses nan and inf
        raise InvalidInput(
            f"The clock speed must be a number above 0 and at most {MAX_SPEED:g} "
            f"(1 is real time, 60 makes a minute pass each second); got {str(value)[:40]!r}."
        )
    return speed


@dataclass(frozen=True, slots=True)
class SimulatedClock:
    """A clock that read ``start`` at the real instant ``origin`` (seconds of ``source``)
    and has run at ``speed`` since. Call it for the current simulated moment."""

    start: datetime
    speed: float = 1.0
    source: Callable[[], float] = field(default=time.monotonic, compare=False)
    origin: float = field(default=math.nan, compare=False)

    def __post_init__(self) -> None:
        if self.start.tzinfo is None:
            raise ValueError("a simulated clock starts at an aware datetime")
        parse_speed(self.speed)
        if math.isnan(self.origin):
            object.__setattr__(self, "origin", self.source())

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=(self.source() - self.origin) * self.speed)

    def real_seconds(self, simulated: float) -> float:
        """How many real seconds ``simulated`` seconds of this clock take."""
        return simulated / self.speed

    @property
    def pace(self) -> str:
        """The speed as people say it: "1x", "60x", "0.5x"."""
        return f"{self.speed:g}x"


def simulated(clock: Callable[[], datetime]) -> SimulatedClock | None:
    """``clock`` when it is a simulated one, else None (the real time)."""
    return clock if isinstance(clock, SimulatedClock) else None
