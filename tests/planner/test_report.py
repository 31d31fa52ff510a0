"""What a planner run is stored with: hours as score.py counts them, and schedules and
inputs as plain JSON that reads back to what was written."""

from __future__ import annotations

from datetime import UTC, datetime

from ptghub.core.team_needs import PlanRules, TeamNeeds
from ptghub.planner.diff import diff
from ptghub.planner.instance import Placement, Plan, PlanRoom, Stage
from ptghub.planner.report import (
    Finding,
    TeamHours,
    build_report,
    inputs_json,
    schedule_from_json,
    schedule_json,
)
from tests.planner.grids import MON, hourly_slots, instance_of

INSTANCE = instance_of(
    (PlanRoom("a"), PlanRoom("b", 10)),
    hourly_slots((MON,), (13, 14)),
    TeamNeeds("nova", 120, joint=(("cinder", 60),)),
    TeamNeeds("cinder", 60),
    rules=PlanRules(max_minutes_per_day=240),
    unavailable=frozenset({("b", "mon14")}),
    fixed={("b", "mon13"): Placement("cinder")},
)
SCHEDULE = {
    ("a", "mon13"): Placement("nova"),
    ("b", "mon13"): Placement("cinder"),
    ("a", "mon14"): Placement("nova", ("cinder",)),
}
AT = datetime(2022, 4, 4, 12, tzinfo=UTC)


def test_a_report_counts_the_hours_each_team_hosts_against_what_it_wants() -> None:
    plan = Plan(SCHEDULE, "greedy", (Stage("hours", 180, 180, True, 0.5),), ("none",), 0.25)
    changes = diff({}, SCHEDULE, INSTANCE.slots)
    broken = (Finding("one-room", "nova is in two rooms.", (("a", "mon13"),)),)
    report = build_report(INSTANCE, plan, violations=broken, changes=changes, at=AT, version=3)
    # nova hosts its own hour and the joint one, which counts for the host only
    assert report.hours == (TeamHours("cinder", 60, 60), TeamHours("nova", 120, 180))
    assert (report.method, report.seconds, report.at, report.version) == ("greedy", 0.25, AT, 3)
    assert report.stages == plan.stages and report.unmet == ("none",)
    assert report.changes == changes and not report.clash_free


def test_a_schedule_reads_back_from_its_json_in_cell_order() -> None:
    data = schedule_json(SCHEDULE)
    assert [(c["room"], c["slot"]) for c in data] == sorted(SCHEDULE)
    assert data[1] == {"room": "a", "slot": "mon14", "team": "nova", "guests": ["cinder"]}
    assert schedule_from_json(data) == SCHEDULE


def test_inputs_keep_what_the_planner_saw() -> None:
    inputs = inputs_json(INSTANCE)
    assert list(inputs["needs"]) == ["cinder", "nova"]
    assert inputs["rules"]["max_minutes_per_day"] == 240
    assert schedule_from_json(inputs["fixed"]) == INSTANCE.fixed
    assert inputs["unavailable"] == [["b", "mon14"]]
    assert [room["key"] for room in inputs["rooms"]] == ["a", "b"]
    assert [slot["key"] for slot in inputs["slots"]] == ["mon13", "mon14"]
