"""Checks on team needs, planning rules and pins: every problem found, each one specific.

The small test event has 2 days of 4 one-hour slots (8 h in all, 4 h a day), bookable
rooms Austin (50) and Coiste Bainisti (10), Bexar (20) not bookable, and the teams nova,
cinder, relmgt and first-contact.
"""

from __future__ import annotations

from datetime import date, time

import pytest

from ptghub.core.apply import apply_all
from ptghub.core.events import CellChanged, PinChanged
from ptghub.core.model import Cell, CellStatus, EventState
from ptghub.core.needs import (
    day_minutes,
    event_minutes,
    hours,
    needs_problems,
    pin_problems,
    removal_events,
    rules_problems,
)
from ptghub.core.team_needs import PlanRules, TeamNeeds
from tests.support import small_event

MONDAY, TUESDAY = date(2022, 4, 4), date(2022, 4, 5)


@pytest.fixture
def state() -> EventState:
    return apply_all(EventState(), small_event())


def test_the_event_has_its_slots_minutes(state: EventState) -> None:
    assert event_minutes(state) == 8 * 60
    assert day_minutes(state) == {MONDAY: 240, TUESDAY: 240}


@pytest.mark.parametrize(
    ("minutes", "text"), [(120, "2 h"), (90, "1.5 h"), (45, "0.75 h"), (80, "1 h 20 min")]
)
def test_hours_are_written_as_people_say_them(minutes: int, text: str) -> None:
    assert hours(minutes) == text


def test_sound_needs_have_no_problem(state: EventState) -> None:
    needs = TeamNeeds(
        "nova",
        360,
        max_minutes_per_day=180,
        preferred_days=frozenset({MONDAY}),
        windows=((time(13), time(15)),),
        avoid=frozenset({"cinder"}),
        rather_not=(("relmgt", 3),),
        joint=(("first-contact", 60),),
        room_size=40,
    )
    assert needs_problems(state, needs) == []


def test_more_hours_than_the_event_has(state: EventState) -> None:
    [(path, message)] = needs_problems(state, TeamNeeds("nova", 9 * 60))
    assert path == ("hours",)
    assert message == "9 h is more than the event has in all its slots (8 h)"


def test_no_hours_at_all(state: EventState) -> None:
    [(_, message)] = needs_problems(state, TeamNeeds("nova", 0))
    assert "expected more than 0 hours" in message


def test_a_day_cap_longer_than_the_longest_day(state: EventState) -> None:
    [(path, message)] = needs_problems(state, TeamNeeds("nova", 60, max_minutes_per_day=300))
    assert path == ("max_hours_per_day",)
    assert message == "5 h is more than the longest day of the event has (4 h)"


def test_a_team_clashing_with_itself(state: EventState) -> None:
    needs = TeamNeeds("nova", 60, avoid=frozenset({"nova"}), joint=(("nova", 60),))
    assert needs_problems(state, needs) == [
        (("avoid", "nova"), "a team cannot name itself in avoid"),
        (("joint", "nova"), "a team cannot name itself in joint"),
    ]


def test_unknown_teams_are_named_with_the_known_ones(state: EventState) -> None:
    problems = needs_problems(state, TeamNeeds("nova", 60, rather_not=(("swift", 2),)))
    assert problems == [
        (
            ("rather_not", "swift"),
            "unknown team 'swift' (known: cinder, first-contact, nova, relmgt)",
        )
    ]
    [(path, message)] = needs_problems(state, TeamNeeds("manila", 60))
    assert path == ("team",) and message.startswith("unknown team 'manila'")


def test_days_not_of_the_event(state: EventState) -> None:
    needs = TeamNeeds("nova", 60, preferred_days=frozenset({date(2022, 4, 6)}))
    [(path, message)] = needs_problems(state, needs)
    assert path == ("days", "2022-04-06")
    assert message == ("Wed 2022-04-06 is not a day of the event (Mon 2022-04-04, Tue 2022-04-05)")


def test_a_window_that_ends_before_it_starts(state: EventState) -> None:
    [(path, message)] = needs_problems(
        state, TeamNeeds("nova", 60, windows=((time(17), time(13)),))
    )
    assert path == ("windows", "17:00-13:00")
    assert "ends before it starts" in message


def test_contradictions_and_repeats_within_one_team(state: EventState) -> None:
    needs = TeamNeeds(
        "nova",
        60,
        avoid=frozenset({"cinder"}),
        rather_not=(("cinder", 2), ("relmgt", 0), ("relmgt", 1)),
        joint=(("cinder", 60),),
    )
    messages = [message for _, message in needs_problems(state, needs)]
    assert "'relmgt' is named twice in rather_not; name it once" in messages
    assert "weight 0 for 'relmgt' is not positive; expected 1 or more" in messages
    assert "'cinder' is in avoid already (a hard clash); name it in one list only" in messages
    assert "a joint session with 'cinder', which is also in avoid, cannot happen" in messages


def test_room_size_must_fit_a_bookable_room(state: EventState) -> None:
    assert needs_problems(state, TeamNeeds("nova", 60, room_size=50)) == []
    [(path, message)] = needs_problems(state, TeamNeeds("nova", 60, room_size=60))
    assert path == ("room_size",)
    assert message == "no bookable room holds 60 people (the largest holds 50)"
    [(_, message)] = needs_problems(state, TeamNeeds("nova", 60, room_size=0))
    assert "expected 1 or more" in message


def test_with_old_needs_only_changed_lengths_are_checked(state: EventState) -> None:
    """Needs stated before the grid shrank stay valid; what changes is checked in full."""
    old = TeamNeeds("nova", 9 * 60, avoid=frozenset({"cinder"}))
    assert needs_problems(state, TeamNeeds("nova", 9 * 60), old) == []
    assert needs_problems(state, TeamNeeds("nova", 10 * 60), old) != []
    assert needs_problems(state, TeamNeeds("nova", 9 * 60, avoid=frozenset({"x"})), old) != []


def test_rules_are_checked_against_the_event(state: EventState) -> None:
    assert rules_problems(state, PlanRules(240, 480, frozenset({MONDAY}), 60)) == []
    problems = rules_problems(state, PlanRules(300, 600, frozenset({date(2022, 4, 8)}), 0))
    assert [path for path, _ in problems] == [
        ("max_hours_per_day",),
        ("max_hours",),
        ("cross_project_days", "2022-04-08"),
        ("onboarding_hours",),
    ]


def test_pins_need_a_known_team_and_an_available_bookable_cell(state: EventState) -> None:
    assert pin_problems(state, "austin", "mona1", "cinder") == []  # a planned cell: fine
    assert pin_problems(state, "austin", "tuep2", "cinder") == [
        "cell Austin-Tue-P2 is not available"
    ]
    assert pin_problems(state, "bexar", "mona1", "cinder") == [
        "room Bexar is not bookable; the planner leaves it out"
    ]
    [unknown_team, unknown_room, unknown_slot] = pin_problems(state, "x", "y", "swift")
    assert unknown_team.startswith("unknown team 'swift' (known: ")
    assert unknown_room == "unknown room 'x' (rooms: Austin, Bexar, Coiste Bainisti)"
    assert unknown_slot.startswith("unknown slot 'y' (slots: Mon-A1, Mon-A2")


def test_a_pin_respects_bookings_and_other_pins(state: EventState) -> None:
    booked = Cell(CellStatus.BOOKED, "cinder")
    state = apply_all(
        state,
        [
            CellChanged("coiste bainisti", "mona2", Cell(CellStatus.FREE), booked),
            PinChanged("austin", "tuea1", None, "relmgt"),
        ],
    )
    assert pin_problems(state, "coiste bainisti", "mona2", "relmgt") == [
        "cell Coiste Bainisti-Mon-A2 is booked by cinder"
    ]
    assert pin_problems(state, "coiste bainisti", "mona2", "cinder") == []
    assert pin_problems(state, "austin", "mona2", "cinder") == [
        "cinder has booked Coiste Bainisti-Mon-A2 at that time"
    ]
    assert pin_problems(state, "coiste bainisti", "tuea1", "relmgt") == [
        "relmgt is pinned to Austin-Tue-A1 already"
    ]


def test_removal_events_drop_needs_pins_and_mentions(state: EventState) -> None:
    state.needs = {
        "nova": TeamNeeds("nova", 60, avoid=frozenset({"cinder", "relmgt"})),
        "cinder": TeamNeeds("cinder", 60),
        "relmgt": TeamNeeds("relmgt", 60, joint=(("nova", 60),)),
    }
    state.pins = {("austin", "tuea1"): "cinder", ("austin", "tuea2"): "nova"}
    events = removal_events(state, {"cinder"})
    after = apply_all(state, events)
    assert after.needs == {
        "nova": TeamNeeds("nova", 60, avoid=frozenset({"relmgt"})),
        "relmgt": TeamNeeds("relmgt", 60, joint=(("nova", 60),)),
    }
    assert after.pins == {("austin", "tuea2"): "nova"}
