"""A real event's grid as a planning problem, for the benchmark and the tests.

``given_instance`` turns an event's state into an instance whose needs are what each team
was given there, and ``given_schedule`` its grid into a schedule: the organizers' own plan,
to compare the planners with (see bench/planner.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import time
from itertools import combinations

from ptghub.core.model import EventState
from ptghub.core.team_needs import PlanRules, TeamNeeds
from ptghub.planner.from_state import build_instance
from ptghub.planner.instance import Cell, Instance, Placement, PlanSlot


def given_instance(
    state: EventState, groups: Mapping[str, Iterable[str]] | None = None
) -> tuple[Instance, list[tuple[str, str]]]:
    """A real event's planning problem: each team needs the minutes it was given there.

    Rooms, slots and unavailable cells come from ``from_state.build_instance``; there
    are no caps, no room sizes and nothing fixed or previous (the grid is planned from
    scratch). Each team's ``windows`` are its usual hours: the times of day of the slots it
    was given (none when it was given every time of day): a team given only afternoons
    in UTC did not ask for the night slots that other teams asked for. Clashes are not
    recorded in an event's grid; with ``groups`` (sets of
    related teams, e.g. ``generate.GROUPS``), each related pair that the real grid kept apart
    (never at the same time) is made a hard clash: the organizers' grid is the only
    evidence of what they avoided, and it stays a feasible answer. Returns the instance
    and those pairs.
    """
    minutes: dict[str, int] = defaultdict(int)
    times: dict[str, set[str]] = defaultdict(set)
    for (_, slot), cell in state.cells.items():
        if cell.team is not None and slot in state.slots:
            minutes[cell.team] += _slot_minutes(state, slot)
            times[cell.team].add(slot)
    apart: list[tuple[str, str]] = []
    for members in (groups or {}).values():
        present = sorted(team for team in members if team in minutes)
        for a, b in combinations(present, 2):
            if not _meet(state, times[a], times[b]):
                apart.append((a, b))
    avoid: dict[str, set[str]] = defaultdict(set)
    for a, b in apart:
        avoid[a].add(b)
    base = build_instance(state)
    every = {(slot.start, slot.end) for slot in state.slots.values()}
    needs = {
        team: TeamNeeds(
            team,
            total,
            windows=_windows(
                {(state.slots[k].start, state.slots[k].end) for k in times[team]}, every
            ),
            avoid=frozenset(avoid[team]),
        )
        for team, total in sorted(minutes.items())
    }
    return replace(base, needs=needs, fixed={}, previous={}, rules=PlanRules()), apart


def _windows(
    held: set[tuple[time, time]], every: set[tuple[time, time]]
) -> tuple[tuple[time, time], ...]:
    """The times of day ``held``, adjacent ones merged; none when they are ``every`` one."""
    if held >= every:
        return ()
    merged: list[tuple[time, time]] = []
    for start, end in sorted(held):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def _slot_minutes(state: EventState, slot: str) -> int:
    s = state.slots[slot]
    return PlanSlot(slot, s.day, s.start, s.end).minutes


def _meet(state: EventState, a: set[str], b: set[str]) -> bool:
    for x in a:
        for y in b:
            sx, sy = state.slots[x], state.slots[y]
            if sx.day == sy.day and sx.start < sy.end and sy.start < sx.end:
                return True
    return False


def given_schedule(state: EventState) -> dict[Cell, Placement]:
    """The real grid itself (planned and booked cells), as a schedule."""
    return {
        cell: Placement(entry.team) for cell, entry in state.cells.items() if entry.team is not None
    }
