"""Small planning problems for the planner's tests: hourly slots, and an instance made of
rooms, slots and the teams' needs, with any other field named.

One place for the set-up each test module used to write out again (an ``Instance`` of a
few rooms and hourly slots, its needs keyed by team, then ``replace`` for the rest), so
that a test states only what its world holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, time

from ptghub.core.team_needs import TeamNeeds
from ptghub.planner.instance import Instance, PlanRoom, PlanSlot

MON, TUE, WED, THU = (date(2022, 4, d) for d in (4, 5, 6, 7))


def hourly_slots(
    days: Iterable[date], hours: Iterable[int] = (13, 14, 15), key: str = "{day:%a}{hour}"
) -> tuple[PlanSlot, ...]:
    """A one-hour slot at each of ``hours`` on each of ``days``, day by day. ``key``
    formats a slot's key (in lower case) from its ``day`` and ``hour``, and their places
    ``d`` and ``h`` in ``days`` and ``hours``: "mon13" by default."""
    hours = tuple(hours)
    return tuple(
        PlanSlot(key.format(day=day, hour=hour, d=d, h=h).lower(), day, time(hour), time(hour + 1))
        for d, day in enumerate(days)
        for h, hour in enumerate(hours)
    )


def with_needs(instance: Instance, /, *needs: TeamNeeds, **changes: object) -> Instance:
    """``instance`` with ``needs`` (keyed by team, in that order) and the fields
    ``changes`` names; a ``needs`` mapping among them stands instead of ``needs``."""
    fields = {"needs": {n.team: n for n in needs}, **changes}
    return replace(instance, **fields)  # type: ignore[arg-type]


def instance_of(
    rooms: Iterable[PlanRoom], slots: Iterable[PlanSlot], /, *needs: TeamNeeds, **changes: object
) -> Instance:
    """The instance of ``rooms`` and ``slots`` in which the teams need ``needs``; any
    field (rules, unavailable or fixed cells, ... even the slots) as ``changes`` names it."""
    return with_needs(Instance(rooms=tuple(rooms), slots=tuple(slots), needs={}), *needs, **changes)
