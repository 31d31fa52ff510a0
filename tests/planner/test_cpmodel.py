"""The CP-SAT model: objectives stated exactly, so that the value of a schedule in the
model is what score.py computes for it (the soft objective of soft_objective.py and the
disruption here, over the variables of cpvariables.py)."""

from __future__ import annotations

from dataclasses import replace

from ortools.sat.python import cp_model

from ptghub.planner import score
from ptghub.planner.cpmodel import CpModel
from ptghub.planner.facts import Facts
from ptghub.planner.generate import generate
from ptghub.planner.greedy import greedy
from ptghub.planner.instance import Cell, Instance, Placement


def value_in_model(instance: Instance, schedule: dict[Cell, Placement]) -> tuple[int, int]:
    """(soft cost, disruption) of ``schedule`` as the full model computes them, with every
    session pinned to its cell."""
    facts = Facts(instance)
    kind_of = {kind.placement: k for k, kind in enumerate(facts.kinds)}
    held = {
        (kind_of[p], facts.slot_index[s])
        for (r, s), p in schedule.items()
        if (r, s) not in instance.fixed
    }
    model = CpModel(facts, rooms=True, hint=schedule, only=held)
    for (k, r, s), x in model.x.items():
        cell = (facts.rooms[r].key, facts.slots[s].key)
        model.model.add(x == int(schedule.get(cell) == facts.kinds[k].placement))
    soft, moved = model.soft_objective(), model.disruption()
    model.model.minimize(soft)
    solver = cp_model.CpSolver()
    assert solver.solve(model.model) == cp_model.OPTIMAL
    return int(solver.objective_value), int(solver.value(moved))


def test_the_model_values_a_schedule_as_score_does() -> None:
    """The greedy plan of a generated instance (every soft term occurs), and the same plan
    as the previous one of an instance with some of it gone."""
    instance = generate("S", seed=4)
    schedule = greedy(instance).schedule
    terms = score.soft_terms(instance, schedule)
    assert sum(1 for value in terms.values() if value) >= 4
    assert value_in_model(instance, schedule) == (score.soft_cost(instance, schedule), 0)
    cells = sorted(schedule)
    kept = {cell: schedule[cell] for cell in cells[::2]}
    replan = replace(instance, previous=schedule)
    assert value_in_model(replan, kept) == (
        score.soft_cost(replan, kept),
        score.disruption(replan, kept),
    )
