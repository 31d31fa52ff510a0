"""The soft objective of the CP-SAT model (stage 3): ``score.soft_cost``, stated exactly.

Each term of ``score.SOFT_TERMS`` is a weighted sum of literals (presence of a team in a
slot, block starts, rooms used, overlaps of soft clashes...), each auxiliary variable
pinned to its definition both ways, so that a solution's objective is the soft cost of
its schedule; redundant clique cuts give the linear relaxation a real bound on the
clashes.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping

from ortools.sat.python import cp_model

from ptghub.planner import score
from ptghub.planner.cpvariables import CpVariables, Lit


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


class SoftObjective(CpVariables):
    """The soft objective over a model's variables (``CpModel`` adds the hard rules)."""

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
            for day_slots in facts.day_slots:
                starts = self._starts([mine[s] for s in day_slots])
                terms["blocks"] += self._beyond_one(starts, score.W_BLOCK, "blocks")
            if self.rooms:
                spans = facts.day_slots if score.ROOMS_PER_DAY else [range(len(facts.slots))]
                for span in spans:
                    terms["rooms"] += self._extra_rooms(team, span)
            for s, slot in enumerate(facts.slots):
                if needs.preferred_days and slot.day not in needs.preferred_days:
                    terms["days"].append((score.W_DAY * facts.minutes[s], mine[s]))
                outside = score.outside_windows(slot, instance.windows(team))
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

    def _extra_rooms(self, team: str, span: Iterable[int]) -> list[tuple[int, Lit]]:
        """The rooms the team meets in over the slots of ``span`` (the event), beyond one."""
        facts = self.facts
        used: list[Lit] = []
        for r in range(len(facts.rooms)):
            occupied: list[Lit] = []
            for s in span:
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
