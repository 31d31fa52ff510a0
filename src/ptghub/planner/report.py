"""What a planner run is stored with: its figures, its findings, and what it was built from.

A draft is judged on the figures of the run that made it: hours placed per team against
hours wanted, each solver stage's objective and bound, the wishes left unmet, the
checker's verdict, and what it would move on the board. ``inputs`` keeps the needs, rules
and fixed cells the run saw, so a draft can be explained after the needs have changed.
All of it is plain JSON (``to_json`` / ``from_json``, lossless).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ptghub.core.codec import decode, encode
from ptghub.planner.diff import ScheduleDiff
from ptghub.planner.instance import Cell, Instance, Placement, Plan, Schedule, Stage
from ptghub.planner.score import placed_minutes, wanted_minutes


@dataclass(frozen=True, slots=True)
class TeamHours:
    """Minutes a team hosts (own sessions and joint sessions it hosts), and wanted."""

    team: str
    placed: int
    wanted: int


@dataclass(frozen=True, slots=True)
class Finding:
    """A broken hard rule, as the checker reported it."""

    rule: str
    message: str
    cells: tuple[Cell, ...] = ()


@dataclass(frozen=True)
class Report:
    method: str
    seconds: float  # the planner's own time
    at: datetime  # the instant planned at: slots before it were frozen
    version: int  # the event's version the run read
    stages: tuple[Stage, ...]
    hours: tuple[TeamHours, ...]
    unmet: tuple[str, ...]
    violations: tuple[Finding, ...]
    changes: ScheduleDiff  # against the board at ``at``

    @property
    def clash_free(self) -> bool:
        return not self.violations

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = encode(self)
        return data

    @staticmethod
    def from_json(data: dict[str, Any]) -> Report:
        report: Report = decode(Report, data)
        return report


def build_report(
    instance: Instance,
    plan: Plan,
    *,
    violations: tuple[Finding, ...],
    changes: ScheduleDiff,
    at: datetime,
    version: int,
) -> Report:
    """The report of one run; hours as ``score`` counts them (hosted, joint included)."""
    placed = placed_minutes(instance, plan.schedule)
    hours = tuple(
        TeamHours(team, placed.get(team, 0), wanted)
        for team, wanted in sorted(wanted_minutes(instance).items())
    )
    return Report(
        method=plan.method,
        seconds=plan.seconds,
        at=at,
        version=version,
        stages=tuple(plan.stages),
        hours=hours,
        unmet=tuple(plan.unmet),
        violations=violations,
        changes=changes,
    )


def schedule_json(schedule: Schedule) -> list[dict[str, Any]]:
    """Cells as a list (room and slot keys may hold any character), in key order."""
    return [
        {"room": room, "slot": slot, "team": p.team, "guests": list(p.guests)}
        for (room, slot), p in sorted(schedule.items())
    ]


def schedule_from_json(data: list[dict[str, Any]]) -> dict[Cell, Placement]:
    return {
        (item["room"], item["slot"]): Placement(item["team"], tuple(item["guests"]))
        for item in data
    }


def inputs_json(instance: Instance) -> dict[str, Any]:
    """What the planner saw: needs, rules, fixed and unavailable cells, frozen slots."""
    return {
        "needs": {team: encode(needs) for team, needs in sorted(instance.needs.items())},
        "rules": encode(instance.rules),
        "fixed": schedule_json(instance.fixed),
        "unavailable": sorted([room, slot] for room, slot in instance.unavailable),
        "frozen_slots": sorted(instance.frozen_slots),
        "rooms": [encode(room) for room in instance.rooms],
        "slots": [encode(slot) for slot in instance.slots],
        "interest": sorted([*sorted(pair), weight] for pair, weight in instance.interest.items()),
    }
