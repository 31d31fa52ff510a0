"""Builds a room x slot schedule from the teams' needs (CP-SAT, with a greedy fallback)."""

from __future__ import annotations

from dataclasses import replace
from importlib.util import find_spec

from ptghub.planner.instance import Instance, Plan, Schedule


def plan(
    instance: Instance,
    *,
    time_limit: float = 30.0,
    work_limit: float | None = None,
    hint: Schedule | None = None,
    seed: int = 0,
) -> Plan:
    """The best schedule found within ``time_limit`` seconds (or, when ``work_limit`` is
    given, that much of CP-SAT's deterministic time: the same plan on any machine; see
    planner/budget.py): CP-SAT when OR-Tools is installed (the ``planner`` extra), else
    the greedy planner. Either way ``unmet`` explains every wish not granted. Fixed cells
    that break a hard rule among themselves raise ``InvalidInput`` naming the cells and
    the rule."""
    from ptghub.planner.validate import validate_fixed

    validate_fixed(instance)
    if find_spec("ortools") is not None:
        from ptghub.planner.solver import solve

        return solve(instance, time_limit=time_limit, work_limit=work_limit, hint=hint, seed=seed)
    from ptghub.planner.explain import unmet
    from ptghub.planner.greedy import greedy

    found = greedy(instance)
    return replace(found, unmet=found.unmet or unmet(instance, found.schedule))
