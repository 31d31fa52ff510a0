"""Checks every hard rule of a schedule, on its own: it shares no code with the solver.

``check(instance, schedule, names)`` returns one ``Violation`` per broken rule and place;
an empty list means the schedule may be published. Its messages are for organizers: teams,
rooms and slots by their plain names (``names.Names``: "Nova", "Austin", "Mon 4 Apr 13:00
UTC"; without ``names``, keys, and slots by their day and start). It is deliberately
plain (loops over cells and teams, no cleverness), so that a solver bug cannot hide
behind a shared helper. Rules (``Violation.rule``):

- ``cell``: the cell's room and slot exist and the cell is not ``unavailable``;
- ``placement``: a placement names each team once (the host is not its own guest);
- ``one-room``: a team, host or guest, is in one cell at a time (slots whose times
  overlap on the same day count as the same time);
- ``room-size``: the room's capacity fits the ``room_size`` of every team of the
  placement (a joint session needs a room its guests fit in too; no capacity fits all).
  Fixed cells are exempt: a chair who booked a small room, or the past, chose it;
- ``hard-clash``: two teams of a hard clash (``avoid``, either side) never meet at the
  same time, not even in one joint session. The past never breaks it: when a clash is
  declared after two teams met, their cells in frozen slots stay as they were and a
  re-plan must still be possible (pins and bookings that clash are refused: they can be
  changed);
- ``day-cap`` / ``total-cap``: a team's minutes, hosted or as a guest, stay within its
  own ``max_minutes_per_day`` and the rules' caps. Fixed cells count towards a cap but
  never break it by themselves: the rule is broken only when a team has minutes beyond
  its fixed ones and its total exceeds the cap;
- ``cross-project``: on ``cross_project_days`` every team placed is a cross-project team,
  unless its cell is fixed (booked, pinned or past);
- ``fixed``: every fixed cell holds exactly its fixed placement;
- ``frozen``: a frozen slot holds nothing beyond its fixed cells;
- ``unknown-team``: a team placed outside the fixed cells has a needs entry, or is the
  guest of a joint session its host asked for (the guest needs no entry of its own).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, time

from ptghub.planner.instance import Cell, Instance, Placement, PlanSlot, Schedule
from ptghub.planner.names import Names

RULES = (
    "cell",
    "placement",
    "one-room",
    "room-size",
    "hard-clash",
    "day-cap",
    "total-cap",
    "cross-project",
    "fixed",
    "frozen",
    "unknown-team",
)


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    cells: tuple[Cell, ...] = ()


def check(instance: Instance, schedule: Schedule, names: Names | None = None) -> list[Violation]:
    """Every hard rule that ``schedule`` breaks for ``instance``, in the order of RULES,
    each told with ``names`` (default: keys, slots by their day and start)."""
    return _Checker(instance, schedule, names or Names.of_slots(instance.slots)).run()


def _hours(minutes: int) -> str:
    hours = minutes / 60
    return f"{hours:g} h"


class _Checker:
    def __init__(self, instance: Instance, schedule: Schedule, names: Names) -> None:
        self.instance = instance
        self.names = names
        self.team = names.team
        self.schedule = schedule
        self.rooms = {room.key: room for room in instance.rooms}
        self.slots = {slot.key: slot for slot in instance.slots}
        self.found: list[Violation] = []
        # Cells that can be located in time; the other rules look only at these.
        self.known: dict[Cell, Placement] = {}
        self.by_team: dict[str, list[Cell]] = defaultdict(list)

    def run(self) -> list[Violation]:
        self._cells()
        self._placements()
        self._one_room()
        self._room_size()
        self._hard_clashes()
        self._caps()
        self._cross_project()
        self._fixed()
        self._frozen()
        self._unknown_teams()
        order = {rule: i for i, rule in enumerate(RULES)}
        return sorted(self.found, key=lambda v: order[v.rule])

    def _add(self, rule: str, message: str, *cells: Cell) -> None:
        self.found.append(Violation(rule, message, tuple(cells)))

    def _is_fixed(self, cell: Cell) -> bool:
        return self.instance.fixed.get(cell) == self.schedule.get(cell)

    def _cells(self) -> None:
        for cell, placement in self.schedule.items():
            room, slot = cell
            if room not in self.rooms or slot not in self.slots:
                missing = [f"room {self.names.room(room)}"] if room not in self.rooms else []
                missing += [f"slot {self.names.slot(slot)}"] if slot not in self.slots else []
                self._add(
                    "cell",
                    f"{self.team(placement.team)} is placed in {self.at(cell)}, but there is "
                    f"no {' and no '.join(missing)}.",
                    cell,
                )
                continue
            if cell in self.instance.unavailable:
                self._add(
                    "cell",
                    f"{self.team(placement.team)} is placed in {self.at(cell)}, which is "
                    "unavailable.",
                    cell,
                )
            self.known[cell] = placement
            for team in dict.fromkeys(placement.teams):
                self.by_team[team].append(cell)

    def _placements(self) -> None:
        for cell, placement in self.schedule.items():
            teams = placement.teams
            repeated = sorted({team for team in teams if teams.count(team) > 1})
            if repeated:
                self._add(
                    "placement",
                    f"The session in {self.at(cell)} names "
                    f"{', '.join(self.team(t) for t in repeated)} more than once; a joint "
                    "session's guests differ from its host.",
                    cell,
                )

    def _overlap(self, a: PlanSlot, b: PlanSlot) -> bool:
        return a.day == b.day and a.start < b.end and b.start < a.end

    def _meetings(self, cells_a: list[Cell], cells_b: list[Cell]) -> list[tuple[Cell, Cell]]:
        """Pairs of distinct cells (one from each list) whose slots overlap in time."""
        pairs = []
        for a in cells_a:
            for b in cells_b:
                if a != b and self._overlap(self.slots[a[1]], self.slots[b[1]]):
                    pairs.append((a, b))
        return pairs

    def _one_room(self) -> None:
        for team, cells in sorted(self.by_team.items()):
            ordered = sorted(cells, key=self._cell_order)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    if self._overlap(self.slots[a[1]], self.slots[b[1]]):
                        if a[1] == b[1]:
                            message = (
                                f"{self.team(team)} is in {self.names.room(a[0])} and "
                                f"{self.names.room(b[0])} at {self.names.slot(a[1])}."
                            )
                        else:
                            message = (
                                f"{self.team(team)} is in {self.at(a)} and in {self.at(b)}, "
                                "which overlap."
                            )
                        self._add("one-room", message, a, b)

    def _cell_order(self, cell: Cell) -> tuple[date, time, str]:
        slot = self.slots[cell[1]]
        return (slot.day, slot.start, cell[0])

    def _room_size(self) -> None:
        for cell, placement in self.known.items():
            capacity = self.rooms[cell[0]].capacity
            if capacity is None or self._is_fixed(cell):
                continue  # a chair who booked a small room chose it
            for team in placement.teams:
                needs = self.instance.needs.get(team)
                if needs is not None and needs.room_size is not None and needs.room_size > capacity:
                    self._add(
                        "room-size",
                        f"{self.team(team)} needs a room for {needs.room_size}, but "
                        f"{self.names.room(cell[0])} (at {self.names.slot(cell[1])}) holds "
                        f"{capacity}.",
                        cell,
                    )

    def _hard_clashes(self) -> None:
        for pair in sorted(self.instance.hard_clashes(), key=sorted):
            a, b = sorted(pair)
            cells_a, cells_b = self.by_team.get(a, []), self.by_team.get(b, [])
            frozen = self.instance.frozen_slots
            for cell in sorted(set(cells_a) & set(cells_b), key=self._cell_order):
                if cell[1] in frozen:
                    continue
                self._add(
                    "hard-clash",
                    f"{self.team(a)} and {self.team(b)} must not clash, but meet in one "
                    f"session in {self.at(cell)}.",
                    cell,
                )
            for ca, cb in self._meetings(cells_a, cells_b):
                if ca[1] in frozen and cb[1] in frozen:
                    continue
                when = self.names.slot(ca[1])
                if ca[1] != cb[1]:
                    when += f" and {self.names.slot(cb[1])}"
                self._add(
                    "hard-clash",
                    f"{self.team(a)} (in {self.names.room(ca[0])}) and {self.team(b)} (in "
                    f"{self.names.room(cb[0])}) must not clash, but both meet at {when}.",
                    ca,
                    cb,
                )

    def _caps(self) -> None:
        rules = self.instance.rules
        for team, cells in sorted(self.by_team.items()):
            needs = self.instance.needs.get(team)
            day_caps = [rules.max_minutes_per_day]
            day_caps.append(needs.max_minutes_per_day if needs else None)
            day_cap = min((c for c in day_caps if c is not None), default=None)
            per_day: dict[date, list[Cell]] = defaultdict(list)
            for cell in cells:
                per_day[self.slots[cell[1]].day].append(cell)
            if day_cap is not None:
                for day, day_cells in sorted(per_day.items()):
                    when = f"on {day:%a} {day.day} {day:%b}"
                    self._cap("day-cap", team, day_cells, day_cap, when)
            if rules.max_minutes_total is not None:
                self._cap("total-cap", team, cells, rules.max_minutes_total, "in all")

    def _cap(self, rule: str, team: str, cells: list[Cell], cap: int, when: str) -> None:
        total = sum(self.slots[cell[1]].minutes for cell in cells)
        planned = [cell for cell in cells if not self._is_fixed(cell)]
        if total > cap and planned:
            ordered = sorted(planned, key=self._cell_order)
            self._add(
                rule,
                f"{self.team(team)} has {_hours(total)} {when}, more than the cap of "
                f"{_hours(cap)}.",
                *ordered,
            )

    def _cross_project(self) -> None:
        days = self.instance.rules.cross_project_days
        if not days:
            return
        for cell, placement in self.known.items():
            if self.slots[cell[1]].day not in days:
                continue
            for team in placement.teams:
                needs = self.instance.needs.get(team)
                if needs is not None and needs.cross_project:
                    continue
                if self._is_fixed(cell):
                    continue  # a chair's booking, a pin or the past: chosen, not planned
                self._add(
                    "cross-project",
                    f"{self.team(team)} is in {self.at(cell)}, a day kept for cross-project teams.",
                    cell,
                )

    def _fixed(self) -> None:
        for cell, wanted in self.instance.fixed.items():
            got = self.schedule.get(cell)
            if got == wanted:
                continue
            what = "nothing" if got is None else self._describe(got)
            self._add(
                "fixed",
                f"{self.at(cell)} is fixed to {self._describe(wanted)} but holds {what}.",
                cell,
            )

    def _frozen(self) -> None:
        for cell, placement in self.schedule.items():
            if cell[1] in self.instance.frozen_slots and cell not in self.instance.fixed:
                self._add(
                    "frozen",
                    f"{self.team(placement.team)} is placed in {self.at(cell)}, a slot that "
                    "has begun.",
                    cell,
                )

    def _unknown_teams(self) -> None:
        needs = self.instance.needs
        for cell, placement in self.schedule.items():
            if self._is_fixed(cell):
                continue
            if placement.team not in needs:
                self._add(
                    "unknown-team",
                    f"{self.team(placement.team)} is placed in {self.at(cell)} but has no needs.",
                    cell,
                )
                continue
            asked = {other for other, _ in needs[placement.team].joint}
            for guest in placement.guests:
                if guest not in asked:
                    self._add(
                        "unknown-team",
                        f"{self.team(guest)} is a guest of {self.team(placement.team)} in "
                        f"{self.at(cell)}, but {self.team(placement.team)} asked for no "
                        f"joint session with {self.team(guest)}.",
                        cell,
                    )

    def at(self, cell: Cell) -> str:
        """``Austin on Mon 4 Apr 13:00 UTC``."""
        return self.names.cell(*cell)

    def _describe(self, placement: Placement) -> str:
        if not placement.guests:
            return self.team(placement.team)
        return f"{self.team(placement.team)} with {', '.join(map(self.team, placement.guests))}"
