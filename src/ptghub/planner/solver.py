"""The CP-SAT planner: needs + rooms + slots -> a schedule, in stages (issue 5).

1. "hours": maximise the fairness (the worst-served team's share), then the total served
   minutes (``score``'s definitions), among the schedules that serve at least as many
   minutes as the greedy plan, so that the solver never does worse than the baseline.
2. "disruption" (only when ``previous`` is not empty): with stage 1's values kept,
   minimise the minutes of ``previous`` that move.
3. "soft": with stages 1 and 2 kept, minimise ``score.soft_cost``. When there is no
   previous plan, it starts from the schedule with stage 1's hours nearest to the hint
   (the greedy plan), found in a short solve: stage 1 itself stops at any schedule.

Stage 1 as one objective, fairness * (largest total + 1) + total, proves the same
optimum as two solves (fairness, then the total with the fairness fixed) and proved
1.5-1.9x faster on overloaded generated instances (demands x 1.4: 0.4 s vs 0.6 s on M,
1.2-1.5 s vs 2.0-2.3 s on L); ``COMBINED_HOURS`` switches.

Sessions come in kinds: a team's own sessions, and each joint session (host, guest) as
one kind that makes both teams busy. Any cell may hold a kind's session; a joint session
may be split (the soft cost makes that expensive), which matches what the checker and the
greedy planner accept. A team never gets more own minutes than its demand, nor a joint
session more than its length (with hourly slots, a 90-minute wish gets 60 minutes).

The stages run on a small, exact model without rooms (see cpmodel.py): per slot, the
sessions placed there can be given rooms of their size if and only if, for every size k,
those needing at least k seats are no more than the free rooms of at least k seats
(Hall's condition for nested room sets). Only the previous plan's cells have a room
variable, so that stage 2 is exact. Stage 3 minimises the soft cost without its rooms
term there (so its proven bound is a lower bound of the full cost, reported as the
stage's bound, or the decomposition bound of bound.py when larger: computed next, from
that stage's schedule, and added as a constraint to the full model so that CP-SAT stops
when it reaches it); then, with every
session's slot fixed, a model with a variable per room chooses the rooms minimising the
full soft cost; then the full model (every kind, room and slot) improves on that for the
time left. Rooms between solves come from a matching that prefers the hint's room and
the team's room in the slot before (room_matching.py).

Fixed cells are constants: they occupy their room, make their teams busy, count towards
caps (a cap is only binding for the minutes beyond the fixed ones, as in the checker)
and towards the hours served. Slots that overlap in time (same day) count as the same
time for a team: the busy and hard-clash constraints are stated per point in time.

Time: the budget (budget.py) is ``time_limit`` wall-clock seconds, or ``work_limit``
units of CP-SAT's deterministic time. Stage 1 gets up to 40 % of it, stage 2 half of
what is left, stage 3 the rest (80 % of it without rooms, after 15 % is kept for bound.py
when that is at least ``BOUND_MIN``; then bound.py, the rooms, the full model); what a
stage does not use carries over. ``workers`` search workers and ``seed`` as CP-SAT's
random seed. Under a wall-clock limit the result depends on the machine's speed and load
(unless every stage is proven optimal); under a work limit there is one worker and the
result is the same everywhere. ``PTGHUB_CPSAT_LOG=1`` prints CP-SAT's search log.

Measured on this 2-core machine (generated instances, seed 0, 60 s): stage 1 proven in
0.3 s on M and 0.7 s on L; soft cost S 1380 = bound (proven in 2 s), M 5340 against a
bound of 5040 (bound.py's; CP-SAT's own about 4300), L 8250 against 7530 (greedy: 4800,
9810, 12810); a re-plan after ``disturbance.disturb`` takes 2.6 s with a 4.5-s limit and
moves 2.5 % of the booked team-minutes on M (stages 2 and 3 proven optimal). See
bench/README.md.
"""

from __future__ import annotations

import os
from dataclasses import replace
from time import perf_counter

from ortools.sat.python import cp_model

from ptghub.core.errors import InvalidInput
from ptghub.planner import score
from ptghub.planner.bound import decomposition_bound
from ptghub.planner.budget import Budget
from ptghub.planner.cpmodel import CpModel
from ptghub.planner.facts import Facts
from ptghub.planner.instance import Cell, Instance, Placement, Plan, Schedule, Stage
from ptghub.planner.room_matching import held_sessions, solution_schedule
from ptghub.planner.validate import validate_fixed

STAGE1_SHARE = 0.4  # of the budget, at most
STAGE2_SHARE = 0.5  # of the time left after stage 1
REPAIR_SHARE = 0.1  # of the time left after stage 1, to start stage 3 near the hint
BOUND_SHARE = 0.15  # of stage 3's time, at most, for bound.py's lower bound
BOUND_MIN = 1.0  # seconds (or work units) worth computing it
SOFT_SHARE = 0.8  # of stage 3's time, without rooms
ROOMS_SHARE = 0.5  # of what is left then, to choose the rooms with the slots fixed
POLISH_MIN = 1.0  # seconds (or work units) worth a last run of the full model
COMBINED_HOURS = True  # stage 1 as one objective (see the module docstring)


def solve(
    instance: Instance,
    *,
    time_limit: float = 30.0,
    work_limit: float | None = None,
    hint: Schedule | None = None,
    seed: int = 0,
    workers: int = 2,
) -> Plan:
    """Plan ``instance`` with CP-SAT in stages; see the module docstring. The solves
    share ``time_limit`` wall-clock seconds, or, when ``work_limit`` is given, that much
    of CP-SAT's deterministic time on one worker instead (``time_limit`` is then unused):
    the same plan for the same instance, hint and seed on any machine (budget.py)."""
    started = perf_counter()
    budget = Budget.work(work_limit) if work_limit is not None else Budget.seconds(time_limit)
    validate_fixed(instance)
    facts = Facts(instance)
    floor_schedule = _greedy_schedule(instance)
    if hint is None:
        hint = instance.previous or floor_schedule or {}
    runner = _Runner(seed, workers, budget)
    stages: list[Stage] = []
    model, hours_stage = _stage_hours(facts, runner, hint, floor_schedule)
    stages.append(hours_stage)
    schedule = solution_schedule(facts, model, runner.last, hint)
    hours = score.hours(instance, schedule)
    model.keep_hours(*hours)
    kept = None
    if not instance.previous and hint:
        # Stage 1 stops at any schedule with the best hours, often far from the hint; the
        # schedule nearest the hint (the greedy plan) is a better start for stage 3.
        share = budget.left() * REPAIR_SHARE
        _, found = runner.minimise(model, "nearest", model.distance(hint), share)
        if found:
            schedule = solution_schedule(facts, model, runner.last, hint)
    if instance.previous:
        disruption = model.disruption()
        share = budget.left() * STAGE2_SHARE
        stage, found = runner.minimise(model, "disruption", disruption, share)
        if found:
            schedule = solution_schedule(facts, model, runner.last, hint)
        else:  # no better solution in time: stage 1's stands
            stage = replace(stage, objective=score.disruption(instance, schedule))
        stages.append(stage)
        kept = stage.objective
        model.model.add(disruption <= kept)
    schedule, soft_stage = _stage_soft(facts, runner, model, schedule, hours, kept)
    schedule, soft_stage = _no_worse_than(instance, floor_schedule, schedule, soft_stage, kept)
    stages.append(soft_stage)
    from ptghub.planner.explain import unmet  # explain imports nothing from here

    return Plan(
        schedule=schedule,
        method="cp-sat",
        stages=tuple(stages),
        unmet=unmet(instance, schedule),
        seconds=perf_counter() - started,
    )


def _stage_soft(
    facts: Facts,
    runner: _Runner,
    model: CpModel,
    schedule: dict[Cell, Placement],
    hours: tuple[int, int],
    kept: int | None,
) -> tuple[dict[Cell, Placement], Stage]:
    """Stage 3: first without rooms (small; its bound is a lower bound of the full cost),
    then the rooms with every session's slot fixed, then the full model from there."""
    instance = facts.instance
    started = perf_counter()
    budget = runner.budget
    reserve = budget.left() * BOUND_SHARE
    reserve = reserve if reserve >= BOUND_MIN else 0.0
    share = (budget.left() - reserve) * SOFT_SHARE
    free_stage, found = runner.minimise(model, "soft", model.soft_objective(), share)
    if found:
        schedule = solution_schedule(facts, model, runner.last, schedule)
    parts = 0
    if reserve and not free_stage.optimal:
        # after the search: its schedule is the parts' hint (measured on M, seed 1: 4200
        # from there, 4020 from the greedy plan)
        parts = decomposition_bound(
            facts,
            hours,
            schedule,
            budget=budget.part(reserve),
            seed=runner.seed,
            workers=runner.workers,
        )
    bound = max(free_stage.bound, parts)
    held, _ = held_sessions(facts, schedule)
    rooms = CpModel(facts, rooms=True, hint=schedule, only=held)
    if kept is not None:
        rooms.model.add(rooms.disruption() <= kept)
    share = budget.left() * ROOMS_SHARE
    stage, found = runner.minimise(rooms, "soft", rooms.soft_objective(), share)
    if found:
        schedule = solution_schedule(facts, rooms, runner.last, schedule)
        cost = stage.objective
    else:  # no solution in time: the rooms of the matching stand
        cost = score.soft_cost(instance, schedule)
    if cost > bound and budget.left() > POLISH_MIN:
        full = CpModel(facts, rooms=True, hint=schedule)
        full.keep_hours(*hours)
        if kept is not None:
            full.model.add(full.disruption() <= kept)
        objective = full.soft_objective()
        if parts:  # a proven bound: CP-SAT stops when it reaches it
            full.model.add(objective >= parts)
        stage, found = runner.minimise(full, "soft", objective, budget.left())
        if found:
            bound = max(bound, stage.bound)
            if stage.objective < cost:
                schedule = solution_schedule(facts, full, runner.last, schedule)
                cost = stage.objective
    optimal = cost <= bound  # both bounds are proven lower bounds of the full cost
    return schedule, Stage("soft", cost, min(bound, cost), optimal, perf_counter() - started)


def _no_worse_than(
    instance: Instance,
    floor_schedule: dict[Cell, Placement] | None,
    schedule: dict[Cell, Placement],
    stage: Stage,
    kept: int | None,
) -> tuple[dict[Cell, Placement], Stage]:
    """The greedy plan instead, when it keeps stage 1's hours (and stage 2's disruption)
    at a lower soft cost: a solve starved of time (a loaded machine, a short limit) then
    never hands back a plan worse than the baseline. (Measured on the demo grid at a load
    average of 15 on 2 cores with 15 s: 158,040 against the greedy plan's 57,600.)"""
    if floor_schedule is None or stage.objective <= 0:
        return schedule, stage
    if score.hours(instance, floor_schedule) != score.hours(instance, schedule):
        return schedule, stage
    if kept is not None and score.disruption(instance, floor_schedule) > kept:
        return schedule, stage
    cost = score.soft_cost(instance, floor_schedule)
    if cost >= stage.objective:
        return schedule, stage
    return dict(floor_schedule), replace(stage, objective=cost, bound=min(stage.bound, cost))


def _greedy_schedule(instance: Instance) -> dict[Cell, Placement] | None:
    """The greedy plan when it keeps every hard rule (the stage-1 floor), else None."""
    from ptghub.planner.checker import check
    from ptghub.planner.greedy import greedy

    schedule = greedy(instance).schedule
    return schedule if not check(instance, schedule) else None


# -- running the stages ------------------------------------------------------------


class _Runner:
    def __init__(self, seed: int, workers: int, budget: Budget) -> None:
        self.seed = seed
        self.workers = workers
        self.budget = budget
        self.solver = cp_model.CpSolver()
        self.last: dict[cp_model.IntVar, int] = {}

    def run(self, model: CpModel, amount: float, part: Budget | None = None) -> int:
        """Solve from the model's hint with ``amount`` of the budget (charged to ``part``
        of it when given); on a solution, ``last`` holds it and the model's hint becomes
        it (the next stage starts from there)."""
        model.apply_hint()
        params = self.solver.parameters
        params.num_workers = self.budget.workers(self.workers)
        params.random_seed = self.seed
        params.log_search_progress = bool(os.environ.get("PTGHUB_CPSAT_LOG"))
        status = (part or self.budget).solve(self.solver, model.model, amount)
        if status == cp_model.INFEASIBLE:
            raise InvalidInput(
                "No schedule keeps every hard rule together with the fixed cells; "
                "check the caps and clashes of the teams in the fixed cells."
            )
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self.last = {var: int(self.solver.value(var)) for var in model.values}
            model.rehint(self.last)
        return int(status)

    def minimise(
        self, model: CpModel, name: str, objective: cp_model.LinearExprT, amount: float
    ) -> tuple[Stage, bool]:
        """Minimise ``objective``: the stage, and whether a solution was found."""
        started = perf_counter()
        model.model.minimize(objective)
        status = self.run(model, amount)
        elapsed = perf_counter() - started
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Stage(name, 0, 0, False, elapsed), False
        # the objective of the solution returned, as its values give it
        value = int(self.solver.value(objective))
        bound = min(value, round(self.solver.best_objective_bound))
        return Stage(name, value, bound, status == cp_model.OPTIMAL, elapsed), True


def _stage_hours(
    facts: Facts,
    runner: _Runner,
    hint: Schedule,
    floor_schedule: Schedule | None,
) -> tuple[CpModel, Stage]:
    """Stage 1 on the model without rooms; ``runner.last`` holds its solution."""
    started = perf_counter()
    part = runner.budget.part(STAGE1_SHARE * runner.budget.limit)
    floor = score.hours(facts.instance, floor_schedule)[1] if floor_schedule else None
    try:
        model, status, scale = _solve_hours(facts, runner, hint, floor, part)
    except InvalidInput:
        if floor is None:
            raise
        # the greedy plan does something the model does not allow: plan without its floor
        model, status, scale = _solve_hours(facts, runner, hint, None, part)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if not found:  # no solution in time: nothing placed beyond the fixed cells
        runner.last = {var: 0 for var in model.values}
    total = int(runner.solver.value(model.total)) if found else int(model.fixed_total)
    bound = model.max_total
    if found:
        bound = round(runner.solver.best_objective_bound)
        if COMBINED_HOURS:
            bound -= runner.last[model.fair] * scale
    bound = max(total, min(bound, model.max_total))
    optimal = status == cp_model.OPTIMAL
    return model, Stage("hours", total, bound, optimal, perf_counter() - started)


def _solve_hours(
    facts: Facts,
    runner: _Runner,
    hint: Schedule,
    floor: int | None,
    part: Budget,
) -> tuple[CpModel, int, int]:
    model = CpModel(facts, rooms=False, hint=hint)
    if floor is not None:
        model.model.add(model.total >= floor)
    scale = model.max_total + 1
    if COMBINED_HOURS:
        model.model.maximize(model.fair * scale + model.total)
        status = runner.run(model, part.left(), part)
        return model, status, scale
    model.model.maximize(model.fair)
    status = runner.run(model, part.limit / 2, part)
    proven = status == cp_model.OPTIMAL
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        model.model.add(model.fair >= runner.last[model.fair])
    model.model.maximize(model.total)
    status = runner.run(model, part.left(), part)
    if not proven and status == cp_model.OPTIMAL:
        status = int(cp_model.FEASIBLE)
    return model, status, scale
