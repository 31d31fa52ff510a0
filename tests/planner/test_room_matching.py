"""Rooms for the sessions a solution holds: the hint's room first, then the room the team
had in the slot before, then the smallest room that fits; fixed cells stay as they are."""

from __future__ import annotations

from ptghub.core.team_needs import TeamNeeds
from ptghub.planner.cpvariables import CpVariables
from ptghub.planner.facts import Facts
from ptghub.planner.instance import Placement, PlanRoom
from ptghub.planner.room_matching import held_sessions, solution_schedule
from tests.planner.grids import MON, hourly_slots, instance_of

NOVA, CINDER, NEUTRON = Placement("nova"), Placement("cinder"), Placement("neutron")
INSTANCE = instance_of(
    (PlanRoom("a", 40), PlanRoom("b", 10), PlanRoom("c", 10)),
    hourly_slots((MON,), (13, 14)),
    TeamNeeds("nova", 120),
    TeamNeeds("cinder", 60, room_size=30),
    TeamNeeds("neutron", 60),
    fixed={("c", "mon13"): NEUTRON},
)
HINT = {("a", "mon13"): NOVA, ("b", "mon14"): NOVA, ("a", "mon14"): CINDER}


def test_held_sessions_leave_out_fixed_cells_and_what_the_model_cannot_hold() -> None:
    facts = Facts(INSTANCE)
    schedule = {**HINT, ("c", "mon13"): NEUTRON, ("b", "mon13"): Placement("oslo")}
    held, rooms = held_sessions(facts, schedule)
    named = {
        (facts.kinds[k].host, facts.slots[s].key): facts.rooms[r].key for (k, s), r in rooms.items()
    }
    assert named == {("nova", "mon13"): "a", ("nova", "mon14"): "b", ("cinder", "mon14"): "a"}
    assert held == set(rooms)


def test_the_hints_rooms_come_first() -> None:
    variables = CpVariables(Facts(INSTANCE), rooms=False, hint=HINT)
    found = solution_schedule(variables.facts, variables, variables.values, HINT)
    assert found == {**HINT, ("c", "mon13"): NEUTRON}


def test_without_a_hint_the_smallest_room_that_fits_and_teams_stay_put() -> None:
    variables = CpVariables(Facts(INSTANCE), rooms=False, hint=HINT)
    found = solution_schedule(variables.facts, variables, variables.values, {})
    assert found == {
        ("c", "mon13"): NEUTRON,
        ("b", "mon13"): NOVA,  # the smallest room free
        ("b", "mon14"): NOVA,  # where it was
        ("a", "mon14"): CINDER,  # the only room of 30 seats
    }
