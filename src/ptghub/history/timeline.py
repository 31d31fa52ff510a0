"""An event's history as a timeline: the types every reader of it shares.

``build_timeline(changes, until)`` replays an event's audited changes, oldest first, up
to ``until`` (usually the end of the event: changes made afterwards do not rewrite what
happened). Times are aware UTC datetimes; teams, rooms and slots are named by their keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from ptghub.core.events import DomainEvent
from ptghub.core.model import CellStatus, EventState


class Change(Protocol):
    """One audited change as the timeline reads it (``store.audit_log.AuditEntry`` is one)."""

    @property
    def id(self) -> int: ...
    @property
    def at(self) -> datetime: ...
    @property
    def actor(self) -> str: ...
    @property
    def events(self) -> tuple[DomainEvent, ...]: ...


@dataclass(frozen=True, slots=True)
class Session:
    """A team's time in one room: consecutive slots of one day that it held there.

    A cell counts for the team that held it when its slot began (planned or booked then),
    or, when it was free then, for the first team that booked it during the slot.
    ``status`` is BOOKED when any of its cells was booked (not planned) at that moment;
    ``booked_at`` is when the first of them was booked (None for planned sessions).
    ``guests`` are the teams the published plan joined to it (a joint session); a guest's
    own recap shows the host's session with ``host`` set to the host's key.
    Slots after ``until`` count with their holder at ``until`` (``upcoming``).
    """

    team: str
    room: str
    slots: tuple[str, ...]
    start: datetime
    end: datetime
    status: CellStatus
    booked_at: datetime | None = None
    guests: tuple[str, ...] = ()
    upcoming: bool = False

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True, slots=True)
class TopicSpan:
    """A topic a team discussed: set as its ``now`` at ``start``, until ``end``.

    ``number`` counts the team's topics from 1 in the order they began (a chair names a
    topic by it in ``#TEAM outcome N TEXT``). The span ends at the first of: the team's
    ``now`` changing (another topic, clean, newday), the end of the session it began in
    (or, begun outside the team's sessions, the end of the slot it began in, else the
    moment it was replaced). ``end`` is None while it is still the topic at ``until``.
    """

    team: str
    number: int
    text: str
    start: datetime
    end: datetime | None

    @property
    def minutes(self) -> int | None:
        if self.end is None:
            return None
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True, slots=True)
class CheckIn:
    """A person checked in somewhere (``in #TEAM|LOCATION``): ``location`` as typed."""

    nick: str  # the nick's key (case-folded)
    location: str
    start: datetime
    end: datetime | None  # checked out, replaced by another check-in, or newday; None: still in


@dataclass(frozen=True, slots=True)
class Booking:
    """A cell booked while the timeline ran (``#TEAM book``), even if freed later."""

    at: datetime
    team: str
    room: str
    slot: str
    actor: str
    freed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class GivenUp:
    """A cell planned for a team that was freed (or given to another team) before its slot."""

    team: str
    room: str
    slot: str
    at: datetime


@dataclass(slots=True)
class Timeline:
    """What happened up to ``until``; ``state`` is the event's state at that moment."""

    until: datetime
    state: EventState
    sessions: list[Session] = field(default_factory=list)  # by start, then room order
    topics: list[TopicSpan] = field(default_factory=list)  # by start
    checkins: list[CheckIn] = field(default_factory=list)  # by start
    bookings: list[Booking] = field(default_factory=list)  # by time
    given_up: list[GivenUp] = field(default_factory=list)  # by time
    queued: dict[str, tuple[str, ...]] = field(
        default_factory=dict
    )  # team -> next topics never discussed

    def sessions_of(self, team: str) -> list[Session]:
        """The team's sessions, its own and the joint sessions it was a guest of."""
        return [s for s in self.sessions if s.team == team or team in s.guests]

    def topics_of(self, team: str) -> list[TopicSpan]:
        return [t for t in self.topics if t.team == team]


def event_end(state: EventState) -> datetime:
    """When the event ends (UTC): the end of its last slot, or without slots the midnight
    after its last day in its own zone. Recaps and reports stop here by default."""
    raise NotImplementedError  # the timeline helper's work (issue 15)


def build_timeline(
    changes: Sequence[Change],
    until: datetime,
    guests: dict[tuple[str, str], tuple[str, ...]] | None = None,
) -> Timeline:
    """Replay ``changes`` (oldest first) up to ``until`` into a timeline.

    ``guests``: the published plan's joint sessions, (room, slot) -> guest team keys.
    """
    raise NotImplementedError  # the timeline helper's work (issue 15)
