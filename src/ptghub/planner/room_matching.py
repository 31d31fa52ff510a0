"""Rooms for the sessions a CP-SAT solution holds (see solver.py).

The model without rooms only says which kind of session is held in which slot (Hall's
condition makes sure rooms exist); between solves, a matching gives each session a room,
preferring the hint's room and the room the team had last (on any day: the rooms term
counts over the whole event), so that teams stay put. Sessions the solution pins to a
room (its ``x``) keep it.
"""

from __future__ import annotations

from collections.abc import Mapping

from ortools.sat.python import cp_model

from ptghub.planner import score
from ptghub.planner.cpvariables import CpVariables
from ptghub.planner.facts import Facts
from ptghub.planner.instance import Cell, Placement, Schedule


def held_sessions(
    facts: Facts, schedule: Schedule
) -> tuple[set[tuple[int, int]], dict[tuple[int, int], int]]:
    """The (kind, slot) pairs a schedule holds (fixed cells aside), with their rooms."""
    kind_of = {kind.placement: k for k, kind in enumerate(facts.kinds)}
    pinned = {}
    for (room, slot), placement in schedule.items():
        k = kind_of.get(placement)
        r, s = facts.room_index.get(room), facts.slot_index.get(slot)
        if (
            k is not None
            and r is not None
            and s is not None
            and (room, slot) not in facts.fixed_cells
        ):
            pinned[(k, s)] = r
    return set(pinned), pinned


def solution_schedule(
    facts: Facts, model: CpVariables, values: Mapping[cp_model.IntVar, int], hint: Schedule
) -> dict[Cell, Placement]:
    """The schedule of a solution: its held sessions, in the rooms ``_assign_rooms`` gives."""
    held, pinned = model.chosen(values)
    return _assign_rooms(facts, held, pinned, hint)


def _assign_rooms(
    facts: Facts,
    held: set[tuple[int, int]],
    pinned: Mapping[tuple[int, int], int],
    hint: Schedule,
) -> dict[Cell, Placement]:
    """The schedule: fixed cells, the pinned sessions in their rooms, and rooms for the
    others by a matching (Kuhn's augmenting paths; Hall's condition in the model makes it
    complete) that tries the hint's room first, then the kind's room in the slot before,
    then the smallest room that fits, so that teams stay put all week."""
    _, hint_rooms = held_sessions(facts, hint)
    schedule = dict(facts.instance.fixed)
    room_before: dict[int, int] = {}
    for day_slots in facts.day_slots:
        if score.ROOMS_PER_DAY:
            room_before.clear()
        for s in day_slots:
            kinds = sorted((k for k, ss in held if ss == s), key=lambda k: -facts.kinds[k].size)
            options = {}
            for k in kinds:
                if (k, s) in pinned:
                    options[k] = [pinned[(k, s)]]
                    continue
                fitting = sorted(
                    facts.rooms_for(facts.kinds[k], s),
                    key=lambda r: (facts.rooms[r].capacity or 10**9, r),
                )
                preferred = [hint_rooms.get((k, s)), room_before.get(k)]
                first = [r for r in preferred if r is not None and r in fitting]
                options[k] = list(dict.fromkeys(first + fitting))
            order = sorted(kinds, key=lambda k: (k, s) not in pinned)
            for k, r in _matching(order, options).items():
                schedule[(facts.rooms[r].key, facts.slots[s].key)] = facts.kinds[k].placement
                room_before[k] = r
    return schedule


def _matching(kinds: list[int], options: Mapping[int, list[int]]) -> dict[int, int]:
    owner: dict[int, int] = {}

    def augment(k: int, seen: set[int]) -> bool:
        for r in options[k]:
            if r in seen:
                continue
            seen.add(r)
            if r not in owner or augment(owner[r], seen):
                owner[r] = k
                return True
        return False

    for k in kinds:
        if not augment(k, set()):
            raise AssertionError("the model held more sessions in a slot than rooms fit")
    return {k: r for r, k in owner.items()}
