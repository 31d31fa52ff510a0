"""The demo event's grid as ``demo.history`` reads it: slots as UTC moments
(``history.timeline.slot_bounds``), and the sessions teams hold (consecutive slots of one
day in one room), from the cells as the board and the planner tell a team's
(``EventState.cells``: a planned or booked cell names its team). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ptghub.core.model import EventState
from ptghub.history.timeline import slot_bounds


@dataclass(frozen=True, slots=True, order=True)
class Session:
    """A team's (a key) consecutive slots of one day in one room; ordered by start."""

    start: datetime
    end: datetime
    team: str
    room: str
    slots: tuple[str, ...]
    booked: bool = False


class Slots:
    """The event's slots (keys) as UTC moments; ``order``: by start."""

    def __init__(self, state: EventState) -> None:
        assert state.info is not None, "an event's state has its info"
        self.timezone = state.info.timezone
        self.state = state
        self.order = sorted(state.slots, key=self.start)

    def start(self, key: str) -> datetime:
        return slot_bounds(self.state.slots[key], self.timezone)[0]

    def end(self, key: str) -> datetime:
        return slot_bounds(self.state.slots[key], self.timezone)[1]

    def after(self, key: str) -> str | None:
        """The slot that starts as ``key`` ends, on the same day, if any."""
        day, end = self.state.slots[key].day, self.end(key)
        return next(
            (k for k in self.order if self.state.slots[k].day == day and self.start(k) == end),
            None,
        )

    def days(self) -> list[date]:
        return sorted({slot.day for slot in self.state.slots.values()})

    def held(self, day: date) -> list[str]:
        """The day's slots in which some team holds a cell, by start."""
        teams = {s for (_, s), cell in self.state.cells.items() if cell.team}
        return [k for k in self.order if k in teams and self.state.slots[k].day == day]


def sessions(slots: Slots, holders: dict[tuple[str, str], str]) -> list[Session]:
    """The sessions of ``holders`` (cell -> team key), by start then room order: each
    team's consecutive slots of one day in one room."""

    def session(room: str, run: list[str]) -> Session:
        team = holders[(room, run[0])]
        return Session(slots.start(run[0]), slots.end(run[-1]), team, room, tuple(run))

    found: list[Session] = []
    for room in slots.state.rooms:
        run: list[str] = []
        for slot in slots.order:
            team = holders.get((room, slot))
            if run and (
                team != holders[(room, run[-1])] or slots.start(slot) != slots.end(run[-1])
            ):
                found.append(session(room, run))
                run = []
            if team is not None:
                run.append(slot)
        if run:
            found.append(session(room, run))
    rooms = list(slots.state.rooms)
    return sorted(found, key=lambda s: (s.start, rooms.index(s.room)))
