"""Replaying an event's audited changes into its state, keeping what a timeline shows.

``Replay(until)`` starts from an empty ``EventState`` and ``feed`` applies each change's
events in order with ``core.apply.apply``, in place (no copy per change), stopping for
good before the first change made after ``until``: what people did after that moment does
not rewrite it. A replay may be fed more changes later (the store's cache feeds it only
the changes it has not seen); ``timeline`` turns what it kept into a ``Timeline`` at any
point, sharing nothing mutable with it but the state.

The change that creates the event (the one holding ``EventCreated``, an event file loaded
or another tool's data imported) is the event's definition, whenever it was made: it is
applied even when made after ``until`` (an import of a past event), its cells count as
held since before the event, and what else it sets (an import's topics and check-ins)
starts at the earlier of its time and ``until``.

While applying, it records:

- every cell change, with when the cell's holding (status and team) began: the sessions
  (``sessions.sessions``) are read from it;
- the topics: a ``TopicsChanged`` whose ``new.now`` is set and differs from ``old.now``
  starts a span (numbered per team from 1) and ends the team's previous one; one whose
  ``new.now`` is None (clean, newday, a removed team) ends it; a change of ``next`` or
  ``location`` alone does neither. The end clamp is ``topics.topic_spans``'s;
- the check-ins: a presence checked in (``checked_out`` None) starts a ``CheckIn`` at the
  change's time, unless the nick is already checked in at that same location (checking in
  again where one is starts nothing); the nick checking out, checking in elsewhere or its
  presence removed (newday, emptydb) ends the open one at the change's time;
- the bookings: a cell becoming BOOKED for a team that did not hold it booked is a
  ``Booking`` (the change's time and actor); the change that makes the cell anything
  else (freed, undone, unavailable) sets its ``freed_at``. Cells planned by the event file
  or a published plan are PLANNED, never bookings;
- the cells given up: a cell PLANNED for a team that changes to another team or to no team
  before its slot begins (the slot's times as the state holds them then);
- the topics queued: every ``next`` topic, to tell which never became the team's ``now``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from ptghub.core.apply import apply
from ptghub.core.events import (
    CellChanged,
    DomainEvent,
    EventCreated,
    PresenceChanged,
    TopicsChanged,
)
from ptghub.core.model import Cell, CellStatus, EventState
from ptghub.history.sessions import CellMark, sessions
from ptghub.history.timeline import (
    Booking,
    Change,
    CheckIn,
    GivenUp,
    Timeline,
    TopicSpan,
    slot_bounds,
)
from ptghub.history.topics import queued_topics, topic_spans

# Before any slot: when the cells of the event's definition count as held from.
BEFORE_EVERYTHING = datetime.min.replace(tzinfo=UTC)


@dataclass(slots=True)
class _Queue:
    """A team's ``next`` topics in first-seen order, and every ``now`` it set (folded)."""

    seen: dict[str, str]  # folded -> first spelling
    discussed: set[str]


class Replay:
    """An event's state replayed up to ``until``, and the history kept on the way."""

    def __init__(self, until: datetime) -> None:
        self.until = until
        self.state = EventState()
        self.stopped = False  # a change after ``until`` was met: nothing more is applied
        self.last_id: int | None = None  # the id of the last change applied
        self._cells: dict[tuple[str, str], list[CellMark]] = {}
        self._spans: list[TopicSpan] = []
        self._open_span: dict[str, int] = {}  # team -> index in _spans
        self._numbers: dict[str, int] = {}
        self._checkins: list[CheckIn] = []
        self._open_checkin: dict[str, int] = {}  # nick key -> index in _checkins
        self._bookings: list[Booking] = []
        self._open_booking: dict[tuple[str, str], int] = {}  # cell -> index in _bookings
        self._given_up: list[GivenUp] = []
        self._queues: dict[str, _Queue] = {}

    def feed(self, changes: Iterable[Change]) -> None:
        """Apply ``changes`` (oldest first, after those already fed) up to ``until``.

        Raises ``core.errors.Conflict`` when a change does not apply to the state the
        earlier ones made (a log that is not this event's history).
        """
        for change in changes:
            if self.stopped:
                return
            defines = any(isinstance(event, EventCreated) for event in change.events)
            if change.at > self.until and not defines:
                self.stopped = True
                return
            at = min(change.at, self.until)
            for event in change.events:
                apply(self.state, event)
                self._record(event, at, change.actor, defines)
            self.last_id = change.id

    def timeline(self, guests: dict[tuple[str, str], tuple[str, ...]] | None = None) -> Timeline:
        """What the changes fed so far show at ``until``. The timeline holds this replay's
        state itself: copy the state (``core.apply.copy_state``) before feeding more
        changes if the timeline is kept."""
        held = sessions(self.state, self._cells, self.until, guests or {})
        return Timeline(
            until=self.until,
            state=self.state,
            sessions=held,
            topics=topic_spans(self.state, self._spans, held, self.until),
            checkins=sorted(self._checkins, key=lambda c: c.start),
            bookings=sorted(self._bookings, key=lambda b: b.at),
            given_up=sorted(self._given_up, key=lambda g: g.at),
            queued=queued_topics(
                {team: (tuple(q.seen.values()), q.discussed) for team, q in self._queues.items()}
            ),
        )

    # -- what each event leaves in the history ----------------------------------------

    def _record(self, event: DomainEvent, at: datetime, actor: str, defines: bool) -> None:
        if isinstance(event, CellChanged):
            self._cell(event, at, actor, defines)
        elif isinstance(event, TopicsChanged):
            self._topics(event, at)
        elif isinstance(event, PresenceChanged):
            self._presence(event, at)

    def _cell(self, event: CellChanged, at: datetime, actor: str, defines: bool) -> None:
        where = (event.room, event.slot)
        old, new = event.old, event.new
        marks = self._cells.setdefault(where, [])
        same_holding = (old.status, old.team) == (new.status, new.team)
        since = marks[-1].since if same_holding and marks else at
        marks.append(CellMark(BEFORE_EVERYTHING if defines else at, new, since))

        open_booking = self._open_booking.get(where)
        if open_booking is not None and not _booked_for(new, self._bookings[open_booking].team):
            self._bookings[open_booking] = replace(self._bookings[open_booking], freed_at=at)
            del self._open_booking[where]
        if (
            new.status is CellStatus.BOOKED
            and new.team is not None
            and not _booked_for(old, new.team)
        ):
            self._open_booking[where] = len(self._bookings)
            self._bookings.append(Booking(at, new.team, event.room, event.slot, actor))

        if old.status is CellStatus.PLANNED and old.team is not None and new.team != old.team:
            info = self.state.info
            slot = self.state.slots.get(event.slot)
            if info is not None and slot is not None and at < slot_bounds(slot, info.timezone)[0]:
                self._given_up.append(GivenUp(old.team, event.room, event.slot, at))

    def _topics(self, event: TopicsChanged, at: datetime) -> None:
        team, old, new = event.team, event.old, event.new
        if new.now is not None and new.now != old.now:
            self._end_span(team, at)
            number = self._numbers.get(team, 0) + 1
            self._numbers[team] = number
            self._open_span[team] = len(self._spans)
            self._spans.append(TopicSpan(team, number, new.now, at, None))
        elif new.now is None and old.now is not None:
            self._end_span(team, at)
        queue = self._queues.setdefault(team, _Queue({}, set()))
        if new.now is not None:
            queue.discussed.add(new.now.casefold())
        for topic in new.next:
            queue.seen.setdefault(topic.casefold(), topic)

    def _end_span(self, team: str, at: datetime) -> None:
        index = self._open_span.pop(team, None)
        if index is not None:
            self._spans[index] = replace(self._spans[index], end=at)

    def _presence(self, event: PresenceChanged, at: datetime) -> None:
        nick, new = event.nick, event.new
        index = self._open_checkin.get(nick)
        if new is not None and new.checked_out is None:
            if index is not None and self._checkins[index].location == new.location:
                return  # checked in again where one is: the same stay
            self._end_checkin(nick, at)
            self._open_checkin[nick] = len(self._checkins)
            self._checkins.append(CheckIn(nick, new.location, at, None))
        else:
            self._end_checkin(nick, at)

    def _end_checkin(self, nick: str, at: datetime) -> None:
        index = self._open_checkin.pop(nick, None)
        if index is not None:
            self._checkins[index] = replace(self._checkins[index], end=at)


def _booked_for(cell: Cell, team: str) -> bool:
    return cell.status is CellStatus.BOOKED and cell.team == team
