"""What the CP-SAT models know about an instance: the kinds of sessions, each with the
seats it needs and the minutes it may still get beyond the fixed cells."""

from __future__ import annotations

from ptghub.core.team_needs import TeamNeeds
from ptghub.planner.facts import Facts
from ptghub.planner.instance import Placement, PlanRoom
from tests.planner.grids import MON, hourly_slots, instance_of


def test_kinds_are_own_and_joint_sessions_with_what_they_may_still_get() -> None:
    instance = instance_of(
        (PlanRoom("a", 10), PlanRoom("b", 40)),
        hourly_slots((MON,), (13,)),
        TeamNeeds("nova", 120, joint=(("cinder", 60), ("neutron", 60))),
        TeamNeeds("cinder", 60, room_size=30),
        TeamNeeds("neutron", 60, avoid=frozenset({"nova"})),
        fixed={("a", "mon13"): Placement("nova")},
    )
    kinds = {(k.host, k.guests): (k.size, k.cap) for k in Facts(instance).kinds}
    assert kinds == {
        ("nova", ()): (0, 60),  # an hour fixed already
        ("cinder", ()): (30, 60),
        ("neutron", ()): (0, 60),
        ("nova", ("cinder",)): (30, 60),  # the guest's room size counts
        # nova and neutron must not meet: no joint session for them
    }
