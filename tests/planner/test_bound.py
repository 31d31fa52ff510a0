"""The decomposition lower bound of the soft cost (planner/bound.py): the clusters split the
teams, every soft pair is counted once, and the bound never exceeds the soft cost of a
schedule with at least the hours it was computed for: the true optimum by brute force on
tiny instances, the greedy plan on random and generated ones."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ptghub.core.team_needs import PlanRules, TeamNeeds
from ptghub.planner import score
from ptghub.planner.bound import clusters, decomposition_bound, parts
from ptghub.planner.budget import Budget
from ptghub.planner.checker import check
from ptghub.planner.facts import Facts
from ptghub.planner.generate import generate
from ptghub.planner.greedy import greedy
from ptghub.planner.instance import Instance, PlanRoom
from tests.planner.brute import lexicographic_best, within_wishes
from tests.planner.grids import MON, hourly_slots, instance_of
from tests.planner.test_properties import instances, tiny_instances


def bound_of(instance: Instance, hours: tuple[int, int], size: int, work: float = 2.0) -> int:
    budget = Budget.work(work)
    return decomposition_bound(Facts(instance), hours, {}, budget=budget, sizes=(size,))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_instances(), st.integers(1, 3))
def test_the_bound_never_exceeds_the_brute_force_optimum(instance: Instance, size: int) -> None:
    """With clusters of one team every soft pair lies across two clusters: the part that
    counts it holds the other team whole, and the sum still stays below the optimum."""
    if check(instance, dict(instance.fixed)):
        return
    hours, _, soft = lexicographic_best(instance)
    bound = bound_of(instance, hours, size)
    event("bound reaches the optimum" if bound == soft else "bound below the optimum")
    assert 0 <= bound <= soft


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.integers(1, 4))
def test_the_bound_never_exceeds_the_soft_cost_of_the_greedy_plan(
    instance: Instance, size: int
) -> None:
    """Computed for the greedy plan's hours, the bound covers the greedy plan itself."""
    if check(instance, dict(instance.fixed)):
        return
    schedule = greedy(instance).schedule
    if check(instance, schedule) or not within_wishes(instance, schedule):
        return
    bound = bound_of(instance, score.hours(instance, schedule), size)
    assert 0 <= bound <= score.soft_cost(instance, schedule)


def test_generated_instances_bound_below_greedy_and_the_solver_and_above_zero() -> None:
    """Seeded S instances: the bound for the greedy plan's hours is below its cost; the
    bound for full hours is below the solver's plan (which serves every hour) and is a
    real bound, not 0."""
    from ptghub.planner.solver import solve

    for seed in (0, 1):
        instance = generate("S", seed)
        schedule = greedy(instance).schedule
        hours = score.hours(instance, schedule)
        assert bound_of(instance, hours, 5) <= score.soft_cost(instance, schedule)
    instance = generate("S", 0)
    found = solve(instance, work_limit=2)
    hours = score.hours(instance, found.schedule)
    bound = bound_of(instance, hours, 5)
    assert 0 < bound <= score.soft_cost(instance, found.schedule)
    assert found.stages[-1].bound <= found.stages[-1].objective


def test_clusters_split_the_teams_and_every_soft_pair_is_counted_once() -> None:
    facts = Facts(generate("M"))
    found = clusters(facts, 5)
    teams = Counter(team for cluster in found for team in cluster)
    assert set(teams) >= set(facts.instance.needs)
    assert set(teams.values()) == {1}
    assert max(len(cluster) for cluster in found) <= 5
    counted = Counter(pair for _, pairs in parts(facts, 5) for pair in pairs)
    assert set(counted) == set(facts.instance.soft_clashes())
    assert set(counted.values()) == {1}


def test_three_teams_that_cannot_keep_apart_pay_for_the_cheapest_overlaps() -> None:
    """a and b must not meet, c would rather meet neither: 4 hours wanted in 3 slots, so
    c overlaps one hour, at the lighter weight. One cluster of the three proves it (the
    summed clique cuts make the relaxation see it); clusters of one team each lose it,
    each part seeing only one of c's two neighbours, and stay below."""
    instance = instance_of(
        (PlanRoom("r1"), PlanRoom("r2")),
        hourly_slots((MON,), key="h{h}"),
        TeamNeeds("a", 120, avoid=frozenset({"b"})),
        TeamNeeds("b", 60),
        TeamNeeds("c", 60, rather_not=(("a", 3), ("b", 1))),
        rules=PlanRules(),
    )
    hours, _, soft = lexicographic_best(instance)
    assert soft == 60 * 1
    assert bound_of(instance, hours, 3) == soft
    assert bound_of(instance, hours, 1) <= soft
