"""Room-hours: which cells of the grid were used, by whom, and how (planned or booked).

A cell (room, slot) is *held* when a session of the timeline covers it: by the session's
team, *booked* when the session is BOOKED and the cell is one booked during the timeline
(a ``Booking`` of it by that team, or the cell booked by that team in the final state; a
booked session none of whose cells can be told apart counts every cell as booked), else
*planned*. A cell nobody held is *free* when its room is bookable and the cell is
available (not UNAVAILABLE) in the final state: the room-hours teams could have booked.
Cells of rooms that are not bookable count only when held.

Times of day are the slots' own clock, in the event's zone: a slot 09:00-10:45 gives 60
minutes to the hour 9 and 45 to the hour 10 of its day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ptghub.core.model import CellStatus, EventState, Slot
from ptghub.history.timeline import Session, Timeline


@dataclass(frozen=True, slots=True)
class HeldCell:
    """One cell of the grid a team held (see the module)."""

    room: str
    slot: str
    team: str
    booked: bool
    minutes: int


def slot_minutes(slot: Slot) -> int:
    """A slot's length; one whose end is not after its start ends at the next midnight
    or later (23:00-00:00 is 60 minutes)."""
    start = slot.start.hour * 60 + slot.start.minute
    end = slot.end.hour * 60 + slot.end.minute
    return end - start if end > start else end + 24 * 60 - start


def slot_bounds(slot: Slot, timezone: str) -> tuple[datetime, datetime]:
    """A slot's start and end as UTC instants (its times are local to ``timezone``)."""
    start = datetime.combine(slot.day, slot.start, tzinfo=ZoneInfo(timezone))
    end = start + timedelta(minutes=slot_minutes(slot))
    return start.astimezone(UTC), end.astimezone(UTC)


def minutes_by_hour(slot: Slot) -> dict[int, int]:
    """The minutes of the slot in each hour of its day's clock (0-23; past midnight: 24+)."""
    start = slot.start.hour * 60 + slot.start.minute
    end = start + slot_minutes(slot)
    found: dict[int, int] = {}
    for hour in range(start // 60, (end - 1) // 60 + 1):
        found[hour] = min(end, (hour + 1) * 60) - max(start, hour * 60)
    return found


def _booked_keys(timeline: Timeline) -> set[tuple[str, str, str]]:
    keys = {(b.room, b.slot, b.team) for b in timeline.bookings}
    keys |= {
        (room, slot, cell.team)
        for (room, slot), cell in timeline.state.cells.items()
        if cell.status == CellStatus.BOOKED and cell.team is not None
    }
    return keys


def _booked_slots(session: Session, keys: set[tuple[str, str, str]]) -> set[str]:
    if session.status != CellStatus.BOOKED:
        return set()
    known = {slot for slot in session.slots if (session.room, slot, session.team) in keys}
    return known or set(session.slots)


def held_cells(timeline: Timeline) -> list[HeldCell]:
    """Every cell a session held, in the sessions' order then their slots'."""
    slots = timeline.state.slots
    keys = _booked_keys(timeline)
    held: list[HeldCell] = []
    for session in timeline.sessions:
        booked = _booked_slots(session, keys)
        for slot in session.slots:
            minutes = slot_minutes(slots[slot]) if slot in slots else 0
            held.append(HeldCell(session.room, slot, session.team, slot in booked, minutes))
    return held


def free_cells(timeline: Timeline) -> list[tuple[str, str]]:
    """The (room, slot) cells nobody held that teams could have booked (see the module)."""
    state = timeline.state
    taken = {(c.room, c.slot) for c in held_cells(timeline)}
    return [
        (room, slot)
        for room, spec in state.rooms.items()
        if spec.bookable
        for slot in state.slots
        if (room, slot) not in taken and state.cell(room, slot).status != CellStatus.UNAVAILABLE
    ]


@dataclass(frozen=True, slots=True)
class HourUse:
    """Room-minutes of one hour of one day of the event (the slots' clock)."""

    day: date
    hour: int
    planned: int
    booked: int
    free: int

    @property
    def share(self) -> float | None:
        """The share of the available room-minutes that teams used; None: none available."""
        total = self.planned + self.booked + self.free
        return None if total == 0 else (self.planned + self.booked) / total


def event_days(state: EventState) -> list[date]:
    assert state.info is not None
    count = (state.info.end - state.info.start).days + 1
    return [state.info.start + timedelta(days=n) for n in range(max(count, 0))]


def utilization(timeline: Timeline) -> list[HourUse]:
    """Every day of the event (from its first to its last) by every hour that a slot of
    any day touches, day by day: the grid of the heatmap, zeros included."""
    state = timeline.state
    counts: dict[tuple[date, int], list[int]] = {}

    def add(slot_key: str, column: int) -> None:
        slot = state.slots[slot_key]
        for hour, minutes in minutes_by_hour(slot).items():
            counts.setdefault((slot.day, hour), [0, 0, 0])[column] += minutes

    for cell in held_cells(timeline):
        if cell.slot in state.slots:
            add(cell.slot, 1 if cell.booked else 0)
    for _room, slot in free_cells(timeline):
        add(slot, 2)
    hours = sorted({h for slot in state.slots.values() for h in minutes_by_hour(slot)})
    days = sorted(set(event_days(state)) | {slot.day for slot in state.slots.values()})
    return [
        HourUse(day, hour, *counts.get((day, hour), [0, 0, 0])) for day in days for hour in hours
    ]


def hour_label(hour: int) -> str:
    """``09:00``; an hour past midnight of the slots' day as ``+1 01:00``."""
    days, rest = divmod(hour, 24)
    return f"{'+' + str(days) + ' ' if days else ''}{time(rest):%H:%M}"
