"""Every page says when the server's clock is simulated (``core.clock``).

A demo or a rehearsal shows its event as if it were running; a reader must not take
the board's "now" for the real time. ``ClockNote`` (ASGI middleware, added by
``create_app`` when the store's clock is simulated) makes the clock known to the page
templates for the duration of each request; ``base.html`` asks ``simulated_clock()``
and shows the notice, and puts the moment and speed on ``<body>`` for ``time.js``,
which moves the grid's "now" mark with the simulated clock rather than the browser's.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from starlette.types import ASGIApp, Receive, Scope, Send

from ptghub.core.clock import SimulatedClock

_CLOCK: ContextVar[SimulatedClock | None] = ContextVar("ptghub_simulated_clock", default=None)


@dataclass(frozen=True, slots=True)
class SimulatedNow:
    """What a page says of a simulated clock: the moment it read, and its pace."""

    now: datetime
    speed: float
    pace: str  # "1x", "60x"


def simulated_clock() -> SimulatedNow | None:
    """The simulated clock's reading for the page being rendered; None for real time."""
    clock = _CLOCK.get()
    return None if clock is None else SimulatedNow(clock(), clock.speed, clock.pace)


class ClockNote:
    """Makes ``clock`` the simulated clock of every HTTP request's pages."""

    def __init__(self, app: ASGIApp, clock: SimulatedClock) -> None:
        self.app = app
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = _CLOCK.set(self.clock)
        try:
            await self.app(scope, receive, send)
        finally:
            _CLOCK.reset(token)
