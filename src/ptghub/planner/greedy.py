"""A greedy planner: the benchmark's baseline, and the fallback without OR-Tools.

Deterministic and fast (well under a second for 60 teams). It never breaks a hard rule:
every block it places is checked against what is already placed (cells taken, teams
busy, hard clashes, room sizes, caps, cross-project days, frozen slots).

How it works:

1. The fixed cells are placed first; then, when re-planning, the cells of ``previous``
   that still fit (oldest first, as long as the team still wants the minutes), so that
   little moves.
2. Joint sessions are placed next (they need two teams free at once), then the teams'
   own sessions, in rounds: each round gives every team that still wants minutes one
   block of contiguous slots in one room on one day (at most what its caps leave for
   that day), so that no team is starved by those served before it.
3. Teams are served most constrained first: most hard clashes, then largest room size,
   then largest demand (name last, for determinism).
4. Among the feasible blocks, a team takes the cheapest: each minute placed is worth
   ``MINUTE``, far more than any soft term; the soft terms are priced with the weights
   of ``score`` (soft clashes, minutes outside the preferred days or windows, a second
   room or block on a day, a joint session in parts, onboarding not on the first day).
   Ties go to the earliest day, slot and room.

As in ``score``: a team wants ``Instance.demand`` minutes of its own sessions, plus the
joint sessions it hosts; a guest's minutes count towards its caps, not its wish.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from time import perf_counter

from ptghub.planner import score
from ptghub.planner.instance import Cell, Instance, Placement, Plan, PlanSlot
from ptghub.planner.score import (
    W_BLOCK,
    W_DAY,
    W_ONBOARD,
    W_SPLIT,
    joint_wanted,
    outside_windows,
    overlap_minutes,
)

MINUTE = 10_000  # value of a minute placed: placing hours comes before every soft wish


def greedy(instance: Instance) -> Plan:
    """A schedule that keeps every hard rule, built greedily (method "greedy")."""
    started = perf_counter()
    schedule = _Greedy(instance).run()
    return Plan(schedule=schedule, method="greedy", seconds=perf_counter() - started)


@dataclass(frozen=True)
class _Block:
    cost: float
    day: int
    start: int
    room: int
    slots: tuple[int, ...]


class _Greedy:
    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.slots: list[PlanSlot] = list(instance.slots)
        self.rooms = list(instance.rooms)
        self.room_index = {room.key: i for i, room in enumerate(self.rooms)}
        self.slot_index = {slot.key: i for i, slot in enumerate(self.slots)}
        self.days: list[date] = sorted({slot.day for slot in self.slots})
        self.day_of = [self.days.index(slot.day) for slot in self.slots]
        self.day_slots: list[list[int]] = [[] for _ in self.days]
        for i in sorted(range(len(self.slots)), key=lambda i: self.slots[i].start):
            self.day_slots[self.day_of[i]].append(i)
        self.minutes = [slot.minutes for slot in self.slots]
        self.overlaps = [
            [j for j, other in enumerate(self.slots) if self._overlap(slot, other)]
            for slot in self.slots
        ]
        frozen = instance.frozen_slots
        self.open = {
            (r, i)
            for r, room in enumerate(self.rooms)
            for i, slot in enumerate(self.slots)
            if slot.key not in frozen and (room.key, slot.key) not in instance.unavailable
        }
        self.schedule: dict[Cell, Placement] = {}
        self.blocked: dict[str, set[int]] = defaultdict(set)  # slots where a team is busy
        self.clashing: dict[str, set[int]] = defaultdict(set)  # ... or a hard clash is
        self.soft_at: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.day_used: dict[str, list[int]] = defaultdict(lambda: [0] * len(self.days))
        self.total_used: dict[str, int] = defaultdict(int)
        self.cells_of: dict[str, list[tuple[int, int]]] = defaultdict(list)  # (room, slot)
        self.hard: dict[str, set[str]] = defaultdict(set)
        for pair in instance.hard_clashes():
            a, b = sorted(pair)
            self.hard[a].add(b)
            self.hard[b].add(a)
        self.soft: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for pair, weight in sorted(instance.soft_clashes().items(), key=lambda p: sorted(p[0])):
            a, b = sorted(pair)
            self.soft[a].append((b, weight))
            self.soft[b].append((a, weight))
        self.wanted = {team: instance.demand(team) for team in instance.needs}
        self.joint_wanted = joint_wanted(instance)
        self.joint_parts: dict[tuple[str, str], int] = defaultdict(int)
        self.first_day = 0

    @staticmethod
    def _overlap(a: PlanSlot, b: PlanSlot) -> bool:
        return a.day == b.day and a.start < b.end and b.start < a.end

    # -- bookkeeping ----------------------------------------------------------------

    def _place(self, room: int, slot: int, placement: Placement) -> None:
        cell = (self.rooms[room].key, self.slots[slot].key)
        self.schedule[cell] = placement
        self.open.discard((room, slot))
        minutes = self.minutes[slot]
        for team in placement.teams:
            self.blocked[team].update(self.overlaps[slot])
            for other in self.hard[team]:
                self.clashing[other].update(self.overlaps[slot])
            for other, weight in self.soft[team]:
                for j in self.overlaps[slot]:
                    common = overlap_minutes(self.slots[slot], self.slots[j])
                    self.soft_at[other][j] += weight * common
            self.day_used[team][self.day_of[slot]] += minutes
            self.total_used[team] += minutes
            self.cells_of[team].append((room, slot))
        if placement.team in self.wanted and not placement.guests:
            self.wanted[placement.team] -= minutes
        for guest in placement.guests:
            key = (placement.team, guest)
            if key in self.joint_wanted:
                self.joint_wanted[key] -= minutes

    def _day_cap(self, team: str) -> int | None:
        caps = [self.instance.rules.max_minutes_per_day]
        needs = self.instance.needs.get(team)
        caps.append(needs.max_minutes_per_day if needs else None)
        return min((cap for cap in caps if cap is not None), default=None)

    def _cap_left(self, team: str, day: int) -> int:
        """Minutes the team's caps still allow on that day."""
        left = 10**9
        cap = self._day_cap(team)
        if cap is not None:
            left = cap - self.day_used[team][day]
        total = self.instance.rules.max_minutes_total
        if total is not None:
            left = min(left, total - self.total_used[team])
        return left

    def _fits_room(self, room: int, teams: tuple[str, ...]) -> bool:
        capacity = self.rooms[room].capacity
        if capacity is None:
            return True
        for team in teams:
            needs = self.instance.needs.get(team)
            if needs is not None and needs.room_size is not None and needs.room_size > capacity:
                return False
        return True

    def _may_meet_on(self, day: int, teams: tuple[str, ...]) -> bool:
        if self.days[day] not in self.instance.rules.cross_project_days:
            return True
        for team in teams:
            needs = self.instance.needs.get(team)
            if needs is None or not needs.cross_project:
                return False
        return True

    def _compatible(self, teams: tuple[str, ...]) -> bool:
        """The teams of one session may meet: no two of them clash."""
        return all(b not in self.hard[a] for a in teams for b in teams)

    def _free(self, slot: int, teams: tuple[str, ...]) -> bool:
        return all(slot not in self.blocked[t] and slot not in self.clashing[t] for t in teams)

    # -- the plan -------------------------------------------------------------------

    def run(self) -> dict[Cell, Placement]:
        for cell, placement in self.instance.fixed.items():
            room, slot = self.room_index.get(cell[0]), self.slot_index.get(cell[1])
            if room is not None and slot is not None:
                self._place(room, slot, placement)
        self._keep_previous()
        order = self._order()
        rank = {team: i for i, team in enumerate(order)}
        for host, guest in sorted(self.joint_wanted, key=lambda j: (rank[j[0]], j[1])):
            self._serve((host, guest))
        progress = True
        while progress:
            progress = False
            for team in order:
                if self.wanted[team] > 0 and self._serve((team,)):
                    progress = True
        return self.schedule

    def _order(self) -> list[str]:
        def key(team: str) -> tuple[int, int, int, str]:
            needs = self.instance.needs[team]
            return (-len(self.hard[team]), -(needs.room_size or 0), -self.wanted[team], team)

        return sorted(self.instance.needs, key=key)

    def _keep_previous(self) -> None:
        """Previous cells that still keep every rule, while their teams still want them."""
        cells = [
            (self.slot_index[s], self.room_index[r], placement)
            for (r, s), placement in self.instance.previous.items()
            if r in self.room_index and s in self.slot_index and (r, s) not in self.schedule
        ]
        for slot, room, placement in sorted(cells, key=lambda c: (c[0], c[1])):
            teams = placement.teams
            host = placement.team
            if host not in self.instance.needs or len(set(teams)) != len(teams):
                continue
            if any((host, guest) not in self.joint_wanted for guest in placement.guests):
                continue
            minutes = self.minutes[slot]
            if placement.guests:
                if any(self.joint_wanted[(host, g)] < minutes for g in placement.guests):
                    continue
            elif self.wanted[host] < minutes:
                continue
            if self._allowed(room, slot, teams):
                self._place(room, slot, placement)

    def _allowed(self, room: int, slot: int, teams: tuple[str, ...]) -> bool:
        day = self.day_of[slot]
        return (
            (room, slot) in self.open
            and self._compatible(teams)
            and self._free(slot, teams)
            and self._fits_room(room, teams)
            and self._may_meet_on(day, teams)
            and all(self._cap_left(t, day) >= self.minutes[slot] for t in teams)
        )

    def _serve(self, teams: tuple[str, ...]) -> bool:
        """Place one block for ``teams`` (a host, maybe a guest); False when none fits.

        A joint session is served until it is placed or nothing fits, a team's own
        sessions one block per call.
        """
        placed_any = False
        if not self._compatible(teams):
            return False
        while True:
            want = self.joint_wanted[teams] if len(teams) == 2 else self.wanted[teams[0]]
            if want <= 0:
                return placed_any
            block = self._best_block(teams, want)
            if block is None:
                return placed_any
            host = Placement(teams[0], teams[1:])
            for slot in block.slots:
                self._place(block.room, slot, host)
            if len(teams) == 2:
                self.joint_parts[(teams[0], teams[1])] += 1
            placed_any = True
            if len(teams) == 1:
                return True

    def _best_block(self, teams: tuple[str, ...], want: int) -> _Block | None:
        best: _Block | None = None
        shortest = min(self.minutes, default=0)
        for day, day_slots in enumerate(self.day_slots):
            if not self._may_meet_on(day, teams):
                continue
            limit = min([want] + [self._cap_left(t, day) for t in teams])
            if limit < shortest:
                continue
            usable = {i for i in day_slots if self._free(i, teams)}
            if not usable:
                continue
            slot_cost = {i: self._slot_cost(i, teams) for i in usable}
            onboarding = self._onboarding_short(teams[0], day)
            for room in range(len(self.rooms)):
                if not self._fits_room(room, teams):
                    continue
                room_cost = sum(self._room_cost(team, day, room) for team in teams)
                if len(teams) == 2 and self.joint_parts[(teams[0], teams[1])]:
                    room_cost += W_SPLIT
                for pos, start in enumerate(day_slots):
                    if start not in usable or (room, start) not in self.open:
                        continue
                    minutes, cost, taken = 0, 0.0, []
                    for slot in day_slots[pos:]:
                        if slot not in usable or (room, slot) not in self.open:
                            break
                        if minutes + self.minutes[slot] > limit:
                            break
                        minutes += self.minutes[slot]
                        cost += slot_cost[slot]
                        taken.append(slot)
                        blocks = sum(self._block_cost(team, day, taken) for team in teams)
                        bonus = W_ONBOARD * min(minutes, onboarding)
                        total = cost + room_cost + blocks - bonus - MINUTE * minutes
                        candidate = _Block(total, day, pos, room, tuple(taken))
                        if best is None or _better(candidate, best):
                            best = candidate
        return best

    def _slot_cost(self, slot: int, teams: tuple[str, ...]) -> float:
        """The soft terms a slot costs, per ``score``: clashes, days, windows."""
        minutes = self.minutes[slot]
        cost = 0.0
        for team in teams:
            cost += self.soft_at[team].get(slot, 0)
            needs = self.instance.needs.get(team)
            if needs is None:
                continue
            if needs.preferred_days and self.slots[slot].day not in needs.preferred_days:
                cost += W_DAY * minutes
            cost += score.W_WINDOW * outside_windows(self.slots[slot], self.instance.windows(team))
        return cost

    def _onboarding_short(self, team: str, day: int) -> int:
        """Minutes of onboarding the team still lacks on the first day (0 on others)."""
        needs = self.instance.needs.get(team)
        if day != self.first_day or needs is None or not needs.onboarding:
            return 0
        return max(0, self.instance.rules.onboarding_minutes - self.day_used[team][day])

    def _room_cost(self, team: str, day: int, room: int) -> float:
        # the rooms term counts over the whole event: any other day's room counts
        rooms = {
            r for r, s in self.cells_of[team] if not score.ROOMS_PER_DAY or self.day_of[s] == day
        }
        return score.W_ROOM if rooms and room not in rooms else 0

    def _block_cost(self, team: str, day: int, taken: list[int]) -> float:
        mine = [s for _, s in self.cells_of[team] if self.day_of[s] == day]
        if not mine:
            return 0
        order = self.day_slots[day]
        first, last = order.index(taken[0]), order.index(taken[-1])
        for slot in mine:
            if order.index(slot) in (first - 1, last + 1):
                return 0
        return W_BLOCK


def _better(a: _Block, b: _Block) -> bool:
    return (a.cost, a.day, a.start, a.room) < (b.cost, b.day, b.start, b.room)
