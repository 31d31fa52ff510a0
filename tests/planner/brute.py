"""Brute force for the planner's tests: every schedule of a tiny instance, judged by the
checker and score.py alone, so the solver's optimum can be compared with the true one."""

from __future__ import annotations

import itertools

from ptghub.planner import score
from ptghub.planner.checker import check
from ptghub.planner.instance import Cell, Instance, Placement, Schedule


def within_wishes(instance: Instance, schedule: Schedule) -> bool:
    """The solver's own rule beyond the hard ones: no team gets more own minutes than its
    demand, nor a joint session more than its length, beyond what fixed cells give."""
    minutes = {slot.key: slot.minutes for slot in instance.slots}
    own: dict[str, list[int]] = {team: [0, 0] for team in instance.needs}  # [all, fixed]
    joint = {key: [0, 0] for key in score.joint_wanted(instance)}
    for cell, placement in schedule.items():
        fixed = instance.fixed.get(cell) == placement
        keys = [(placement.team, guest) for guest in placement.guests]
        for counts in [own.get(placement.team)] if not keys else [joint.get(k) for k in keys]:
            if counts is not None:
                counts[0] += minutes[cell[1]]
                counts[1] += minutes[cell[1]] if fixed else 0
    return all(
        got <= max(instance.demand(team), fixed) for team, (got, fixed) in own.items()
    ) and all(
        got <= max(wanted, fixed)
        for (key, wanted), (got, fixed) in zip(
            score.joint_wanted(instance).items(), joint.values(), strict=True
        )
    )


def brute_force(instance: Instance) -> list[dict[Cell, Placement]]:
    """Every schedule that keeps the hard rules (by the checker) and the wishes."""
    cells = [(room.key, slot.key) for room in instance.rooms for slot in instance.slots]
    options: list[Placement | None] = [None]
    for team, needs in instance.needs.items():
        options.append(Placement(team))
        options += [Placement(team, (guest,)) for guest, _ in needs.joint]
    found = []
    for combo in itertools.product(options, repeat=len(cells)):
        schedule = {cell: p for cell, p in zip(cells, combo, strict=True) if p is not None}
        if not check(instance, schedule) and within_wishes(instance, schedule):
            found.append(schedule)
    return found


def lexicographic_best(instance: Instance) -> tuple[tuple[int, int], int, int]:
    """(hours), then the least disruption, then the least soft cost, by brute force."""
    schedules = brute_force(instance)
    hours = max(score.hours(instance, s) for s in schedules)
    schedules = [s for s in schedules if score.hours(instance, s) == hours]
    moved = min(score.disruption(instance, s) for s in schedules)
    schedules = [s for s in schedules if score.disruption(instance, s) == moved]
    return hours, moved, min(score.soft_cost(instance, s) for s in schedules)
