"""The CP-SAT model of the planner: variables, hard rules and objectives (see solver.py).

Sessions come in kinds: a team's own sessions, and each joint session (host, guest).
``y[kind, slot]`` says a session of that kind is held in that slot; the rooms come either
from Hall's condition (per slot and size k, the sessions needing at least k seats are no
more than the free rooms of at least k seats: exact for nested room sets, and small) or
from ``x[kind, room, slot]``. The model without rooms still has ``x`` for the cells of the
previous plan, so that keeping them (stage 2) is exact: a kept cell takes its room out of
Hall's count. Fixed cells are constants.

Every objective term is stated exactly (each auxiliary variable is pinned to its
definition both ways), so a solution's objective is the ``score`` of its schedule.

The model is built in layers: facts.py (the instance's kinds and indexes),
cpvariables.py (the variables and the literals made from them), soft_objective.py (stage
3's objective), and here the hard rules, the served hours and fairness (stage 1) and the
disruption (stage 2). Each layer adds its variables and constraints in a fixed order, so
that a model is the same for the same instance and hint, and a solve under a work limit
repeatable.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from ptghub.planner import score
from ptghub.planner.soft_objective import SoftObjective


class CpModel(SoftObjective):
    """The model the solver runs: the variables (``CpVariables``, whose arguments it
    takes), the hard rules and served hours added over them, and the objectives of the
    three stages."""

    def _add_rules(self) -> None:
        self._constraints()
        self._hours()

    def _constraints(self) -> None:
        facts = self.facts
        model = self.model
        teams = sorted(self.by_team)
        for team in teams:
            for clique in facts.moments:
                busy = [y for s in clique for y in self.team_at(team, s)]
                if len(busy) > 1:
                    model.add(sum(busy) <= 1)
            for d, day_slots in enumerate(facts.day_slots):
                left = facts.day_left(team, d)
                terms = [(facts.minutes[s], y) for s in day_slots for y in self.team_at(team, s)]
                if left is not None and sum(m for m, _ in terms) > left:
                    model.add(sum(m * y for m, y in terms) <= left)
            total_left = facts.total_left(team)
            terms = [
                (facts.minutes[s], y)
                for s in range(len(facts.slots))
                for y in self.team_at(team, s)
            ]
            if total_left is not None and sum(m for m, _ in terms) > total_left:
                model.add(sum(m * y for m, y in terms) <= total_left)
        for a in teams:
            for b in sorted(facts.hard[a]):
                if b <= a or b not in self.by_team:
                    continue
                for clique in facts.moments:
                    busy = [y for s in clique for y in self.team_at(a, s) + self.team_at(b, s)]
                    if len(busy) > 1:
                        model.add(sum(busy) <= 1)
        for k, kind in enumerate(facts.kinds):
            terms = [(facts.minutes[s], y) for (kk, s), y in self.y.items() if kk == k]
            if sum(m for m, _ in terms) > kind.cap:
                model.add(sum(m * y for m, y in terms) <= kind.cap)
        self._room_constraints()

    def _room_constraints(self) -> None:
        """Hall's condition per slot and size (a session in a room larger than it needs
        takes that room from the larger sizes), and one session per cell for ``x``."""
        facts = self.facts
        at_slot: dict[int, list[int]] = defaultdict(list)
        for k, s in self.y:
            at_slot[s].append(k)
        pinned: dict[int, list[tuple[int, int, cp_model.IntVar]]] = defaultdict(list)
        for (k, r, s), x in self.x.items():
            pinned[s].append((k, r, x))
        sizes = sorted({kind.size for kind in facts.kinds})
        for s, kinds in at_slot.items():
            for size in sizes:
                wanting = [self.y[(k, s)] for k in kinds if facts.kinds[k].size >= size]
                if not self.rooms:
                    wanting += [
                        x
                        for k, r, x in pinned[s]
                        if facts.kinds[k].size < size and facts.fits(r, size)
                    ]
                free = sum(
                    1 for r in range(len(facts.rooms)) if facts.free[r][s] and facts.fits(r, size)
                )
                if len(wanting) > free:
                    self.model.add(sum(wanting) <= free)
        cells: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        for (_, r, s), x in self.x.items():
            cells[(r, s)].append(x)
        for xs in cells.values():
            if len(xs) > 1:
                self.model.add_at_most_one(xs)

    def _hours(self) -> None:
        """Served minutes per team (constant + variable part) and the fairness variable."""
        facts = self.facts
        instance = facts.instance
        self.served: dict[str, cp_model.LinearExpr] = {}
        self._fixed_served: dict[str, int] = {}
        # a part counts the teams whose kinds it holds; the others may be served in full
        self.outside = sum(wanted for team, wanted in facts.wanted.items() if not self._whole(team))
        for team in instance.needs:
            if not self._whole(team):
                continue
            const = min(facts.fixed_own[team], instance.demand(team))
            for (host, guest), minutes in facts.joint_wanted.items():
                if host == team:
                    const += min(facts.fixed_joint[(host, guest)], minutes)
            terms = [
                facts.minutes[s] * y for (k, s), y in self.y.items() if facts.kinds[k].host == team
            ]
            self.served[team] = cp_model.LinearExpr.sum(terms) + const
            self._fixed_served[team] = const
        self.fixed_total = sum(self._fixed_served.values())
        self.total = cp_model.LinearExpr.sum(list(self.served.values()))
        self.max_total = sum(facts.wanted.values())
        self.fair = self.model.new_int_var(0, score.SHARE_SCALE, "fairness")
        self.values[self.fair] = 0
        for team, wanted in facts.wanted.items():
            if wanted > 0 and team in self.served:
                self.model.add(self.fair * wanted <= score.SHARE_SCALE * self.served[team])

    def _whole(self, team: str) -> bool:
        """Whether the model holds every kind the team takes part in."""
        return self.teams is None or team in self.teams

    def keep_hours(self, fairness: int, total: int) -> None:
        for team, wanted in self.facts.wanted.items():
            if wanted > 0 and team in self.served:
                self.model.add(score.SHARE_SCALE * self.served[team] >= fairness * wanted)
        # nobody is served more than it wants: the teams outside a part serve at most that
        self.model.add(self.total >= total - self.outside)
        self.model.add(self.fair >= fairness)
        self.values[self.fair] = fairness

    # -- stage 2 ---------------------------------------------------------------------

    def disruption(self) -> cp_model.LinearExprT:
        facts = self.facts
        kind_of = {kind.placement: k for k, kind in enumerate(facts.kinds)}
        cost: list[cp_model.LinearExprT] = []
        const = 0
        for (room, slot), was in facts.instance.previous.items():
            r, s = facts.room_index.get(room), facts.slot_index.get(slot)
            if s is None:
                continue
            minutes = facts.minutes[s]
            if r is None:
                const += minutes
                continue
            if (r, s) in facts.fixed:
                const += 0 if facts.fixed[(r, s)] == was else minutes
                continue
            k = kind_of.get(was)
            x = self.x.get((k, r, s)) if k is not None else None
            if x is None:
                const += minutes
            else:
                cost.append(minutes * (1 - x))
        return sum(cost) + const
