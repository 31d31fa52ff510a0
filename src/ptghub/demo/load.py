"""Loading the demo event: its definition, its past, then the sample commands, "now".

``load(store, events, actor, text)`` is what ``ptghub demo`` (and the tests that want the
demo as it loads) runs on a database without the event: the event is created the day
before its first slot (or "now", if that is earlier), ``history.past`` is run up to the
store's clock (at most the whole event), each line through the ordinary command path
(``Store.run``, front end ``demo``) at its own moment, and ``SAMPLE_COMMANDS`` at the
store's own "now". The audit log then reads in time order, as if the demo's people had
used ptghub all along.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta

from ptghub.core.apply import apply_all
from ptghub.core.events import DomainEvent
from ptghub.core.model import Actor, EventState
from ptghub.demo import SAMPLE_COMMANDS, SLUG
from ptghub.demo.history import past
from ptghub.demo.replay import FRONTEND
from ptghub.demo.sessions import Slots
from ptghub.store.results import Result
from ptghub.store.store import Store

LOADED_BEFORE = timedelta(days=1)  # the organizers load the event file the day before


def load(store: Store, events: Sequence[DomainEvent], actor: Actor, text: str) -> Result:
    """Create the demo event from ``events`` (its file's), run its past up to the
    store's clock and then the sample commands; the creation's result."""
    now = store.clock()
    state = apply_all(EventState(), events)
    lines = past(state, now)
    first = min((Slots(state).start(key) for key in state.slots), default=now)
    created = min(now, first - LOADED_BEFORE)
    moment = _Moment(created)
    with _clock(store, moment):
        result = store.create_event(list(events), actor, text)
        for at, nick, line in lines:
            moment.at = at
            store.run(line, Actor(nick, frontend=FRONTEND), event=SLUG)
    for nick, line in SAMPLE_COMMANDS:
        store.run(line, Actor(nick, frontend=FRONTEND), event=SLUG)
    return result


class _Moment:
    """A clock that says what it is told."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@contextmanager
def _clock(store: Store, clock: Callable[[], datetime]) -> Iterator[None]:
    """The store's commands see ``clock`` meanwhile (``Store.run`` and ``create_event``
    read ``store.clock`` for their moment). Only while nothing else uses the store: the
    loader runs before the server and the replay start."""
    saved = store.clock
    store.clock = clock
    try:
        yield
    finally:
        store.clock = saved
