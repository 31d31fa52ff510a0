"""The variables of the CP-SAT model: every variable starts at its value in the hint, so
that the hint read back from those values is the hint itself."""

from __future__ import annotations

from dataclasses import replace

from ptghub.core.team_needs import TeamNeeds
from ptghub.planner.cpvariables import CpVariables
from ptghub.planner.facts import Facts
from ptghub.planner.instance import Placement, PlanRoom, Schedule
from tests.planner.grids import MON, hourly_slots, instance_of

INSTANCE = instance_of(
    (PlanRoom("a"), PlanRoom("b")),
    hourly_slots((MON,), (13, 14)),
    TeamNeeds("nova", 120, joint=(("cinder", 60),)),
    TeamNeeds("cinder", 60),
)
HINT = {
    ("a", "mon13"): Placement("nova"),
    ("b", "mon13"): Placement("cinder"),
    ("b", "mon14"): Placement("nova", ("cinder",)),
}


def read_back(variables: CpVariables) -> tuple[Schedule, set[tuple[str, str]]]:
    """The cells the hint values pin, and the (team, slot) pairs they hold."""
    facts = variables.facts
    held, pinned = variables.chosen(variables.values)
    cells = {
        (facts.rooms[r].key, facts.slots[s].key): facts.kinds[k].placement
        for (k, s), r in pinned.items()
    }
    return cells, {(facts.kinds[k].host, facts.slots[s].key) for k, s in held}


def test_with_rooms_the_hint_values_pin_the_hints_cells() -> None:
    variables = CpVariables(Facts(INSTANCE), rooms=True, hint=HINT)
    cells, held = read_back(variables)
    assert cells == HINT
    assert held == {("nova", "mon13"), ("cinder", "mon13"), ("nova", "mon14")}


def test_without_rooms_only_the_previous_plans_cells_have_a_room() -> None:
    variables = CpVariables(Facts(INSTANCE), rooms=False, hint=HINT)
    cells, held = read_back(variables)
    assert cells == {}
    assert held == {("nova", "mon13"), ("cinder", "mon13"), ("nova", "mon14")}
    previous = {("b", "mon14"): Placement("nova", ("cinder",))}
    replan = replace(INSTANCE, previous=previous)
    assert read_back(CpVariables(Facts(replan), rooms=False, hint=HINT))[0] == previous
