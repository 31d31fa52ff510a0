"""The variables of the CP-SAT model (cpmodel.py) and the literals built from them.

``y[kind, slot]`` says a session of that kind is held in that slot; ``x[kind, room,
slot]`` pins it to a room (for every room in the model with rooms, for the previous
plan's cells only in the model without). Every variable gets a hint value when it is
made (``values``), so that the solver can start from the hint, or from the last
solution (``rehint``). ``_and`` and ``_or`` state a conjunction or disjunction of
literals exactly, with constants folded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping

from ortools.sat.python import cp_model

from ptghub.planner.facts import Facts
from ptghub.planner.instance import Schedule

Lit = cp_model.IntVar | int


class CpVariables:
    """The ``y`` and ``x`` variables of a model, with their hint values: without rooms
    (``rooms=False``: ``x`` only for the previous plan's cells), or with rooms (``x`` for
    every kind, room and slot that may hold it); ``only`` restricts the model to those
    (kind, slot) pairs, each held (rooms to choose).

    ``teams`` restricts the model to the kinds those teams take part in (bound.py's
    parts): every constraint kept is a sum of some of the full model's variables held to
    at most what the full model allows, so the part is a relaxation of the full model.

    Once the variables are made, ``_add_rules`` adds what a subclass states over them
    (``CpModel``: the hard rules and the hours), in the same order every time."""

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
        self._add_rules()

    def _add_rules(self) -> None:
        """The constraints stated over the variables once they are made: none here."""

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
