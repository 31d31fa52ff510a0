"""Two events side by side: the figures of each and the difference (second minus first).

The figures, each from the event's timeline (``room_hours`` says what planned and booked
mean):

- teams, rooms: how many the event has (its final state);
- hours planned, hours booked: the room-hours of the cells teams held, planned before or
  booked during the event;
- bookings made: ``Timeline.bookings`` made on the event's days (``activity``);
- people checked in: distinct nicks of ``Timeline.checkins``; check-ins: all of them;
- days: from the event's first day to its last.
"""

from __future__ import annotations

from dataclasses import dataclass

from ptghub.history.activity import bookings_by_day
from ptghub.history.room_hours import event_days, held_cells
from ptghub.history.timeline import Timeline

# (key, label, unit) of each figure, in the order they are shown.
FIGURES: tuple[tuple[str, str, str], ...] = (
    ("teams", "Teams", "teams"),
    ("hours_planned", "Hours planned", "room-hours"),
    ("hours_booked", "Hours booked during the event", "room-hours"),
    ("rooms", "Rooms", "rooms"),
    ("bookings", "Bookings made", "bookings"),
    ("people", "People checked in", "people"),
    ("checkins", "Check-ins", "check-ins"),
    ("days", "Days", "days"),
)


@dataclass(frozen=True, slots=True)
class EventFigures:
    """One event's figures (see the module); hours as minutes, to stay exact."""

    slug: str
    name: str
    teams: int
    minutes_planned: int
    minutes_booked: int
    rooms: int
    bookings: int
    people: int
    checkins: int
    days: int

    def value(self, key: str) -> float:
        """A figure by its key in ``FIGURES``; hours as hours."""
        if key == "hours_planned":
            return self.minutes_planned / 60
        if key == "hours_booked":
            return self.minutes_booked / 60
        value: int = getattr(self, key)
        return value


def event_figures(timeline: Timeline) -> EventFigures:
    state = timeline.state
    assert state.info is not None
    held = held_cells(timeline)
    return EventFigures(
        slug=state.info.slug,
        name=state.info.name,
        teams=len(state.teams),
        minutes_planned=sum(c.minutes for c in held if not c.booked),
        minutes_booked=sum(c.minutes for c in held if c.booked),
        rooms=len(state.rooms),
        bookings=sum(count for _, count in bookings_by_day(timeline)),
        people=len({c.nick for c in timeline.checkins}),
        checkins=len(timeline.checkins),
        days=len(event_days(state)),
    )


@dataclass(frozen=True, slots=True)
class CompareRow:
    key: str
    label: str
    unit: str
    first: float
    second: float

    @property
    def difference(self) -> float:
        return self.second - self.first


@dataclass(frozen=True, slots=True)
class Comparison:
    first: EventFigures
    second: EventFigures

    @property
    def rows(self) -> list[CompareRow]:
        return [
            CompareRow(key, label, unit, self.first.value(key), self.second.value(key))
            for key, label, unit in FIGURES
        ]


def compare(first: Timeline, second: Timeline) -> Comparison:
    """The figures of two events, side by side."""
    return Comparison(event_figures(first), event_figures(second))


def number(value: float) -> str:
    """A figure as people read it: whole numbers without a decimal point, others with up
    to two decimals (``1.75``, ``-3.5``)."""
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0")


def signed(value: float) -> str:
    """A difference: ``+3``, ``-1.5``, ``0``."""
    return ("+" if value > 0 else "") + number(value)
