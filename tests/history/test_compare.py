"""Two events side by side: the figures of each and the difference."""

from __future__ import annotations

from ptghub.history.compare import CompareRow, EventFigures, compare, event_figures, number, signed
from tests.history.timelines import hand_made


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
