"""What the CP-SAT models know about an instance: its session kinds and indexes.

``Facts`` numbers the rooms and slots, groups the slots by day and by shared moment,
and sums what the fixed cells already give each team, so that the models (cpmodel.py)
and the decomposition bound (bound.py) state their rules over small integers. A
``Kind`` is a kind of session: a team's own, or a joint session (host, guest).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ptghub.planner import score
from ptghub.planner.instance import Instance, Placement, PlanSlot


@dataclass(frozen=True)
class Kind:
    """A kind of session: a team's own (no guest) or a joint session with one guest."""

    host: str
    guests: tuple[str, ...]
    size: int  # seats needed: the largest room_size of its teams (0: any room)
    cap: int  # minutes it may still get beyond the fixed cells

    @property
    def teams(self) -> tuple[str, ...]:
        return (self.host, *self.guests)

    @property
    def placement(self) -> Placement:
        return Placement(self.host, self.guests)


class Facts:
    """Indexes of the instance, shared by the stage models."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.slots: list[PlanSlot] = list(instance.slots)
        self.rooms = list(instance.rooms)
        self.slot_index = {slot.key: i for i, slot in enumerate(self.slots)}
        self.room_index = {room.key: i for i, room in enumerate(self.rooms)}
        self.minutes = [slot.minutes for slot in self.slots]
        self.days: list[date] = sorted({slot.day for slot in self.slots})
        order = score.day_order(instance)
        self.day_slots = [[self.slot_index[s.key] for s in order[day]] for day in self.days]
        self.day_of = {s: d for d, slots in enumerate(self.day_slots) for s in slots}
        self.moments = self._moments()
        self.overlapping = [
            [j for j, other in enumerate(self.slots) if score.overlap_minutes(slot, other) > 0]
            for slot in self.slots
        ]
        self.fixed: dict[tuple[int, int], Placement] = {
            (self.room_index[r], self.slot_index[s]): p
            for (r, s), p in instance.fixed.items()
            if r in self.room_index and s in self.slot_index
        }
        self.fixed_cells = set(instance.fixed)
        self.free = [
            [
                slot.key not in instance.frozen_slots
                and (room.key, slot.key) not in instance.unavailable
                and (r, s) not in self.fixed
                for s, slot in enumerate(self.slots)
            ]
            for r, room in enumerate(self.rooms)
        ]
        self.hard: dict[str, set[str]] = defaultdict(set)
        for pair in instance.hard_clashes():
            a, b = sorted(pair)
            self.hard[a].add(b)
            self.hard[b].add(a)
        self._fixed_totals()
        self.joint_wanted = score.joint_wanted(instance)
        self.wanted = score.wanted_minutes(instance)
        self.kinds = self._kinds()

    def _moments(self) -> list[list[int]]:
        """Sets of slots that share a moment: a team is in at most one of each."""
        cliques: list[list[int]] = []
        for slots in self.day_slots:
            for s in slots:
                at = self.slots[s].start
                clique = [j for j in slots if self.slots[j].start <= at < self.slots[j].end]
                if clique not in cliques:
                    cliques.append(clique)
        return cliques

    def _fixed_totals(self) -> None:
        self.fixed_busy: dict[str, set[int]] = defaultdict(set)  # slots overlapping them
        self.fixed_at: dict[str, set[int]] = defaultdict(set)
        self.fixed_day: dict[tuple[str, int], int] = defaultdict(int)
        self.fixed_total: dict[str, int] = defaultdict(int)
        self.fixed_own: dict[str, int] = defaultdict(int)
        self.fixed_joint: dict[tuple[str, str], int] = defaultdict(int)
        for (_, s), placement in self.fixed.items():
            minutes = self.minutes[s]
            for team in placement.teams:
                self.fixed_busy[team].update(self.overlapping[s])
                self.fixed_at[team].add(s)
                self.fixed_day[(team, self.day_of[s])] += minutes
                self.fixed_total[team] += minutes
            if not placement.guests:
                self.fixed_own[placement.team] += minutes
            for guest in placement.guests:
                self.fixed_joint[(placement.team, guest)] += minutes

    def needs_of(self, team: str) -> int:
        needs = self.instance.needs.get(team)
        return (needs.room_size or 0) if needs else 0

    def day_cap(self, team: str) -> int | None:
        needs = self.instance.needs.get(team)
        caps = [
            self.instance.rules.max_minutes_per_day,
            needs.max_minutes_per_day if needs else None,
        ]
        return min((c for c in caps if c is not None), default=None)

    def day_left(self, team: str, day: int) -> int | None:
        cap = self.day_cap(team)
        return None if cap is None else max(0, cap - self.fixed_day[(team, day)])

    def total_left(self, team: str) -> int | None:
        cap = self.instance.rules.max_minutes_total
        return None if cap is None else max(0, cap - self.fixed_total[team])

    def fits(self, room: int, size: int) -> bool:
        capacity = self.rooms[room].capacity
        return capacity is None or capacity >= size

    def _kinds(self) -> list[Kind]:
        instance = self.instance
        kinds = []
        for team in instance.needs:
            cap = max(0, instance.demand(team) - self.fixed_own[team])
            kinds.append(Kind(team, (), self.needs_of(team), cap))
        for (host, guest), minutes in self.joint_wanted.items():
            if guest in self.hard[host]:
                continue  # they may never meet; explain.unmet says so
            size = max(self.needs_of(host), self.needs_of(guest))
            cap = max(0, minutes - self.fixed_joint[(host, guest)])
            kinds.append(Kind(host, (guest,), size, cap))
        return [kind for kind in kinds if kind.cap > 0]

    def allowed(self, kind: Kind, s: int) -> bool:
        """Whether a session of ``kind`` may be placed at slot ``s`` (rooms aside)."""
        instance = self.instance
        slot = self.slots[s]
        minutes = self.minutes[s]
        if slot.key in instance.frozen_slots or minutes > kind.cap:
            return False
        if slot.day in instance.rules.cross_project_days:
            for team in kind.teams:
                needs = instance.needs.get(team)
                if needs is None or not needs.cross_project:
                    return False
        for team in kind.teams:
            if s in self.fixed_busy[team]:
                return False
            if any(s in self.fixed_busy[other] for other in self.hard[team]):
                return False
            day_left = self.day_left(team, self.day_of[s])
            total_left = self.total_left(team)
            if (day_left is not None and day_left < minutes) or (
                total_left is not None and total_left < minutes
            ):
                return False
        return True

    def rooms_for(self, kind: Kind, s: int) -> list[int]:
        return [r for r in range(len(self.rooms)) if self.free[r][s] and self.fits(r, kind.size)]
