"""The CP-SAT planner: every schedule passes the independent checker, the stages reach the
optimum that brute force finds on small instances, and each stage's reported objective is
what score.py computes from the schedule."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from ptghub.core.apply import apply_all
from ptghub.core.errors import InvalidInput
from ptghub.core.model import EventState
from ptghub.core.team_needs import PlanRules, TeamNeeds
from ptghub.eventfile import load_event_file
from ptghub.planner import plan, score, solver
from ptghub.planner.checker import check
from ptghub.planner.disturbance import disturb
from ptghub.planner.generate import GROUPS, generate
from ptghub.planner.greedy import greedy
from ptghub.planner.instance import Cell, Instance, Placement, Plan, PlanRoom
from ptghub.planner.real_event import given_instance
from ptghub.planner.solver import solve
from tests.planner.brute import lexicographic_best, within_wishes
from tests.planner.grids import MON, TUE, hourly_slots, instance_of

DEMO = Path(__file__).parents[2] / "src" / "ptghub" / "demo" / "ptg-2022-04.yaml"

SRC = Path(__file__).resolve().parents[2] / "src"


def tiny(**changes: object) -> Instance:
    """Rooms small (10) and big (40); Monday 13h and 14h, Tuesday 13h: six cells for 7
    wanted hours. Nova needs the big room, hosts neutron for an hour and prefers Tuesday;
    cinder may not meet neutron, rather not nova, and has at most an hour a day; neutron
    wants onboarding on Monday."""
    return instance_of(
        (PlanRoom("small", 10), PlanRoom("big", 40)),
        (*hourly_slots((MON,), (13, 14)), *hourly_slots((TUE,), (13,))),
        TeamNeeds(
            "nova", 120, room_size=30, joint=(("neutron", 60),), preferred_days=frozenset({TUE})
        ),
        TeamNeeds(
            "cinder",
            120,
            max_minutes_per_day=60,
            rather_not=(("nova", 2),),
            avoid=frozenset({"neutron"}),
        ),
        TeamNeeds("neutron", 60, onboarding=True),
        **changes,
    )


def assert_consistent(instance: Instance, found: Plan) -> None:
    """The checker passes and every stage reports what score.py computes."""
    assert check(instance, found.schedule) == []
    assert within_wishes(instance, found.schedule)
    stages = {stage.name: stage for stage in found.stages}
    assert list(stages) == (
        ["hours", "disruption", "soft"] if instance.previous else ["hours", "soft"]
    )
    assert stages["hours"].objective == score.hours(instance, found.schedule)[1]
    assert stages["soft"].objective == score.soft_cost(instance, found.schedule)
    if instance.previous:
        assert stages["disruption"].objective == score.disruption(instance, found.schedule)
    for stage in found.stages:
        if stage.name == "hours":
            assert stage.bound >= stage.objective
        else:
            assert stage.bound <= stage.objective
        assert not stage.optimal or stage.bound == stage.objective


def test_tiny_instance_reaches_the_brute_force_optimum() -> None:
    """Fairness, then hours, then the soft cost: all three as brute force finds them, and
    proven optimal."""
    instance = tiny()
    hours, _, soft = lexicographic_best(instance)
    found = solve(instance, work_limit=10)
    assert_consistent(instance, found)
    assert score.hours(instance, found.schedule) == hours
    assert found.stages[-1].objective == soft
    assert all(stage.optimal for stage in found.stages)
    assert found.method == "cp-sat"


def test_two_solves_for_stage_one_give_the_same_hours_as_the_combined_objective(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    instance = tiny()
    combined = solve(instance, work_limit=10)
    monkeypatch.setattr(solver, "COMBINED_HOURS", False)
    lexicographic = solve(instance, work_limit=10)
    assert_consistent(instance, lexicographic)
    assert score.hours(instance, lexicographic.schedule) == score.hours(instance, combined.schedule)
    assert lexicographic.stages[0].optimal


def test_replanning_reaches_the_brute_force_least_disruption() -> None:
    """A previous plan that no longer fits (cinder now avoids nova): the fewest minutes
    move, and the soft cost is the least among those."""
    previous = {
        ("big", "mon13"): Placement("nova"),
        ("small", "mon13"): Placement("cinder"),
        ("big", "mon14"): Placement("nova", ("neutron",)),
        ("small", "tue13"): Placement("cinder"),
        ("big", "tue13"): Placement("nova"),
    }
    needs = dict(tiny().needs)
    needs["cinder"] = replace(needs["cinder"], avoid=frozenset({"neutron", "nova"}))
    instance = tiny(needs=needs, previous=previous)
    hours, moved, soft = lexicographic_best(instance)
    assert moved > 0
    found = solve(instance, work_limit=10)
    assert_consistent(instance, found)
    assert score.hours(instance, found.schedule) == hours
    assert [s.objective for s in found.stages[1:]] == [moved, soft]
    assert all(stage.optimal for stage in found.stages)


def test_replanning_with_nothing_changed_keeps_the_previous_plan() -> None:
    instance = tiny()
    first = solve(instance, work_limit=10).schedule
    again = solve(replace(instance, previous=first), work_limit=10)
    assert again.stages[1].objective == 0
    assert again.schedule == first


def test_fixed_cells_are_kept_even_beyond_a_cap_and_frozen_slots_get_nothing_new() -> None:
    """A chair booked cinder twice on Monday although its cap is an hour a day: the
    booking stands, and cinder gets nothing else that day; mon14 is over."""
    fixed = {("small", "mon13"): Placement("cinder"), ("big", "mon14"): Placement("cinder")}
    needs = dict(tiny().needs)
    needs["cinder"] = replace(needs["cinder"], minutes=180, avoid=frozenset())
    instance = tiny(needs=needs, fixed=fixed, frozen_slots=frozenset({"mon14"}))
    found = solve(instance, work_limit=10)
    assert_consistent(instance, found)
    for cell, placement in fixed.items():
        assert found.schedule[cell] == placement
    assert [c for c in found.schedule if c[1] == "mon14"] == [("big", "mon14")]
    assert ("small", "mon14") not in found.schedule
    on_monday = [c for c, p in found.schedule.items() if "cinder" in p.teams and "mon" in c[1]]
    assert sorted(on_monday) == sorted(fixed)
    hours, _, soft = lexicographic_best(instance)
    assert score.hours(instance, found.schedule) == hours
    assert found.stages[-1].objective == soft


@pytest.mark.parametrize(
    ("fixed", "rule"),
    [
        (
            {("small", "mon13"): Placement("cinder"), ("big", "mon13"): Placement("cinder")},
            "one-room",
        ),
        (
            {("small", "mon13"): Placement("cinder"), ("big", "mon13"): Placement("neutron")},
            "hard-clash",
        ),
    ],
)
def test_fixed_cells_that_break_a_rule_are_refused_with_the_cells_and_rule_named(
    fixed: dict[Cell, Placement], rule: str
) -> None:
    """In the checker's plain sentence (issue 11: no "[one-room] small at mon13")."""
    instance = tiny(fixed=fixed)
    with pytest.raises(InvalidInput) as refused:
        plan(instance, work_limit=5)
    message = refused.value.message
    assert f"[{rule}]" not in message
    assert ("must not clash" if rule == "hard-clash" else "cinder is in big and small") in message
    for room, _ in fixed:
        assert room in message
    assert "Mon 4 Apr 13:00" in message
    with pytest.raises(InvalidInput):
        solve(instance, work_limit=5)


def test_a_fixed_cell_in_a_room_too_small_is_kept() -> None:
    """A chair who booked a small room chose it (the checker exempts fixed cells from the
    room size): the solver plans around it instead of refusing."""
    instance = tiny(fixed={("small", "mon13"): Placement("nova")})
    found = solve(instance, work_limit=5)
    assert_consistent(instance, found)
    assert found.schedule[("small", "mon13")] == Placement("nova")


def test_a_wall_clock_limit_still_plans_consistently() -> None:
    """What ``ptghub plan run --time-limit`` does: the result may depend on the machine's
    speed, so only what holds for any result is checked."""
    instance = tiny()
    found = solve(instance, time_limit=10)
    assert_consistent(instance, found)
    assert found.method == "cp-sat"


def test_plan_uses_the_solver_and_explains_unmet_wishes() -> None:
    instance = tiny()
    found = plan(instance, work_limit=10)
    assert found.method == "cp-sat"
    assert found.unmet  # 7 hours wanted, 6 cells
    assert any(line.startswith("cinder got") for line in found.unmet)


def test_plan_falls_back_to_greedy_without_ortools(monkeypatch: pytest.MonkeyPatch) -> None:
    import ptghub.planner as planner

    def no_ortools(name: str) -> object:
        assert name == "ortools"
        return None

    monkeypatch.setattr(planner, "find_spec", no_ortools)
    instance = tiny()
    found = plan(instance)
    assert found.method == "greedy"
    assert check(instance, found.schedule) == []
    assert found.unmet


def test_generated_instance_stage_one_proven_never_below_greedy_within_the_work_limit() -> None:
    """Stage 1 is proven on S and serves no fewer hours than greedy; how far stage 3 gets
    below greedy's soft cost takes time and is bench/planner.py's claim."""
    instance = generate("S", seed=1)
    found = solve(instance, work_limit=1, seed=3)
    assert_consistent(instance, found)
    assert found.stages[0].optimal
    baseline = greedy(instance).schedule
    assert score.hours(instance, found.schedule) >= score.hours(instance, baseline)


def test_replanning_after_the_standard_disturbance_keeps_the_past() -> None:
    instance = generate("S", seed=2)
    published = solve(instance, work_limit=1).schedule
    disturbed = disturb(instance, published, seed=2)
    found = solve(disturbed, work_limit=1)
    assert_consistent(disturbed, found)
    for cell, placement in disturbed.fixed.items():
        assert found.schedule[cell] == placement
    frozen = [c for c in found.schedule if c[1] in disturbed.frozen_slots]
    assert set(frozen) <= set(disturbed.fixed)
    booked = sum(
        slot.minutes * len(p.teams)
        for (_, key), p in published.items()
        for slot in disturbed.slots
        if slot.key == key
    )
    # what moved: well under a tenth of what teams had booked
    assert found.stages[1].objective * 10 < booked


def test_cross_project_days_and_the_total_cap_are_honoured() -> None:
    """On a day kept for cross-project teams, only they meet; the total cap holds."""
    instance = tiny(rules=PlanRules(max_minutes_total=60, cross_project_days=frozenset({TUE})))
    needs = dict(instance.needs)
    needs["cinder"] = replace(needs["cinder"], cross_project=True)
    instance = replace(instance, needs=needs)
    found = solve(instance, work_limit=10)
    assert_consistent(instance, found)
    on_tuesday = {p.team for (_, s), p in found.schedule.items() if s == "tue13"}
    assert on_tuesday == {"cinder"}
    hours, _, soft = lexicographic_best(instance)
    assert score.hours(instance, found.schedule) == hours
    assert found.stages[-1].objective == soft


SOLVE_S = """
import sys
from ptghub.planner.generate import generate
from ptghub.planner.solver import solve
found = solve(generate("S", seed=1), work_limit=1, seed=3)
print(sorted(found.schedule.items()), [(s.name, s.objective, s.bound) for s in found.stages])
"""


def test_work_limit_gives_the_same_plan_in_another_process_whatever_its_hash_seed() -> None:
    """A run cut short by its work limit (S is not proven in 1 unit) is repeatable: the
    same schedule and stages in two processes with different string hashing, whatever
    the machine's load."""
    env = {**os.environ, "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    runs = [
        subprocess.run(
            [sys.executable, "-c", SOLVE_S],
            env={**env, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in ("1", "2")
    ]
    found = solve(generate("S", seed=1), work_limit=1, seed=3)
    assert not found.stages[-1].optimal  # cut short: the limit decided where it stopped
    stages = [(s.name, s.objective, s.bound) for s in found.stages]
    here = f"{sorted(found.schedule.items())} {stages}\n"
    assert runs == [here, here]


def test_a_solve_starved_of_time_is_never_worse_than_the_greedy_plan() -> None:
    """The demo's grid with half a unit of work: stage 3 has no time to improve on where
    stage 1 stopped (208,830 points, measured), so the greedy plan, with the same hours
    and a lower soft cost (57,600), is handed back instead."""
    state = apply_all(EventState(), load_event_file(DEMO))
    instance, _ = given_instance(state, GROUPS)
    found = solve(instance, work_limit=0.5, seed=0)
    baseline = greedy(instance).schedule
    assert score.hours(instance, found.schedule) == score.hours(instance, baseline)
    assert score.soft_cost(instance, found.schedule) <= score.soft_cost(instance, baseline)
    assert found.stages[-1].objective == score.soft_cost(instance, found.schedule)
