"""The sessions of a timeline: who held each cell of the grid, merged into sessions.

A cell (room, slot) counts for the team that held it (planned or booked) when its slot
began: the cell as the changes made up to its start left it (a replay's prefix, as for
``until``). When it was free then, it counts for the first team that booked it during the
slot (``booked_at`` then). A slot that begins after ``until`` counts for the cell's holder
at ``until``, as ``upcoming``.

Consecutive slots of one day (one slot's end is the next one's start, slots in time
order) in the same room held by the same team make one ``Session``: BOOKED when any of
its cells was booked at that moment (``booked_at``: the earliest of their bookings), else
PLANNED; its ``guests`` are the union, in order, of its cells' guests. Upcoming slots
merge only with upcoming ones. Sessions come by start, then in the event's room order.

Only the rooms and slots the state holds at ``until`` count, with their times then.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from ptghub.core.model import Cell, CellStatus, EventState, Slot
from ptghub.history.timeline import Session, slot_bounds


@dataclass(frozen=True, slots=True)
class CellMark:
    """A cell's value from a change on: made ``at``, held by its team ``since``."""

    at: datetime
    cell: Cell
    since: datetime  # when its status and team last changed (a booking's time)


@dataclass(frozen=True, slots=True)
class _Held:
    team: str
    status: CellStatus
    booked_at: datetime | None


def holder(
    marks: Sequence[CellMark], start: datetime, end: datetime, until: datetime
) -> _Held | None:
    """Who a cell counts for in a slot from ``start`` to ``end`` (see the module)."""
    if start > until:
        if not marks or marks[-1].cell.team is None:
            return None
        last = marks[-1]
        return _held(last.cell, last.since)
    at_start: CellMark | None = None
    index = 0
    while index < len(marks) and marks[index].at <= start:
        at_start = marks[index]
        index += 1
    if at_start is not None and at_start.cell.team is not None:
        return _held(at_start.cell, at_start.since)
    for mark in marks[index:]:
        if mark.at >= end:
            break
        if mark.cell.status is CellStatus.BOOKED and mark.cell.team is not None:
            return _Held(mark.cell.team, CellStatus.BOOKED, mark.at)
    return None


def _held(cell: Cell, since: datetime) -> _Held:
    assert cell.team is not None
    booked = cell.status is CellStatus.BOOKED
    return _Held(cell.team, cell.status, since if booked else None)


@dataclass(slots=True)
class _Run:
    """A session being merged."""

    team: str
    room: str
    day: object
    slots: list[str]
    start: datetime
    end: datetime
    booked_at: list[datetime]
    guests: list[str]
    upcoming: bool

    def session(self) -> Session:
        return Session(
            team=self.team,
            room=self.room,
            slots=tuple(self.slots),
            start=self.start,
            end=self.end,
            status=CellStatus.BOOKED if self.booked_at else CellStatus.PLANNED,
            booked_at=min(self.booked_at) if self.booked_at else None,
            guests=tuple(self.guests),
            upcoming=self.upcoming,
        )


def sessions(
    state: EventState,
    cells: Mapping[tuple[str, str], Sequence[CellMark]],
    until: datetime,
    guests: Mapping[tuple[str, str], tuple[str, ...]],
) -> list[Session]:
    """Every team's sessions, by start then room order (see the module for the rules)."""
    if state.info is None:
        return []
    zone = state.info.timezone
    timed: list[tuple[str, Slot, datetime, datetime]] = [
        (key, slot, *slot_bounds(slot, zone)) for key, slot in state.slots.items()
    ]
    timed.sort(key=lambda item: (item[2], item[3]))
    found: list[tuple[int, Session]] = []
    for order, room in enumerate(state.rooms):
        run: _Run | None = None
        for key, slot, start, end in timed:
            marks = cells.get((room, key))
            held = holder(marks, start, end, until) if marks else None
            upcoming = start > until
            if (
                run is not None
                and held is not None
                and run.team == held.team
                and run.day == slot.day
                and run.end == start
                and run.upcoming == upcoming
            ):
                run.slots.append(key)
                run.end = end
            else:
                if run is not None:
                    found.append((order, run.session()))
                run = None
                if held is None:
                    continue
                run = _Run(held.team, room, slot.day, [key], start, end, [], [], upcoming)
            if held.booked_at is not None:
                run.booked_at.append(held.booked_at)
            for guest in guests.get((room, key), ()):
                if guest not in run.guests and guest != run.team:
                    run.guests.append(guest)
        if run is not None:
            found.append((order, run.session()))
    found.sort(key=lambda item: (item[1].start, item[0]))
    return [session for _, session in found]
