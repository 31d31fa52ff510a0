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
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from ortools.sat.python import cp_model

from ptghub.planner import score
from ptghub.planner.instance import Instance, Placement, PlanSlot, Schedule

Lit = cp_model.IntVar | int


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


# -- facts about the instance ------------------------------------------------------


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


def _cliques(pairs: Iterable[frozenset[str]]) -> list[tuple[str, ...]]:
    """The maximal cliques of three or more teams in a graph of pairs (Bron-Kerbosch; the
    graph is sparse and small)."""
    near: dict[str, set[str]] = defaultdict(set)
    for pair in pairs:
        a, b = sorted(pair)
        near[a].add(b)
        near[b].add(a)
    found: list[tuple[str, ...]] = []

    def extend(clique: set[str], candidates: set[str], excluded: set[str]) -> None:
        if not candidates and not excluded:
            if len(clique) >= 3:
                found.append(tuple(sorted(clique)))
            return
        for team in sorted(candidates):
            extend(clique | {team}, candidates & near[team], excluded & near[team])
            candidates = candidates - {team}
            excluded = excluded | {team}

    extend(set(), set(near), set())
    return sorted(found)


# -- the CP-SAT model --------------------------------------------------------------


class CpModel:
    """The model without rooms (``rooms=False``: ``x`` only for the previous plan's
    cells), or with rooms (``x`` for every kind, room and slot that may hold it); ``only``
    restricts the model to those (kind, slot) pairs, each held (rooms to choose).

    ``teams`` restricts the model to the kinds those teams take part in (bound.py's
    parts): every constraint kept is a sum of some of the full model's variables held to
    at most what the full model allows, so the part is a relaxation of the full model."""

    def __init__(
        self,
        facts: Facts,
        *,
        rooms: bool,
        hint: Schedule,
        only: Iterable[tuple[int, int]] | None = None,
        teams: Collection[str] | None = None,
    ) -> None:
        self.facts = facts
        self.rooms = rooms
        self.teams = None if teams is None else frozenset(teams)
        self.model = cp_model.CpModel()
        self.values: dict[cp_model.IntVar, int] = {}  # the hint, for every variable
        self.y: dict[tuple[int, int], cp_model.IntVar] = {}
        self.x: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.by_team: dict[str, list[int]] = defaultdict(list)  # kinds a team is in
        for k, kind in enumerate(facts.kinds):
            if self.teams is None or self.teams.intersection(kind.teams):
                for team in kind.teams:
                    self.by_team[team].append(k)
        hinted = self._hinted(hint)
        previous = self._hinted(facts.instance.previous)
        pairs = (
            sorted(only)
            if only is not None
            else [
                (k, s)
                for k, kind in enumerate(facts.kinds)
                if self.teams is None or self.teams.intersection(kind.teams)
                for s in range(len(facts.slots))
            ]
        )
        for k, s in pairs:
            kind = facts.kinds[k]
            if not facts.allowed(kind, s):
                continue
            room_list = facts.rooms_for(kind, s)
            if not room_list:
                continue
            y = self._bool(f"y{k}_{s}", int(any((k, r, s) in hinted for r in room_list)))
            self.y[(k, s)] = y
            if only is not None:
                self.model.add(y == 1)
                self.values[y] = 1
            xs = []
            for r in room_list:
                if rooms or (k, r, s) in previous:
                    x = self._bool(f"x{k}_{r}_{s}", int((k, r, s) in hinted))
                    self.x[(k, r, s)] = x
                    xs.append(x)
            if rooms:
                self.model.add(sum(xs) == y)
            elif xs:
                self.model.add(sum(xs) <= y)
        self._constraints()
        self._hours()

    def _bool(self, name: str, value: int) -> cp_model.IntVar:
        var = self.model.new_bool_var(name)
        self.values[var] = value
        return var

    def _hinted(self, hint: Schedule) -> set[tuple[int, int, int]]:
        """(kind, room, slot) of the hint's cells that the model can hold."""
        facts = self.facts
        kind_of = {kind.placement: k for k, kind in enumerate(facts.kinds)}
        hinted = set()
        for (room, slot), placement in hint.items():
            k = kind_of.get(placement)
            r, s = facts.room_index.get(room), facts.slot_index.get(slot)
            if k is not None and r is not None and s is not None:
                hinted.add((k, r, s))
        return hinted

    def team_at(self, team: str, s: int) -> list[cp_model.IntVar]:
        return [self.y[(k, s)] for k in self.by_team.get(team, ()) if (k, s) in self.y]

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

    def rehint(self, values: Mapping[cp_model.IntVar, int]) -> None:
        self.values.update(values)

    def apply_hint(self) -> None:
        self.model.clear_hints()  # type: ignore[no-untyped-call]  # untyped in ortools
        for var, value in self.values.items():
            self.model.add_hint(var, value)

    def chosen(
        self, value: Mapping[cp_model.IntVar, int]
    ) -> tuple[set[tuple[int, int]], dict[tuple[int, int], int]]:
        """The (kind, slot) pairs held in a solution, and the rooms its ``x`` pins."""
        held = {key for key, y in self.y.items() if value[y]}
        pinned = {(k, s): r for (k, r, s), x in self.x.items() if value[x]}
        return held, pinned

    def distance(self, hint: Schedule) -> cp_model.LinearExpr:
        """How many (kind, slot) pairs differ from the hint's."""
        hinted = {(k, s) for k, _, s in self._hinted(hint)}
        return cp_model.LinearExpr.sum([1 - y if key in hinted else y for key, y in self.y.items()])

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

    # -- stage 3 ---------------------------------------------------------------------

    def _and(self, lits: Iterable[tuple[Lit, bool]]) -> Lit:
        """A literal equal to the conjunction of (literal, positive) pairs."""
        variables = []
        for lit, positive in lits:
            if isinstance(lit, int):
                if (lit if positive else 1 - lit) == 0:
                    return 0
                continue
            variables.append((lit, positive))
        if not variables:
            return 1
        if len(variables) == 1 and variables[0][1]:
            return variables[0][0]
        value = int(all(self.values[v] == int(p) for v, p in variables))
        z = self._bool("and", value)
        for v, p in variables:
            self.model.add_implication(z, v if p else v.Not())
        self.model.add_bool_or([z, *(v.Not() if p else v for v, p in variables)])
        return z

    def _or(self, lits: Iterable[Lit]) -> Lit:
        variables = []
        for lit in lits:
            if isinstance(lit, int):
                if lit:
                    return 1
                continue
            variables.append(lit)
        if not variables:
            return 0
        if len(variables) == 1:
            return variables[0]
        z = self._bool("or", int(any(self.values[v] for v in variables)))
        for v in variables:
            self.model.add_implication(v, z)
        self.model.add_bool_or([z.Not(), *variables])
        return z

    def _value(self, lit: Lit) -> int:
        return lit if isinstance(lit, int) else self.values[lit]

    def _presence(self, team: str) -> list[Lit]:
        """Per slot, whether the team is present (hosting or joining a session)."""
        facts = self.facts
        present: list[Lit] = []
        for s in range(len(facts.slots)):
            if s in facts.fixed_at[team]:
                present.append(1)
                continue
            busy = self.team_at(team, s)
            if not busy:
                present.append(0)
            elif len(busy) == 1:
                present.append(busy[0])
            else:
                p = self._bool(f"p_{team}_{s}", int(sum(self.values[y] for y in busy)))
                self.model.add(p == sum(busy))
                present.append(p)
        return present

    def soft_objective(
        self,
        counted: Collection[str] | None = None,
        pairs: Collection[frozenset[str]] | None = None,
    ) -> cp_model.LinearExprT:
        """``score.soft_cost`` (without the rooms term when the model has no rooms), or,
        for a part (bound.py), only the per-team terms of the ``counted`` teams and the
        clashes of the soft ``pairs`` (whose teams the part must hold whole)."""
        facts = self.facts
        instance = facts.instance
        costs: list[tuple[int, Lit]] = []
        soft = {
            pair: weight
            for pair, weight in instance.soft_clashes().items()
            if pairs is None or pair in pairs
        }
        own = [team for team in instance.needs if counted is None or team in counted]
        teams = set(own) | {team for pair in soft for team in pair}
        present = {team: self._presence(team) for team in sorted(teams)}
        first_day = 0
        terms: dict[str, list[tuple[int, Lit]]] = defaultdict(list)
        for team in own:
            needs = instance.needs[team]
            mine = present[team]
            for d, day_slots in enumerate(facts.day_slots):
                starts = self._starts([mine[s] for s in day_slots])
                terms["blocks"] += self._beyond_one(starts, score.W_BLOCK, "blocks")
                if self.rooms:
                    terms["rooms"] += self._extra_rooms(team, d)
            for s, slot in enumerate(facts.slots):
                if needs.preferred_days and slot.day not in needs.preferred_days:
                    terms["days"].append((score.W_DAY * facts.minutes[s], mine[s]))
                outside = score.outside_windows(slot, needs.windows)
                if outside:
                    terms["windows"].append((score.W_WINDOW * outside, mine[s]))
            if needs.onboarding and facts.days:
                terms["onboarding"] += self._onboarding(
                    [(facts.minutes[s], mine[s]) for s in facts.day_slots[first_day]]
                )
        together: dict[tuple[str, str, int], Lit] = {}
        for pair, weight in sorted(soft.items(), key=lambda item: sorted(item[0])):
            a, b = sorted(pair)
            for s in range(len(facts.slots)):
                for t in facts.overlapping[s]:
                    both = self._and([(present[a][s], True), (present[b][t], True)])
                    minutes = score.overlap_minutes(facts.slots[s], facts.slots[t])
                    terms["clashes"].append((weight * minutes, both))
                    if s == t:
                        together[(a, b, s)] = both
        self._clique_cuts(soft, present, together)
        for key in facts.joint_wanted:
            if key[0] in own:
                terms["joint-split"] += self._joint_split(key)
        self.soft_terms = dict(terms)
        costs = [cost for name in score.SOFT_TERMS for cost in terms.get(name, [])]
        variables = [(c, lit) for c, lit in costs if not isinstance(lit, int) and c]
        const = sum(c * lit for c, lit in costs if isinstance(lit, int))
        return (
            cp_model.LinearExpr.weighted_sum(
                [lit for _, lit in variables], [c for c, _ in variables]
            )
            + const
        )

    def _clique_cuts(
        self,
        soft: Mapping[frozenset[str], int],
        present: Mapping[str, list[Lit]],
        together: Mapping[tuple[str, str, int], Lit],
    ) -> None:
        """Redundant cuts that give the linear relaxation a real bound on the clashes: when
        k teams of a clique of soft and hard clashes share a slot, all C(k, 2) pairs of
        them meet, and they are soft ones (hard ones never meet): at least k - 1 and
        2k - 3 of them, which the pairwise "and" alone does not tell the relaxation; and
        the same summed over each day and over the event. (Measured on generate("M"):
        the proven bound goes from 1800 to about 3500 with the cuts per slot, to about
        4300 with the sums too; the cut per slot for neighbourhoods and connected parts,
        with their independence numbers, added nothing.)"""
        hard = self.facts.instance.hard_clashes()
        edges = {pair for pair in set(soft) | hard if pair <= set(present)}
        for clique in _cliques(edges):
            pairs = [
                (a, b) for a, b in itertools.combinations(clique, 2) if frozenset((a, b)) in soft
            ]
            if not pairs:
                continue
            every_met: list[Lit] = []
            every_there: list[Lit] = []
            for day_slots in self.facts.day_slots:
                day_met: list[Lit] = []
                day_there: list[Lit] = []
                for s in day_slots:
                    met = [together[(a, b, s)] for a, b in pairs]
                    there = [present[t][s] for t in clique]
                    if all(isinstance(lit, int) for lit in met + there):
                        continue
                    self.model.add(sum(met) >= sum(there) - 1)
                    self.model.add(sum(met) >= 2 * sum(there) - 3)
                    day_met += met
                    day_there += there
                    every_met += met
                    every_there += there
                # the same summed over a day and over the event: CP-SAT's relaxation does
                # not find these sums by itself (measured: a bound of 0 instead of 120 on
                # three teams with 34 hours for 32 slots)
                self._summed_cuts(day_met, day_there, len(clique))
            self._summed_cuts(every_met, every_there, len(clique))

    def _summed_cuts(self, met: list[Lit], there: list[Lit], size: int) -> None:
        """Over the slots of one clique of ``size`` teams: at least k - 1 and 2k - 3 soft
        pairs meet per slot where k of them are."""
        count = len(there) // size
        if count:
            self.model.add(sum(met) >= sum(there) - count)
            self.model.add(sum(met) >= 2 * sum(there) - 3 * count)

    def _beyond_one(self, lits: list[Lit], weight: int, name: str) -> list[tuple[int, Lit]]:
        """weight * max(0, sum(lits) - 1), stated with a non-negative variable: a form
        whose linear relaxation already proves the lower bound 0 (``starts - any`` does not)."""
        value = max(0, sum(self._value(lit) for lit in lits) - 1)
        variables = [lit for lit in lits if not isinstance(lit, int)]
        if not variables:
            return [(weight, value)]
        const = sum(lit for lit in lits if isinstance(lit, int))
        if len(variables) + const <= 1:
            return []
        extra = self.model.new_int_var(0, len(variables) + const - 1, name)
        self.values[extra] = value
        self.model.add_max_equality(extra, [sum(variables) + const - 1, 0])
        return [(weight, extra)]

    def _starts(self, day: list[Lit]) -> list[Lit]:
        """Per slot of a day, whether a block starts there."""
        return [
            self._and([(lit, True), (day[i - 1], False)]) if i else lit for i, lit in enumerate(day)
        ]

    def _extra_rooms(self, team: str, d: int) -> list[tuple[int, Lit]]:
        facts = self.facts
        used: list[Lit] = []
        for r in range(len(facts.rooms)):
            occupied: list[Lit] = []
            for s in facts.day_slots[d]:
                fixed = facts.fixed.get((r, s))
                if fixed is not None and team in fixed.teams:
                    occupied.append(1)
                occupied += [
                    self.x[(k, r, s)] for k in self.by_team.get(team, ()) if (k, r, s) in self.x
                ]
            used.append(self._or(occupied))
        return self._beyond_one(used, score.W_ROOM, "rooms")

    def _onboarding(self, first: list[tuple[int, Lit]]) -> list[tuple[int, Lit]]:
        wanted = self.facts.instance.rules.onboarding_minutes
        got = sum(m * lit for m, lit in first)
        value = max(0, wanted - sum(m * self._value(lit) for m, lit in first))
        if all(isinstance(lit, int) for _, lit in first):
            return [(score.W_ONBOARD, value)]
        short = self.model.new_int_var(0, max(0, wanted), "onboarding")
        self.values[short] = value
        self.model.add_max_equality(short, [wanted - got, 0])
        return [(score.W_ONBOARD, short)]

    def _joint_split(self, key: tuple[str, str]) -> list[tuple[int, Lit]]:
        facts = self.facts
        host, guest = key
        k = next(
            (
                i
                for i, kind in enumerate(facts.kinds)
                if kind.host == host and kind.guests == (guest,)
            ),
            None,
        )
        starts: list[Lit] = []
        for day_slots in facts.day_slots:
            day: list[Lit] = []
            for s in day_slots:
                fixed = any(
                    p.team == host and guest in p.guests
                    for (_, fs), p in facts.fixed.items()
                    if fs == s
                )
                day.append(1 if fixed else self.y.get((k, s), 0) if k is not None else 0)
            starts += self._starts(day)
        return self._beyond_one(starts, score.W_SPLIT, "split")
