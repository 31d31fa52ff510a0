"""The organizers' report: each chart's description and data, exactly."""

from __future__ import annotations

from ptghub.charts import Chart
from ptghub.core.model import Team
from ptghub.history.report import Registrations, build_report
from ptghub.history.timeline import Timeline
from tests.history.timelines import hand_made

REGISTRATIONS = Registrations(
    [("Developer", 3), ("Operator", 0)], [("Americas", 2), ("Asia and the Pacific", 1)]
)


def charts(timeline: Timeline | None = None) -> dict[str, Chart]:
    return {c.key: c for c in build_report(timeline or hand_made(), REGISTRATIONS)}


def table(chart: Chart) -> list[tuple[object, ...]]:
    return [tuple(chart.columns), *(tuple(row) for row in chart.rows)]


def test_build_report_gives_the_charts_in_the_dashboards_order() -> None:
    assert [c.key for c in build_report(hand_made(), REGISTRATIONS)] == [
        "utilization",
        "team-hours",
        "checkins",
        "busiest-sessions",
        "bookings",
        "registrations-role",
        "registrations-band",
    ]
    assert len(build_report(hand_made())) == 5


def test_utilization_says_the_busiest_day_and_counts_room_hours() -> None:
    chart = charts()["utilization"]
    assert (chart.title, chart.description) == (
        "Room utilization by day and hour",
        "Rooms were used 38% of the time on Monday 4 April, the busiest day; 31% over the "
        "whole event: 3 room-hours planned, 2 booked during the event and 11 free.",
    )
    assert table(chart) == [
        ("day", "hour", "planned_room_hours", "booked_room_hours", "free_room_hours", "share"),
        ("2022-04-04", "13:00", "1", "0", "1", "0.50"),
        ("2022-04-04", "14:00", "1", "0", "1", "0.50"),
        ("2022-04-04", "15:00", "0", "1", "1", "0.50"),
        ("2022-04-04", "16:00", "0", "0", "2", "0.00"),
        ("2022-04-05", "13:00", "0", "1", "1", "0.50"),
        ("2022-04-05", "14:00", "0", "0", "2", "0.00"),
        ("2022-04-05", "15:00", "1", "0", "2", "0.33"),
        ("2022-04-05", "16:00", "0", "0", "1", "0.00"),
    ]


def test_utilization_without_slots_says_nothing_was_available() -> None:
    empty = hand_made()
    empty.state.slots.clear()
    empty.sessions.clear()
    assert charts(empty)["utilization"].description == (
        "No room-hours were available: the event has no slots in bookable rooms."
    )


def test_team_hours_name_the_teams_without_needs() -> None:
    chart = charts()["team-hours"]
    assert chart.description == (
        "4 teams wanted 3 hours; they were planned 3 and booked 2 more during the event, and "
        "set a topic in 2 hours of their sessions. 3 teams stated no needs (counted as 0 "
        "hours wanted): Cinder, First Contact SIG and Release Management."
    )
    assert table(chart) == [
        (
            "team",
            "name",
            "wanted_hours",
            "needs_stated",
            "planned_hours",
            "booked_hours",
            "used_hours",
        ),
        ("cinder", "Cinder", "0", "no", "0", "1", "0"),
        ("first-contact", "First Contact SIG", "0", "no", "0", "0", "0"),
        ("nova", "Nova/Placement", "3", "yes", "2", "1", "2"),
        ("relmgt", "Release Management", "0", "no", "1", "0", "0"),
    ]


def test_checkins_say_how_many_people_and_the_busiest_hour() -> None:
    chart = charts()["checkins"]
    assert chart.description == (
        "3 people checked in; the most in one hour was 2, on Mon 4 Apr 14:00."
    )
    rows = table(chart)
    assert (len(rows), rows[:4], rows[-2:]) == (
        29,
        [
            ("hour", "people"),
            ("2022-04-04 13:00", 1),
            ("2022-04-04 14:00", 2),
            ("2022-04-04 15:00", 2),
        ],
        [("2022-04-05 15:00", 0), ("2022-04-05 16:00", 0)],
    )
    assert rows[24] == ("2022-04-05 12:00", 1)  # carol; bob, never out, counted until midnight


def test_checkins_of_nobody_say_so() -> None:
    quiet = hand_made()
    quiet.checkins.clear()
    found = charts(quiet)
    assert (found["checkins"].description, found["busiest-sessions"].description) == (
        "Nobody checked in.",
        "No check-in named a session's team or room while it ran.",
    )


def test_busiest_sessions_name_the_first() -> None:
    chart = charts()["busiest-sessions"]
    assert chart.description == (
        "The busiest session was Nova/Placement's in Austin on Mon 4 Apr at 13:00: 2 people "
        "checked in (2 check-ins)."
    )
    assert table(chart) == [
        ("team", "room", "start", "minutes", "people", "checkins"),
        ("nova", "Austin", "2022-04-04 13:00", 120, 2, 2),
        ("cinder", "Coiste Bainisti", "2022-04-04 15:00", 60, 1, 1),
    ]


def test_bookings_per_day_say_the_busiest_day() -> None:
    chart = charts()["bookings"]
    assert chart.description == (
        "2 bookings were made during the event, the most on Monday 4 April (2)."
    )
    assert table(chart) == [("day", "bookings"), ("2022-04-04", 2), ("2022-04-05", 0)]
    none = hand_made()
    none.bookings.clear()
    assert charts(none)["bookings"].description == "No bookings were made during the event."


def test_registrations_by_role_and_band() -> None:
    found = charts()
    role, band = found["registrations-role"], found["registrations-band"]
    assert (role.description, band.description) == (
        "3 people registered; by role: Developer 3, Operator 0.",
        "3 people registered; by time-zone band: Americas 2, Asia and the Pacific 1.",
    )
    assert (table(role), table(band)) == (
        [("role", "people"), ("Developer", 3), ("Operator", 0)],
        [("band", "people"), ("Americas", 2), ("Asia and the Pacific", 1)],
    )
    nobody = Registrations([("Developer", 0)], [("Americas", 0)])
    assert [c.description for c in build_report(hand_made(), nobody)[5:]] == [
        "Nobody has registered.",
        "Nobody has registered.",
    ]


def test_team_hours_without_any_needs_say_so_once() -> None:
    silent = hand_made()
    silent.state.needs.clear()
    assert charts(silent)["team-hours"].description == (
        "4 teams were planned 3 hours and booked 2 more during the event, and set a topic in "
        "2 hours of their sessions. No team stated its needs, so none is counted as wanting "
        "any hours."
    )


def test_team_hours_name_ten_teams_without_needs_at_most() -> None:
    many = hand_made()
    for n in range(11):
        many.state.teams[f"t{n:02d}"] = Team(f"t{n:02d}", f"T{n:02d}")
    assert charts(many)["team-hours"].description == (
        "15 teams wanted 3 hours; they were planned 3 and booked 2 more during the event, and "
        "set a topic in 2 hours of their sessions. 14 teams stated no needs (counted as 0 "
        "hours wanted): Cinder, First Contact SIG, Release Management, T00, T01, T02, T03, "
        "T04, T05, T06 and 4 more."
    )
