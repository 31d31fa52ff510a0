"""Test data and helpers shared by the test modules (fixtures live in conftest.py)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from ptghub.core.events import (
    CellChanged,
    DomainEvent,
    EventCreated,
    RoleGranted,
    RoomAdded,
    SlotAdded,
    TeamAdded,
)
from ptghub.core.model import (
    Actor,
    Cell,
    CellStatus,
    EventFormat,
    EventInfo,
    EventState,
    Role,
    RoleKind,
    Room,
    Slot,
    Team,
    TeamKind,
)

if TYPE_CHECKING:
    from ptghub.store.store import Store


class Clock:
    """A settable clock, so that tests say what time it is at the event."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class Seconds:
    """Monotonic seconds moved by hand (``value``): the real-time source of a clock."""

    def __init__(self, value: float = 1000.0) -> None:
        self.value = value

    def __call__(self) -> float:
        return self.value


ORGANIZER = Actor("olivia", frontend="test")
NOVA_CHAIR = Actor("nchair", frontend="test")
ALICE = Actor("alice", frontend="test")


def small_event() -> list[DomainEvent]:
    """A two-day event: rooms Austin, Bexar and 'Coiste Bainisti', slots A1/A2/P1/P2 a day.

    nova is planned in Austin on Monday morning; Bexar is not bookable; Austin has no
    Tuesday P2 cell; olivia organizes and nchair chairs nova.
    """
    info = EventInfo(
        slug="test-ptg",
        name="Test PTG",
        start=date(2022, 4, 4),
        end=date(2022, 4, 5),
        timezone="UTC",
        format=EventFormat.VIRTUAL,
        contact="ptg@example.org",
    )
    rooms = [
        Room("Austin", 50, "https://meet.example.org/austin"),
        Room("Bexar", 20, None, "Organizers only", bookable=False),
        Room("Coiste Bainisti", 10, "https://meet.example.org/coiste"),
    ]
    times = [("A1", 13, 14), ("A2", 14, 15), ("P1", 15, 16), ("P2", 16, 17)]
    slots = [
        Slot(f"{day:%a}-{name}", day, time(start), time(end))
        for day in (date(2022, 4, 4), date(2022, 4, 5))
        for name, start, end in times
    ]
    teams = [
        Team("nova", "Nova/Placement", TeamKind.PROJECT_TEAM, onboarding=True),
        Team("cinder", "Cinder"),
        Team("relmgt", "Release Management"),
        Team("first-contact", "First Contact SIG", TeamKind.SIG),
    ]
    planned = {("austin", "mona1"), ("austin", "mona2")}
    cells: list[DomainEvent] = []
    for room in rooms:
        for slot in slots:
            if room.key == "austin" and slot.key == "tuep2":
                continue
            where = (room.key, slot.key)
            new = Cell(CellStatus.PLANNED, "nova") if where in planned else Cell(CellStatus.FREE)
            cells.append(CellChanged(room.key, slot.key, Cell(CellStatus.UNAVAILABLE), new))
    return [
        EventCreated(info),
        *(RoomAdded(r) for r in rooms),
        *(SlotAdded(s) for s in slots),
        *(TeamAdded(t) for t in teams),
        *cells,
        RoleGranted(Role("olivia", RoleKind.ORGANIZER)),
        RoleGranted(Role("nchair", RoleKind.CHAIR, "nova")),
    ]


def snapshot(state: EventState) -> tuple[object, ...]:
    """Everything in a state, with the order of ordered things (teams, rooms, slots)."""
    return (
        state.info,
        state.open_to_everyone,
        list(state.teams.items()),
        list(state.rooms.items()),
        list(state.slots.items()),
        sorted(state.cells.items()),
        sorted(state.topics.items()),
        state.motd,
        sorted(state.presence.items()),
        sorted(state.subscriptions.items()),
        sorted(state.roles),
        sorted(state.needs.items()),
        state.plan_rules,
        sorted(state.pins.items()),
        list(state.outcomes.items()),
    )


def load_demo(store: Store) -> None:
    """The demo event as ``ptghub demo`` loads it: its file, its past up to the store's
    clock, then its sample commands."""
    from importlib import resources

    from ptghub import demo
    from ptghub.demo.load import load
    from ptghub.eventfile import load_event_file

    with resources.as_file(resources.files(demo) / demo.FILE) as path:
        load(store, load_event_file(path), Actor("loader", operator=True), "demo")
