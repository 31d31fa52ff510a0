"""The fields of needs and rules as people write them: parsed, checked, written back."""

from __future__ import annotations

from datetime import date, time

import pytest

from ptghub.core.apply import apply_all
from ptghub.core.model import EventState
from ptghub.core.team_needs import PlanRules, TeamNeeds
from ptghub.eventfile.needs_fields import (
    parse_rules,
    parse_team,
    problem_text,
    rules_fields,
    team_fields,
)
from tests.support import small_event


@pytest.fixture
def state() -> EventState:
    return apply_all(EventState(), small_event())


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
    _, problems = parse_rules(
        state, {"max_hours": 9, "cross_project_days": ["Fri"], "windows": ["17:00-13:00"]}
    )
    assert problem_text(problems).splitlines() == [
        "cross_project_days[0]: the event has no Fri (its days: Mon 2022-04-04, Tue 2022-04-05)",
        "max_hours: 9 h is more than the event has in all its slots (8 h)",
        "windows[0]: window 17:00-13:00 ends before it starts; expected START-END",
    ]
    usual, problems = parse_rules(state, {"windows": ["13:00-17:00", "00:00-04:00"]})
    assert problems == []
    assert usual == PlanRules(windows=((time(13), time(17)), (time(0), time(4))))


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
    for rules in [
        PlanRules(),
        PlanRules(200, 470, frozenset({date(2022, 4, 5)}), 25, ((time(13), time(21)),)),
    ]:
        for as_json in (False, True):
            assert parse_rules(state, rules_fields(rules, as_json=as_json)) == (rules, [])
    assert rules_fields(PlanRules()) == {}
