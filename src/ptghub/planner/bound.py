"""A lower bound on stage 3's soft cost by decomposition: small parts solved apart.

CP-SAT's own bound on the whole model stays weak on the soft clashes: its linear
relaxation lets every team be "half present" everywhere. Small parts of the problem,
solved apart, are mostly proven optimal in a fraction of a second (thanks to the clique
cuts summed per day and over the event, see ``SoftObjective._clique_cuts``), and their bounds
add up to a lower bound of the whole:

1. The teams are split into clusters of at most ``size`` teams (each of ``CLUSTERS``),
   merging greedily the two clusters most strongly tied (soft-clash weights, joint
   sessions, hard clashes).
2. Each soft pair goes to one part: its cluster's, or, for a pair across two clusters,
   the part of one of them, which then also holds the other team ("whole": every kind of
   session it takes part in) without counting that team's own terms.
3. Part g is ``CpModel(teams=...)``: the kinds of sessions its teams take part in, every
   constraint of the full model restricted to them, the hours of stage 1 (a team of the
   part gets its share; the part's teams together serve at least the total minus what
   all other teams want), and as objective ``f_g``: the per-team terms (blocks, days,
   windows, onboarding, joint-split) of its cluster's teams and the clashes of its pairs.

Why it is a lower bound: take any schedule X that keeps every hard rule and stage 1's
hours (and stage 2's disruption; dropping that constraint only relaxes). Restricted to a
part's kinds, X keeps every constraint of the part (each is a sum of some of the full
model's non-negative variables held to at most what the full model allows, or stage 1's
hours, which X meets since nobody is served more than it wants), so ``f_g(X) >= LB_g``,
the bound CP-SAT proves for part g. Each team's own terms and each soft pair lie in
exactly one part, the teams a part counts are whole in it (so their presence is exactly
X's), and the rooms term is never negative; hence ``soft_cost(X) >= sum_g f_g(X) >=
sum_g LB_g``. What the parts lose is only the consistency of a team held by two parts,
and the rooms that the teams of other parts take.

Each cluster size gives a valid bound, so the best of several is one too: clusters of 5
and of 10 (measured on generate("M"), 8 s: seed 0, 5040 with 5 and 4680 with 10, the
parts of 10 being harder to prove; seed 1, 3960 with 5 and 4200 with 10, all proven;
CP-SAT's own bound on the whole model: about 4300 on seed 0 after 30 s).
"""

from __future__ import annotations

import math
from collections import defaultdict

from ortools.sat.python import cp_model

from ptghub.planner.budget import Budget
from ptghub.planner.cpmodel import CpModel
from ptghub.planner.facts import Facts
from ptghub.planner.instance import Schedule

CLUSTER = 5  # teams per cluster, at most, by default
CLUSTERS = (5, 10)  # the bound is the best of the decompositions with these sizes
W_JOINT = 20  # ties of a joint session and of a hard clash, against soft weights 1-5
W_HARD = 3


def clusters(facts: Facts, size: int = CLUSTER) -> list[set[str]]:
    """Teams in clusters of at most ``size``, the most strongly tied merged first."""
    instance = facts.instance
    tie: dict[frozenset[str], int] = defaultdict(int)
    for pair, weight in instance.soft_clashes().items():
        tie[pair] += weight
    for host, guest in facts.joint_wanted:
        tie[frozenset((host, guest))] += W_JOINT
    for pair in instance.hard_clashes():
        tie[pair] += W_HARD
    teams = sorted(set(instance.needs) | {team for pair in tie for team in pair})
    found: dict[int, set[str]] = {i: {team} for i, team in enumerate(teams)}
    of = {team: i for i, team in enumerate(teams)}
    while True:
        between: dict[tuple[int, int], int] = defaultdict(int)
        for pair, weight in tie.items():
            a, b = sorted(of[team] for team in pair)
            if a != b and len(found[a]) + len(found[b]) <= size:
                between[(a, b)] += weight
        if not between:
            break
        (a, b), _ = max(between.items(), key=lambda item: (item[1], -item[0][0], -item[0][1]))
        for team in found.pop(b):
            of[team] = a
            found[a].add(team)
    return sorted(found.values(), key=lambda c: sorted(c))


def parts(facts: Facts, size: int = CLUSTER) -> list[tuple[set[str], set[frozenset[str]]]]:
    """Per cluster: the teams whose own terms it counts and the soft pairs it counts;
    a pair across two clusters goes to the one with fewer pairs so far."""
    found = clusters(facts, size)
    of = {team: i for i, cluster in enumerate(found) for team in cluster}
    pairs: list[set[frozenset[str]]] = [set() for _ in found]
    for pair in sorted(facts.instance.soft_clashes(), key=sorted):
        homes = sorted({of[team] for team in pair}, key=lambda i: (len(pairs[i]), i))
        pairs[homes[0]].add(pair)
    return list(zip(found, pairs, strict=True))


def decomposition_bound(
    facts: Facts,
    hours: tuple[int, int],
    hint: Schedule,
    *,
    budget: Budget,
    seed: int = 0,
    workers: int = 2,
    sizes: tuple[int, ...] = CLUSTERS,
) -> int:
    """The largest, over the cluster sizes, of the sum of the parts' proven bounds (see
    the module docstring). Every part first gets an equal share of half the budget (most
    are proven in a fraction of a second); the parts not proven then share what is left."""
    todo = [(size, part) for size in sizes for part in parts(facts, size)]
    models = [_part(facts, hours, hint, counted, pairs) for _, (counted, pairs) in todo]
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = budget.workers(workers)
    solver.parameters.random_seed = seed
    bounds = [0] * len(models)
    proven = [False] * len(models)
    first = budget.limit / 2 / max(1, len(models))
    for i, model in enumerate(models):
        bounds[i], proven[i] = _solve(solver, model, budget, min(first, budget.left()))
    again = [i for i in range(len(models)) if not proven[i]]
    for n, i in enumerate(again):
        share = budget.left() / (len(again) - n)
        if share > 0.05:
            bound, _ = _solve(solver, models[i], budget, share)
            bounds[i] = max(bounds[i], bound)
    return max(
        (sum(b for (s, _), b in zip(todo, bounds, strict=True) if s == size) for size in sizes),
        default=0,
    )


def _part(
    facts: Facts,
    hours: tuple[int, int],
    hint: Schedule,
    counted: set[str],
    pairs: set[frozenset[str]],
) -> cp_model.CpModel:
    held = set(counted) | {team for pair in pairs for team in pair}
    part = CpModel(facts, rooms=False, hint=hint, teams=held)
    part.keep_hours(*hours)
    part.model.minimize(part.soft_objective(counted=counted, pairs=pairs))
    part.apply_hint()
    return part.model


def _solve(
    solver: cp_model.CpSolver, model: cp_model.CpModel, budget: Budget, amount: float
) -> tuple[int, bool]:
    """The bound proven on the part's objective (0 when none), and whether it is optimal."""
    if amount <= 0:
        return 0, False
    status = budget.solve(solver, model, amount)
    bound = solver.best_objective_bound
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or not math.isfinite(bound):
        return 0, False
    # an integer objective: a fractional bound rounds up
    return max(0, math.ceil(bound - 1e-6)), status == cp_model.OPTIMAL
