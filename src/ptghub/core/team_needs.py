"""What a team asks of the planner, and the event-wide rules every team is held to.

Both are part of an event's state (``EventState.needs``, ``EventState.plan_rules``) and
of its domain events (``NeedsChanged``, ``PlanRulesChanged``); the planner reads them
(``planner.instance.Instance``), the needs file and the front ends write them, and
``core.needs`` checks them against the event. Time is counted in minutes; teams are named
by their keys (``core.model.team_key``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time


@dataclass(frozen=True, slots=True)
class TeamNeeds:
    """What one team asked for. Everything but ``minutes`` is optional.

    ``avoid`` is hard (never at the same time, both ways); ``rather_not`` is soft, a
    weight per other team (the larger, the worse an overlap). ``joint`` lists the joint
    sessions this team hosts: (other team, minutes); the guest needs no entry of its own.
    ``windows`` are preferred times of day, in the slots' own clock.
    """

    team: str
    minutes: int
    max_minutes_per_day: int | None = None
    preferred_days: frozenset[date] = frozenset()
    windows: tuple[tuple[time, time], ...] = ()
    avoid: frozenset[str] = frozenset()
    rather_not: tuple[tuple[str, int], ...] = ()
    joint: tuple[tuple[str, int], ...] = ()
    room_size: int | None = None
    onboarding: bool = False
    cross_project: bool = False


@dataclass(frozen=True, slots=True)
class PlanRules:
    """Event-wide rules. Caps apply to each team; ``None`` means no cap.

    ``cross_project_days``: only cross-project teams may be placed on those days.
    ``onboarding_minutes``: the length of the onboarding session a team may ask for,
    added to its demand and wanted on the event's first day.
    ``windows``: the event's usual hours, in the slots' own clock: a team that names no
    windows of its own prefers these (a virtual PTG's night slots in UTC are then only for
    the teams that ask for them in their own windows). None: no usual hours.
    """

    max_minutes_per_day: int | None = None
    max_minutes_total: int | None = None
    cross_project_days: frozenset[date] = frozenset()
    onboarding_minutes: int = 60
    windows: tuple[tuple[time, time], ...] = ()
