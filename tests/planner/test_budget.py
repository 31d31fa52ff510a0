"""The solver's budget (planner/budget.py): work is counted in CP-SAT's deterministic time,
on one worker, and a part's spending counts against the whole."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ptghub.planner.budget import MIN_WORK, Budget


def small_model() -> cp_model.CpModel:
    model = cp_model.CpModel()
    xs = [model.new_int_var(0, 10, f"x{i}") for i in range(6)]
    model.add(sum(xs) == 31)
    model.add_all_different(xs)
    model.maximize(xs[0] * 3 - xs[1])
    return model


def test_work_budget_runs_one_worker_and_seconds_as_many_as_wanted() -> None:
    assert (Budget.work(5).workers(8), Budget.seconds(5).workers(8)) == (1, 8)


def test_work_budget_sets_the_deterministic_limit_and_charges_the_part_and_the_whole() -> None:
    whole = Budget.work(5.0)
    part = whole.part(2.0)
    solver = cp_model.CpSolver()
    status = part.solve(solver, small_model(), 0.0)  # never less than the minimum
    assert status == cp_model.OPTIMAL
    assert solver.parameters.max_deterministic_time == MIN_WORK
    assert part.spent() == whole.spent() == solver.deterministic_time > 0
    assert (part.left(), whole.left()) == (2.0 - part.spent(), 5.0 - whole.spent())
