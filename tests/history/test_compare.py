"""Two events side by side: the figures of each and the difference."""

from __future__ import annotations

from pathlib import Path

from ptghub.core.model import CellStatus, EventState
from ptghub.history.compare import CompareRow, EventFigures, compare, event_figures, number, signed
from ptghub.history.room_hours import slot_minutes
from ptghub.store.event_reports import event_comparison, event_timeline
from ptghub.store.store import Store
from tests.history.pair import DEMO, DENVER, load_pair
from tests.history.scenario import create_and_play
from tests.history.timelines import hand_made
from tests.support import Clock


def test_event_figures_of_a_hand_made_timeline() -> None:
    assert event_figures(hand_made()) == EventFigures(
        slug="test-ptg",
        name="Test PTG",
        teams=4,
        minutes_planned=180,
        minutes_booked=120,
        rooms=3,
        bookings=2,
        people=3,
        checkins=4,
        days=2,
    )


def test_compare_gives_each_figure_and_the_difference() -> None:
    later = hand_made()
    later.checkins = later.checkins[:1]
    later.sessions = later.sessions[:2]
    rows = compare(hand_made(), later).rows
    assert [(r.key, r.first, r.second, r.difference) for r in rows] == [
        ("teams", 4, 4, 0),
        ("hours_planned", 3.0, 2.0, -1.0),
        ("hours_booked", 2.0, 1.0, -1.0),
        ("rooms", 3, 3, 0),
        ("bookings", 2, 2, 0),
        ("people", 3, 1, -2),
        ("checkins", 4, 1, -3),
        ("days", 2, 2, 0),
    ]
    assert rows[1] == CompareRow("hours_planned", "Hours planned", "room-hours", 3.0, 2.0)


def test_number_and_signed_show_whole_and_fractional_figures() -> None:
    assert [number(3.0), number(1.75), number(-0.5), number(2.333333)] == [
        "3",
        "1.75",
        "-0.5",
        "2.33",
    ]
    assert [signed(2), signed(-1.5), signed(0)] == ["+2", "-1.5", "0"]


def planned_minutes(state: EventState) -> int:
    """Counted from the state alone: the minutes of its planned cells."""
    return sum(
        slot_minutes(state.slots[slot])
        for (_room, slot), cell in state.cells.items()
        if cell.status == CellStatus.PLANNED
    )


def booked_minutes(state: EventState) -> int:
    return sum(
        slot_minutes(state.slots[slot])
        for (_room, slot), cell in state.cells.items()
        if cell.status == CellStatus.BOOKED
    )


def test_event_figures_through_a_store_after_known_commands(
    empty_store: Store, clock: Clock
) -> None:
    create_and_play(empty_store, clock)
    assert event_figures(event_timeline(empty_store, "test-ptg")) == EventFigures(
        slug="test-ptg",
        name="Test PTG",
        teams=4,
        minutes_planned=120,
        minutes_booked=120,
        rooms=3,
        bookings=2,
        people=3,
        checkins=3,
        days=2,
    )


def test_denver_2018_and_the_april_2022_demo_compared(
    empty_store: Store, clock: Clock, shared_data: Path
) -> None:
    load_pair(empty_store, clock, shared_data)
    denver, demo = empty_store.state(DENVER), empty_store.state(DEMO)
    comparison = event_comparison(empty_store, DENVER, DEMO)
    # Independently of the timeline: the states' own counts; Denver's import made no
    # bookings or check-ins during the event, the demo's sample commands one check-in.
    expected = [
        ("teams", len(denver.teams), len(demo.teams)),
        ("hours_planned", planned_minutes(denver) / 60, planned_minutes(demo) / 60),
        ("hours_booked", booked_minutes(denver) / 60, booked_minutes(demo) / 60),
        ("rooms", len(denver.rooms), len(demo.rooms)),
        ("bookings", 0, 0),
        ("people", 0, 1),
        ("checkins", 0, 1),
        ("days", 5, 5),
    ]
    assert [(r.key, r.first, r.second) for r in comparison.rows] == expected
    # And the numbers themselves, so that a change in the data or the import shows here.
    assert [(r.key, r.first, r.second, r.difference) for r in comparison.rows] == [
        ("teams", 44, 34, -10),
        ("hours_planned", 623, 410, -213),
        ("hours_booked", 0, 0, 0),
        ("rooms", 23, 16, -7),
        ("bookings", 0, 0, 0),
        ("people", 0, 1, 1),
        ("checkins", 0, 1, 1),
        ("days", 5, 5, 0),
    ]
