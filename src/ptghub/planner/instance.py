"""What the planner takes and gives: pure data, no I/O, no solver.

Time is counted in minutes, so slots of any length (the virtual PTG's hours, Denver's
half-days) are planned alike; the front ends speak hours. Teams, rooms and slots are
named by their keys (``core.model.team_key`` etc.), cells by ``(room key, slot key)``.

A team's own sessions and the joint sessions it hosts are placed in cells; a joint
session keeps its guests busy too, though the cell (and the board) names the host.
What each team asks and the event's rules are the core's (``core.team_needs``): they are
part of the event's state, which the planner only reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time

from ptghub.core.team_needs import PlanRules, TeamNeeds

Cell = tuple[str, str]  # (room key, slot key)


@dataclass(frozen=True, slots=True)
class PlanSlot:
    key: str
    day: date
    start: time
    end: time

    @property
    def minutes(self) -> int:
        start = datetime.combine(self.day, self.start)
        end = datetime.combine(self.day, self.end)
        return int((end - start).total_seconds() // 60)


@dataclass(frozen=True, slots=True)
class PlanRoom:
    key: str
    capacity: int | None = None  # None: unknown, fits any team


@dataclass(frozen=True, slots=True)
class Placement:
    """Who holds a cell: the host team and, for a joint session, its guests."""

    team: str
    guests: tuple[str, ...] = ()

    @property
    def teams(self) -> tuple[str, ...]:
        return (self.team, *self.guests)


Schedule = Mapping[Cell, Placement]


@dataclass(frozen=True)
class Instance:
    """One planning problem.

    ``slots`` are in time order. ``fixed`` cells must hold exactly what they hold there
    (chair bookings, organizers' pins, the past); ``frozen_slots`` may get nothing beyond
    ``fixed`` (they are over). ``previous`` is the published schedule: when re-planning,
    moving any of it costs. ``interest`` adds soft-clash weight per pair of teams (from
    attendees' declared interests), on top of the teams' own ``rather_not``.
    """

    rooms: tuple[PlanRoom, ...]
    slots: tuple[PlanSlot, ...]
    needs: Mapping[str, TeamNeeds]
    rules: PlanRules = field(default_factory=PlanRules)
    unavailable: frozenset[Cell] = frozenset()
    fixed: Mapping[Cell, Placement] = field(default_factory=dict)
    frozen_slots: frozenset[str] = frozenset()
    previous: Mapping[Cell, Placement] = field(default_factory=dict)
    interest: Mapping[frozenset[str], int] = field(default_factory=dict)

    def demand(self, team: str) -> int:
        """Minutes the team should get in its own sessions (onboarding included), capped."""
        needs = self.needs[team]
        wanted = needs.minutes + (self.rules.onboarding_minutes if needs.onboarding else 0)
        if self.rules.max_minutes_total is not None:
            wanted = min(wanted, self.rules.max_minutes_total)
        return wanted

    def windows(self, team: str) -> tuple[tuple[time, time], ...]:
        """The times of day the team prefers: its own windows, else the event's usual
        hours (``rules.windows``); none: any time."""
        return self.needs[team].windows or self.rules.windows

    def hard_clashes(self) -> set[frozenset[str]]:
        """Pairs of teams that must never meet at the same time (either side asked)."""
        return {
            frozenset((team, other))
            for team, needs in self.needs.items()
            for other in needs.avoid
            if other != team
        }

    def soft_clashes(self) -> dict[frozenset[str], int]:
        """Weight per pair of teams that would rather not overlap: the larger side's weight
        plus any ``interest``."""
        weights: dict[frozenset[str], int] = {}
        for team, needs in self.needs.items():
            for other, weight in needs.rather_not:
                if other != team:
                    pair = frozenset((team, other))
                    weights[pair] = max(weights.get(pair, 0), weight)
        for pair, weight in self.interest.items():
            weights[pair] = weights.get(pair, 0) + weight
        return {pair: w for pair, w in weights.items() if w > 0}


@dataclass(frozen=True, slots=True)
class Stage:
    """One solver stage: its objective value, the best bound proven, and whether optimal."""

    name: str
    objective: int
    bound: int
    optimal: bool
    seconds: float


@dataclass(frozen=True)
class Plan:
    """A schedule and how it was found; ``unmet`` explains every wish not granted."""

    schedule: dict[Cell, Placement]
    method: str  # "cp-sat" or "greedy"
    stages: tuple[Stage, ...] = ()
    unmet: tuple[str, ...] = ()
    seconds: float = 0.0
