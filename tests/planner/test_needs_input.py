"""Needs and rules as people write them: hours, days, windows; parsed, checked, written back."""

from __future__ import annotations

from datetime import date, time

import pytest

from ptghub.core.apply import apply_all
from ptghub.core.events import SlotAdded
from ptghub.core.model import EventState, Slot
from ptghub.core.team_needs import PlanRules, TeamNeeds
from ptghub.planner.needs_input import (
    Bad,
    day_of,
    minutes_of,
    parse_rules,
    parse_team,
    problem_text,
    rules_fields,
    team_fields,
    window_of,
)
from tests.support import small_event


@pytest.fixture
def state() -> EventState:
    return apply_all(EventState(), small_event())


@pytest.mark.parametrize(
    ("value", "minutes"), [(2, 120), (1.5, 90), ("0.25", 15), (0, 0), (50 / 60, 50), (4 / 3, 80)]
)
def test_hours_become_whole_minutes(value: object, minutes: int) -> None:
    assert minutes_of(value) == minutes


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0.33, "0.33 hours is not a whole number of minutes (19.8 min)"),
        ("two", "expected a number of hours, got 'two'"),
        (True, "expected a number of hours, got true"),
        ([1], "expected a number of hours, got a list"),
        (1e308, "1e+308 hours is more than a year; expected at most 8784 hours"),
        ("-inf", "-inf hours is more than a year; expected at most 8784 hours"),
        (8785, "8785 hours is more than a year; expected at most 8784 hours"),
    ],
)
def test_bad_hours_say_what_is_expected(value: object, message: str) -> None:
    with pytest.raises(Bad) as error:
        minutes_of(value)
    assert str(error.value) == message


def test_days_are_dates_or_weekdays_of_the_event(state: EventState) -> None:
    assert day_of(state, "Tue") == date(2022, 4, 5)
    assert day_of(state, "monday") == date(2022, 4, 4)
    assert day_of(state, date(2022, 4, 5)) == date(2022, 4, 5)
    assert day_of(state, "2022-04-05") == date(2022, 4, 5)
    with pytest.raises(Bad, match=r"the event has no Fri \(its days: Mon 2022-04-04, Tue"):
        day_of(state, "Fri")
    with pytest.raises(Bad, match="expected a date"):
        day_of(state, "someday")


def test_a_weekday_that_falls_twice_is_ambiguous(state: EventState) -> None:
    state = apply_all(state, [SlotAdded(Slot("Mon2-A1", date(2022, 4, 11), time(13), time(14)))])
    with pytest.raises(Bad) as error:
        day_of(state, "Mon")
    assert str(error.value) == "Mon is ambiguous (2022-04-04 and 2022-04-11); write the date"


def test_windows(state: EventState) -> None:
    assert window_of(" 9:30 - 17:00 ") == (time(9, 30), time(17))
    for bad, message in [
        ("13-17", "expected a time window like 13:00-17:00, got '13-17'"),
        ("17:00-13:00", "window 17:00-13:00 ends before it starts; expected START-END"),
        ("13:00-24:00", "13:00-24:00 is not a time of day; expected HH:MM from 00:00 to 23:59"),
    ]:
        with pytest.raises(Bad) as error:
            window_of(bad)
        assert str(error.value) == message


def test_a_team_parsed_from_its_fields(state: EventState) -> None:
    needs, problems = parse_team(
        state,
        "Nova",
        {
            "hours": 2.5,
            "max_hours_per_day": 2,
            "days": ["Tue"],
            "windows": ["13:00-15:00"],
            "avoid": ["#Cinder"],
            "rather_not": {"relmgt": 2},
            "joint": {"First-Contact": 0.5},
            "room_size": 20,
            "onboarding": True,
        },
    )
    assert problems == []
    assert needs == TeamNeeds(
        "nova",
        150,
        max_minutes_per_day=120,
        preferred_days=frozenset({date(2022, 4, 5)}),
        windows=((time(13), time(15)),),
        avoid=frozenset({"cinder"}),
        rather_not=(("relmgt", 2),),
        joint=(("first-contact", 30),),
        room_size=20,
        onboarding=True,
    )


def test_every_problem_of_a_team_at_once(state: EventState) -> None:
    needs, problems = parse_team(
        state,
        "nova",
        {
            "hours": 20,
            "avoid": ["nova", "swift"],
            "rather_not": {"cinder": "high"},
            "joint": ["cinder"],
            "onboarding": "yes",
            "colour": "red",
        },
    )
    assert needs is None
    assert problem_text(problems).splitlines() == [
        "avoid[0]: a team cannot name itself in avoid",
        "avoid[1]: unknown team 'swift' (known: cinder, first-contact, nova, relmgt)",
        "colour: unknown field; expected one of hours, max_hours_per_day, days, windows, "
        "avoid, rather_not, joint, room_size, onboarding, cross_project",
        "hours: 20 h is more than the event has in all its slots (8 h)",
        "joint: expected a mapping of team: hours, got a list",
        "onboarding: expected true or false, got 'yes'",
        "rather_not.cinder: expected a whole number of weight points, got 'high'",
    ]


def test_hours_are_required(state: EventState) -> None:
    assert parse_team(state, "nova", {"days": ["Mon"]}) == (
        None,
        [(("hours",), "required field is missing: the hours the team needs")],
    )
    assert parse_team(state, "nova", [1, 2])[1] == [
        ((), "expected the team's fields (hours: ...), got a list")
    ]


def test_rules_parsed_and_checked(state: EventState) -> None:
    rules, problems = parse_rules(
        state, {"max_hours_per_day": 4, "cross_project_days": ["Mon"], "onboarding_hours": 0.5}
    )
    assert problems == []
    assert rules == PlanRules(240, None, frozenset({date(2022, 4, 4)}), 30)
    assert parse_rules(state, None) == (PlanRules(), [])
    _, problems = parse_rules(state, {"max_hours": 9, "cross_project_days": ["Fri"]})
    assert problem_text(problems).splitlines() == [
        "cross_project_days[0]: the event has no Fri (its days: Mon 2022-04-04, Tue 2022-04-05)",
        "max_hours: 9 h is more than the event has in all its slots (8 h)",
    ]


@pytest.mark.parametrize(
    "needs",
    [
        TeamNeeds("nova", 50),
        TeamNeeds("nova", 80, max_minutes_per_day=45, joint=(("cinder", 20), ("relmgt", 135))),
        TeamNeeds(
            "nova",
            240,
            preferred_days=frozenset({date(2022, 4, 4), date(2022, 4, 5)}),
            windows=((time(16), time(17)), (time(13), time(14, 30))),
            avoid=frozenset({"cinder", "first-contact"}),
            rather_not=(("relmgt", 5),),
            room_size=1,
            onboarding=True,
            cross_project=True,
        ),
    ],
)
def test_fields_written_back_parse_to_the_same_needs(state: EventState, needs: TeamNeeds) -> None:
    for as_json in (False, True):
        assert parse_team(state, "nova", team_fields(state, needs, as_json=as_json)) == (needs, [])


def test_rules_written_back_parse_to_the_same_rules(state: EventState) -> None:
    for rules in [PlanRules(), PlanRules(200, 470, frozenset({date(2022, 4, 5)}), 25)]:
        for as_json in (False, True):
            assert parse_rules(state, rules_fields(rules, as_json=as_json)) == (rules, [])
    assert rules_fields(PlanRules()) == {}
