"""A known sequence of commands on the small test event, each at its own moment.

The event is created on Fri 1 April 2022, before it starts (``create_and_play``).
Mon 4 April 2022 (UTC): 13:30 nova's topic; 13:40 alice checks in #nova, out at 14:45;
14:50 cinder books Austin Mon-P1; 15:05 bob checks in 'austin', out at 16:00; carol in
#cinder 15:10-15:50. Tue 5 April 13:10: nova books Austin Tue-A2. The event ends Tue 17:00.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ptghub.core.model import Actor
from ptghub.store.store import Store
from tests.support import Clock, small_event

OPERATOR = Actor("root", frontend="cli", operator=True)
EVENT = "test-ptg"

COMMANDS: tuple[tuple[tuple[int, int, int], str, str], ...] = (
    ((4, 13, 30), "root", "#nova now Placement API"),
    ((4, 13, 40), "alice", "in #nova"),
    ((4, 14, 45), "alice", "out"),
    ((4, 14, 50), "root", "#cinder book Austin-Mon-P1"),
    ((4, 15, 5), "bob", "in austin"),
    ((4, 15, 10), "carol", "in #cinder"),
    ((4, 15, 50), "carol", "out"),
    ((4, 16, 0), "bob", "out"),
    ((5, 13, 10), "root", "#nova book Austin-Tue-A2"),
)


def play(store: Store, clock: Clock, event: str = EVENT) -> None:
    """Run ``COMMANDS`` on ``event``, the clock set to each one's moment; afterwards the
    clock reads Wed 6 April, after the event."""
    for (day, hour, minute), nick, text in COMMANDS:
        clock.now = datetime(2022, 4, day, hour, minute, tzinfo=UTC)
        actor = OPERATOR if nick == "root" else Actor(nick, frontend="test")
        result = store.run(text, actor, event=event)
        assert result is not None and result.audit_id is not None, (text, result)
    clock.now = datetime(2022, 4, 6, 9, tzinfo=UTC)


def create_and_play(store: Store, clock: Clock) -> None:
    """Create the small test event on 1 April (before it starts), then ``play``."""
    clock.now = datetime(2022, 4, 1, 9, tzinfo=UTC)
    store.create_event(small_event(), Actor("loader", operator=True), "test setup")
    play(store, clock)
