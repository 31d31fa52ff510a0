"""Comparing two schedules: per team, what is added, removed or moved, and how much."""

from __future__ import annotations

from datetime import date, time

from ptghub.planner.diff import Change, Move, diff, hours, render
from ptghub.planner.instance import Placement, PlanSlot

MON = date(2022, 4, 4)
SLOTS = (
    PlanSlot("mona1", MON, time(13), time(14)),
    PlanSlot("mona2", MON, time(14), time(15)),
    PlanSlot("monp1", MON, time(15), time(16)),
    PlanSlot("monp2", MON, time(16), time(17, 30)),  # 90 minutes
)
NOVA, CINDER = Placement("nova"), Placement("cinder")


def test_identical_schedules_move_nothing() -> None:
    schedule = {("austin", "mona1"): NOVA, ("bexar", "mona1"): CINDER}
    changes = diff(schedule, dict(schedule), SLOTS)
    assert changes.unchanged
    assert (changes.moved_minutes, changes.published_minutes, changes.share) == (0, 120, 0.0)
    assert render(changes) == "Nothing moves: every team keeps the cells it has."


def test_same_slot_other_room_is_a_room_move() -> None:
    changes = diff({("austin", "mona1"): NOVA}, {("bexar", "mona1"): NOVA}, SLOTS)
    (team,) = changes.teams
    assert team.team == "nova"
    assert team.moves == (Move(Change.ROOM, ("austin", "mona1"), ("bexar", "mona1")),)
    assert (changes.moved_minutes, changes.published_minutes, changes.share) == (60, 60, 1.0)


def test_other_slot_is_a_slot_move_and_leftovers_are_added_or_removed() -> None:
    old = {("austin", "mona1"): NOVA, ("austin", "mona2"): NOVA, ("austin", "monp1"): CINDER}
    new = {
        ("austin", "mona1"): NOVA,
        ("bexar", "monp2"): NOVA,
        ("austin", "monp1"): CINDER,
        ("austin", "monp2"): CINDER,
    }
    changes = diff(old, new, SLOTS)
    by_team = {t.team: t for t in changes.teams}
    assert by_team["nova"].moves == (Move(Change.SLOT, ("austin", "mona2"), ("bexar", "monp2")),)
    assert by_team["nova"].moved_minutes == 60
    assert by_team["nova"].added_minutes == 30  # 60 minutes became 90
    assert by_team["cinder"].moves == (Move(Change.ADDED, None, ("austin", "monp2")),)
    assert by_team["cinder"].moved_minutes == 0
    assert changes.moved_minutes == 60
    assert changes.published_minutes == 180
    assert changes.added_minutes == 120


def test_removed_cells_count_as_moved_minutes() -> None:
    old = {("austin", "mona1"): NOVA, ("austin", "mona2"): NOVA}
    changes = diff(old, {("austin", "mona1"): NOVA}, SLOTS)
    assert changes.teams[0].moves == (Move(Change.REMOVED, ("austin", "mona2"), None),)
    assert changes.share == 0.5


def test_guests_of_joint_sessions_count_as_their_own_team_minutes() -> None:
    """A joint session is an hour of each of its teams: nova losing its guest seat moved
    one of two published team-hours."""
    old = {("austin", "mona1"): Placement("cinder", ("nova",))}
    new = {("austin", "mona1"): CINDER}
    changes = diff(old, new, SLOTS)
    assert [t.team for t in changes.teams] == ["nova"]
    assert (changes.moved_minutes, changes.published_minutes) == (60, 120)


def test_cells_of_removed_slots_count_no_minutes_and_sort_last() -> None:
    old = {("austin", "gone"): NOVA, ("austin", "mona1"): NOVA}
    changes = diff(old, {("austin", "monp1"): NOVA}, SLOTS)
    assert changes.teams[0].moves == (
        Move(Change.SLOT, ("austin", "mona1"), ("austin", "monp1")),
        Move(Change.REMOVED, ("austin", "gone"), None),
    )
    assert changes.moved_minutes == 60


def test_render_names_cells_and_teams_and_sums_up() -> None:
    old = {("austin", "mona1"): NOVA, ("austin", "mona2"): CINDER}
    new = {("bexar", "mona1"): NOVA, ("austin", "monp1"): CINDER, ("austin", "monp2"): NOVA}
    text = render(
        diff(old, new, SLOTS),
        cell_name=lambda cell: f"{cell[0].title()}-{cell[1][:3].title()}-{cell[1][3:].upper()}",
        team_name=lambda team: team.upper(),
    )
    assert text.splitlines() == [
        "CINDER: Austin-Mon-A2 -> Austin-Mon-P1 (another slot)",
        "NOVA: Austin-Mon-A1 -> Bexar-Mon-A1 (another room); + Austin-Mon-P2",
        "Moved 2 h of 2 h published team-hours (100%); 1.5 h added.",
    ]


def test_hours_are_shown_as_people_say_them() -> None:
    assert [hours(m) for m in (0, 60, 90, 600, 80)] == ["0 h", "1 h", "1.5 h", "10 h", "1 h 20 min"]
