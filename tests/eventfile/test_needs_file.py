"""The needs file: loaded against the event, every problem located by line, written back
identically; and the example of the docs loads on the demo event."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from ptghub.core.apply import apply_all
from ptghub.core.events import NeedsChanged, PlanRulesChanged
from ptghub.core.model import EventState
from ptghub.core.team_needs import PlanRules, TeamNeeds
from ptghub.eventfile import load_event_file
from ptghub.eventfile.needs_file import NeedsFileError, export_text, load_file, parse_text
from tests.support import small_event

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src" / "ptghub" / "demo" / "ptg-2022-04.yaml"
EXAMPLE = ROOT / "docs" / "examples" / "needs-ptg-2022-04.yaml"

GOOD = """\
rules:
  max_hours_per_day: 3
  cross_project_days: [Mon]
teams:
  Nova:
    hours: 2.5
    days: [Tue]
    avoid: [cinder]
    joint: {relmgt: 0.5}
  first-contact: {hours: 1, cross_project: true, onboarding: true}
"""


@pytest.fixture
def state() -> EventState:
    return apply_all(EventState(), small_event())


def _problems(text: str, state: EventState) -> list[str]:
    with pytest.raises(NeedsFileError) as error:
        parse_text(text, "needs.yaml", state)
    return error.value.message.splitlines()


def test_a_good_file(state: EventState) -> None:
    found = parse_text(GOOD, "needs.yaml", state)
    assert found.rules == PlanRules(180, None, frozenset({date(2022, 4, 4)}))
    assert found.needs == {
        "nova": TeamNeeds(
            "nova",
            150,
            preferred_days=frozenset({date(2022, 4, 5)}),
            avoid=frozenset({"cinder"}),
            joint=(("relmgt", 30),),
        ),
        "first-contact": TeamNeeds("first-contact", 60, onboarding=True, cross_project=True),
    }


def test_problems_are_located_by_line_and_field(state: EventState) -> None:
    text = """\
rules:
  max_hours: 9
  cross_project_days: [Mon, Fri]
teams:
  nova:
    hours: 2.5
    windows: ["13:00-15:00", "17:00-16:00"]
    avoid: [cinder, nova, swift]
    joint: {first-contact: 0.33}
  cindr:
    hours: 1
  relmgt:
    room_size: 60
  Nova: {hours: 1}
  size: 3
"""
    assert _problems(text, state) == [
        "needs.yaml:2: rules.max_hours: 9 h is more than the event has in all its slots (8 h)",
        "needs.yaml:3: rules.cross_project_days[1]: the event has no Fri "
        "(its days: Mon 2022-04-04, Tue 2022-04-05)",
        "needs.yaml:7: teams.nova.windows[1]: window 17:00-16:00 ends before it starts; "
        "expected START-END",
        "needs.yaml:8: teams.nova.avoid[1]: a team cannot name itself in avoid",
        "needs.yaml:8: teams.nova.avoid[2]: unknown team 'swift' "
        "(known: cinder, first-contact, nova, relmgt)",
        "needs.yaml:9: teams.nova.joint.first-contact: 0.33 hours is not a whole number of "
        "minutes (19.8 min)",
        "needs.yaml:10: teams.cindr: unknown team 'cindr' "
        "(known: cinder, first-contact, nova, relmgt)",
        "needs.yaml:12: teams.relmgt.hours: required field is missing: the hours the team needs",
        "needs.yaml:13: teams.relmgt.room_size: no bookable room holds 60 people "
        "(the largest holds 50)",
        "needs.yaml:14: teams.Nova: team 'Nova' is listed twice (also as 'nova'); list it once",
        "needs.yaml:15: teams.size: unknown team 'size' "
        "(known: cinder, first-contact, nova, relmgt)",
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "needs.yaml:1: the file is empty; expected a mapping with 'rules:' and 'teams:'"),
        ("- nova\n", "needs.yaml:1: expected a mapping with 'rules:' and 'teams:'"),
        (
            "team:\n  nova: {hours: 1}\n",
            "needs.yaml:1: team: unknown field; expected one of rules, teams",
        ),
        ("teams: [nova]\n", "needs.yaml:1: teams: expected a mapping of team: {hours: ...}"),
        (
            "teams:\n  nova: {hours: 1\n",
            "needs.yaml:3: invalid YAML: expected ',' or '}', but got '<stream end>' "
            "(while parsing a flow mapping on line 2)",
        ),
        (
            "teams:\n  nova: {hours: 1}\n  nova: {hours: 2}\n",
            "needs.yaml:3: teams.nova: duplicate key (first on line 2)",
        ),
        (
            "teams:\n  nova: {hours: 1, max_hours_per_day: 5}\n",
            "needs.yaml:2: teams.nova.max_hours_per_day: 5 h is more than the longest day "
            "of the event has (4 h)",
        ),
    ],
)
def test_each_kind_of_problem(state: EventState, text: str, problem: str) -> None:
    assert _problems(text, state) == [problem]


def test_a_joint_session_with_a_team_that_avoids_the_host(state: EventState) -> None:
    text = "teams:\n  nova:\n    hours: 2\n    joint: {Cinder: 1}\n"
    text += "  cinder: {hours: 1, avoid: [nova]}\n"
    assert _problems(text, state) == [
        "needs.yaml:4: teams.nova.joint.Cinder: 'cinder' avoids nova (a hard clash): "
        "no joint session"
    ]


def test_loading_replaces_every_need_and_the_rules(state: EventState) -> None:
    state = apply_all(state, parse_text(GOOD, "needs.yaml", state).events(state))
    smaller = "teams:\n  cinder: {hours: 2}\n  nova: {hours: 1}\n"
    events = parse_text(smaller, "needs.yaml", state).events(state)
    assert events == [
        PlanRulesChanged(state.plan_rules, PlanRules()),
        NeedsChanged("cinder", None, TeamNeeds("cinder", 120)),
        NeedsChanged("first-contact", state.needs["first-contact"], None),
        NeedsChanged("nova", state.needs["nova"], TeamNeeds("nova", 60)),
    ]


def test_export_loads_back_identically(state: EventState) -> None:
    state = apply_all(state, parse_text(GOOD, "needs.yaml", state).events(state))
    state.needs["cinder"] = TeamNeeds("cinder", 50, rather_not=(("nova", 2),))  # 50/60 h
    text = export_text(state)
    assert "  cinder:\n    hours: 0.8333333333333334\n    rather_not: {nova: 2}\n" in text
    again = parse_text(text, "export.yaml", state)
    assert again.events(state) == []
    assert (again.rules, again.needs) == (state.plan_rules, state.needs)


def test_the_example_of_the_docs_loads_on_the_demo_event(tmp_path: Path) -> None:
    demo = apply_all(EventState(), load_event_file(DEMO))
    found = load_file(EXAMPLE, demo)
    assert len(found.needs) == len(demo.teams) == 34
    assert found.rules == PlanRules(8 * 60, 24 * 60, windows=((time(13), time(21)),))
    assert found.needs["nova"].joint == (("cinder", 120), ("ironic", 60))
    loaded = apply_all(demo, found.events(demo))
    exported = tmp_path / "export.yaml"
    exported.write_text(export_text(loaded), encoding="utf-8")
    assert load_file(exported, loaded).events(loaded) == []
