"""Fixed cells that no schedule can keep are refused up front, naming cells and rules."""

from __future__ import annotations

import pytest

from ptghub.core.errors import InvalidInput
from ptghub.core.team_needs import PlanRules, TeamNeeds
from ptghub.planner import plan
from ptghub.planner.checker import check
from ptghub.planner.instance import Instance, Placement, PlanRoom
from ptghub.planner.validate import validate_fixed
from tests.planner.grids import MON, TUE, hourly_slots, instance_of


def instance(**fixed: Placement) -> Instance:
    return instance_of(
        (PlanRoom("a", 10), PlanRoom("b")),
        hourly_slots((MON,), (13,)),
        TeamNeeds("nova", 60, max_minutes_per_day=0),
        rules=PlanRules(max_minutes_per_day=0),
        fixed={(room.split("_")[0], room.split("_")[1]): p for room, p in fixed.items()},
    )


def test_fixed_cells_beyond_a_cap_are_accepted() -> None:
    """A chair's booking may exceed a cap: only new cells must keep it."""
    validate_fixed(instance(a_mon13=Placement("nova")))


def test_a_fixed_cell_outside_the_grid_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        validate_fixed(instance(c_mon13=Placement("nova")))
    assert "them. nova is placed in c on Mon 4 Apr 13:00, but there is no room c. Change" in (
        refused.value.message
    )
    assert refused.value.message.endswith("Change or unpin these cells and plan again.")


def test_a_team_fixed_in_two_rooms_at_once_is_refused() -> None:
    with pytest.raises(
        InvalidInput, match=r"them\. nova is in a and b at Mon 4 Apr 13:00\. Change"
    ):
        validate_fixed(instance(a_mon13=Placement("nova"), b_mon13=Placement("nova")))


def test_teams_that_met_before_a_new_hard_clash_can_still_be_planned() -> None:
    """Mid-event, two teams that already met in the past are declared a hard clash: the
    past is kept, and the planner keeps them apart from then on."""
    slots = (*hourly_slots((MON,), (13,)), *hourly_slots((TUE,), (13, 14)))
    past = {("a", "mon13"): Placement("nova"), ("b", "mon13"): Placement("cinder")}
    problem = instance_of(
        (PlanRoom("a"), PlanRoom("b")),
        slots,
        TeamNeeds("nova", 120, avoid=frozenset({"cinder"})),
        TeamNeeds("cinder", 120),
        fixed=past,
        frozen_slots=frozenset({"mon13"}),
        previous=past,
    )
    validate_fixed(problem)
    result = plan(problem, work_limit=5)
    assert check(problem, result.schedule) == []
    assert {cell: p for cell, p in result.schedule.items() if cell[1] == "mon13"} == past
    tuesday = sorted((cell[1], p.team) for cell, p in result.schedule.items() if cell[1] != "mon13")
    assert len(tuesday) == 2 and tuesday[0][0] != tuesday[1][0]  # one each, never together
