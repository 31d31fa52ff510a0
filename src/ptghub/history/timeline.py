"""An event's history as a timeline: the types every reader of it shares.

``build_timeline(changes, until)`` replays an event's audited changes, oldest first, up
to ``until`` (usually the end of the event: changes made afterwards do not rewrite what
happened). Times are aware UTC datetimes; teams, rooms and slots are named by their keys.
The rules are written where they are applied: ``replay`` (what each change leaves in the
history; the change that defines the event counts from before it began), ``sessions``
(who held each cell, merged into sessions) and ``topics`` (how long each topic lasted).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

from ptghub.core.events import DomainEvent
from ptghub.core.model import CellStatus, EventState, Slot


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
    ``guests`` are the teams the published plan joined to it (a joint session): it is
    one of each guest's sessions too (``Timeline.sessions_of``), ``team`` being its host.
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
    # team -> its next topics never discussed (teams with none are left out)
    queued: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def sessions_of(self, team: str) -> list[Session]:
        """The team's sessions, its own and the joint sessions it was a guest of."""
        return [s for s in self.sessions if s.team == team or team in s.guests]

    def topics_of(self, team: str) -> list[TopicSpan]:
        return [t for t in self.topics if t.team == team]


def event_end(state: EventState) -> datetime:
    """When the event ends (UTC): the end of its last slot, or without slots the midnight
    after its last day in its own zone. Recaps and reports stop here by default.

    Raises ValueError for a state without an event (nothing created yet).
    """
    info = state.info
    if info is None:
        raise ValueError("a state without an event has no end")
    if state.slots:
        return max(slot_bounds(slot, info.timezone)[1] for slot in state.slots.values())
    midnight = datetime.combine(info.end + timedelta(days=1), time(0), ZoneInfo(info.timezone))
    return midnight.astimezone(UTC)


@lru_cache(maxsize=4096)
def slot_bounds(slot: Slot, timezone: str) -> tuple[datetime, datetime]:
    """A slot's start and end as aware UTC datetimes (its times are local to ``timezone``,
    the event's zone); a slot whose end is not after its start ends on the next day."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(slot.day, slot.start, zone)
    end_day = slot.day if slot.end > slot.start else slot.day + timedelta(days=1)
    end = datetime.combine(end_day, slot.end, zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def build_timeline(
    changes: Sequence[Change],
    until: datetime,
    guests: dict[tuple[str, str], tuple[str, ...]] | None = None,
) -> Timeline:
    """Replay ``changes`` (oldest first) up to ``until`` into a timeline.

    ``guests``: the published plan's joint sessions, (room, slot) -> guest team keys.
    The rules of the replay are ``replay.Replay``'s, those of the sessions
    ``sessions.sessions``', those of the topics ``topics.topic_spans``'.
    """
    # Imported here: replay builds the types above.
    from ptghub.history.replay import Replay

    replay = Replay(until)
    replay.feed(changes)
    return replay.timeline(guests)
