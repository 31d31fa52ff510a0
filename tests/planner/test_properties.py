"""Properties of the CP-SAT planner on small random instances (hypothesis): it never breaks
a hard rule, never serves fewer minutes than the greedy planner, refuses exactly the fixed
cells that break a rule, reports objectives that score.py agrees with, and a re-plan with
nothing changed moves nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ptghub.core.errors import InvalidInput
from ptghub.core.team_needs import PlanRules, TeamNeeds
from ptghub.planner import score
from ptghub.planner.checker import check
from ptghub.planner.greedy import greedy
from ptghub.planner.instance import Cell, Instance, Placement, PlanRoom
from ptghub.planner.solver import solve
from tests.planner.brute import lexicographic_best
from tests.planner.grids import MON, TUE, hourly_slots, instance_of

DAYS = (MON, TUE)
WORK_LIMIT = 2.0  # small instances are proven long before


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    """Up to 3 rooms, 2 days of up to 4 hourly slots, 2-5 teams with random wishes."""
    rooms = tuple(
        PlanRoom(f"r{i}", draw(st.sampled_from([None, 10, 40])))
        for i in range(draw(st.integers(1, 3)))
    )
    hours = draw(st.integers(1, 4))
    slots = hourly_slots(DAYS[: draw(st.integers(1, 2))], range(13, 13 + hours), key="d{d}h{h}")
    days = sorted({slot.day for slot in slots})
    teams = [f"t{i}" for i in range(draw(st.integers(2, 5)))]
    needs = {}
    for team in teams:
        others = [t for t in teams if t != team]
        needs[team] = TeamNeeds(
            team,
            draw(st.sampled_from([0, 60, 120, 180, 240])),
            max_minutes_per_day=draw(st.sampled_from([None, 60, 120])),
            preferred_days=frozenset(draw(st.lists(st.sampled_from(days), max_size=1))),
            windows=draw(st.sampled_from([(), ((time(13), time(14, 30)),)])),
            avoid=frozenset(draw(st.lists(st.sampled_from(others), max_size=1))),
            rather_not=tuple(
                (other, draw(st.integers(1, 3)))
                for other in draw(st.lists(st.sampled_from(others), max_size=2, unique=True))
            ),
            joint=tuple(
                (other, draw(st.sampled_from([60, 120])))
                for other in draw(st.lists(st.sampled_from(others), max_size=1))
            ),
            room_size=draw(st.sampled_from([None, 10, 30])),
            onboarding=draw(st.booleans()),
            cross_project=draw(st.booleans()),
        )
    rules = PlanRules(
        max_minutes_per_day=draw(st.sampled_from([None, 120])),
        max_minutes_total=draw(st.sampled_from([None, 180])),
        cross_project_days=frozenset(draw(st.lists(st.sampled_from(days), max_size=1))),
    )
    cells = [(room.key, slot.key) for room in rooms for slot in slots]
    unavailable = frozenset(draw(st.lists(st.sampled_from(cells), max_size=2)))
    fixed: dict[Cell, Placement] = {}
    for cell in draw(st.lists(st.sampled_from(cells), max_size=2, unique=True)):
        fixed[cell] = Placement(draw(st.sampled_from(teams)))
    frozen = frozenset(draw(st.lists(st.sampled_from([s.key for s in slots[:1]]), max_size=1)))
    return instance_of(
        rooms,
        slots,
        *needs.values(),
        rules=rules,
        unavailable=unavailable,
        fixed=fixed,
        frozen_slots=frozen,
    )


def served_in_full_only(instance: Instance, schedule: dict[Cell, Placement]) -> bool:
    """Nobody gets more than it asked for (fixed cells aside)."""
    placed = score.placed_minutes(
        instance, {c: p for c, p in schedule.items() if c not in instance.fixed}
    )
    return all(minutes <= score.wanted_minutes(instance)[t] for t, minutes in placed.items())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_solver_keeps_every_hard_rule_and_never_serves_less_than_greedy(
    instance: Instance,
) -> None:
    broken_fixed = check(instance, dict(instance.fixed))
    event("fixed cells refused" if broken_fixed else "planned")
    if broken_fixed:
        with pytest.raises(InvalidInput):
            solve(instance, work_limit=WORK_LIMIT)
        return
    found = solve(instance, work_limit=WORK_LIMIT)
    assert check(instance, found.schedule) == []
    assert served_in_full_only(instance, found.schedule)
    baseline = greedy(instance).schedule
    ours, theirs = score.hours(instance, found.schedule), score.hours(instance, baseline)
    assert ours[1] >= theirs[1]
    assert ours >= theirs  # fairness first, then the total
    event(f"{ours[1] - theirs[1]} minutes more than greedy")
    hours, soft = found.stages[0], found.stages[-1]
    assert hours.objective == ours[1]
    assert soft.objective == score.soft_cost(instance, found.schedule)
    assert soft.bound <= soft.objective
    # nothing changed: a re-plan from this schedule keeps it all
    replan = replace(instance, previous=found.schedule)
    again = solve(replan, work_limit=WORK_LIMIT)
    assert check(replan, again.schedule) == []
    if found.schedule:  # no previous plan, no disruption stage
        assert again.stages[1].name == "disruption"
        assert again.stages[1].objective == score.disruption(replan, again.schedule) == 0
    assert score.hours(instance, again.schedule) == ours


@st.composite
def tiny_instances(draw: st.DrawFn) -> Instance:
    """At most 4 cells and 3 teams, maybe a previous plan: small enough to try every
    schedule."""
    instance = draw(instances())
    rooms = instance.rooms[: draw(st.integers(1, 2))]
    slots = instance.slots[: 4 // len(rooms)]
    keep = sorted(instance.needs)[:3]
    needs = {
        t: replace(
            n,
            avoid=n.avoid & set(keep),
            rather_not=tuple((o, w) for o, w in n.rather_not if o in keep),
            joint=tuple((o, m) for o, m in n.joint if o in keep),
        )
        for t, n in instance.needs.items()
        if t in keep
    }
    keys = {s.key for s in slots}
    cells = [(room.key, slot.key) for room in rooms for slot in slots]
    placements = [Placement(t) for t in keep] + [
        Placement(t, (o,)) for t in keep for o, _ in needs[t].joint
    ]
    previous = {
        cell: draw(st.sampled_from(placements))
        for cell in draw(st.lists(st.sampled_from(cells), max_size=3, unique=True))
    }
    return replace(
        instance,
        rooms=rooms,
        slots=slots,
        needs=needs,
        fixed={c: p for c, p in instance.fixed.items() if c[1] in keys and p.team in keep},
        frozen_slots=frozenset(instance.frozen_slots & keys),
        previous=previous,
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_instances())
def test_solver_reaches_the_brute_force_optimum_on_tiny_instances(instance: Instance) -> None:
    if check(instance, dict(instance.fixed)):
        return
    hours, moved, soft = lexicographic_best(instance)
    found = solve(instance, work_limit=WORK_LIMIT)
    assert score.hours(instance, found.schedule) == hours
    if instance.previous:
        assert found.stages[1].objective == moved
    assert found.stages[-1].objective == soft
    assert all(stage.optimal for stage in found.stages)
