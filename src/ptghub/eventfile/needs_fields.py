"""The fields of a team's needs and of the planning rules, as people write them.

The needs file, the CLI and the API all hand their fields to ``parse_team`` and
``parse_rules`` (the same field names everywhere), which check each value
(``needs_values``: hours, day names, ``13:00-17:00``...), build the
core's ``TeamNeeds``/``PlanRules`` and then run the core's checks against the event
(``core.needs``). Problems come back located by a path into the fields as written
(``('avoid', 1)``, ``('joint', 'Cinder')``), which the file turns into a line and the
others into a field name. ``team_fields`` and ``rules_fields`` go the other way, for
showing and exporting: parsing what they give yields the same needs again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from ptghub.core.model import EventState, team_key
from ptghub.core.needs import day_name, needs_problems, rules_problems
from ptghub.core.team_needs import PlanRules, TeamNeeds
from ptghub.eventfile.needs_values import (
    Bad,
    boolean,
    day_of,
    describe,
    hours_value,
    list_of,
    mapping_of,
    minutes_of,
    optional_minutes,
    team_name,
    whole_number,
    window_of,
)
from ptghub.eventfile.yamlnodes import Loc, format_path

TEAM_FIELDS = (
    "hours",
    "max_hours_per_day",
    "days",
    "windows",
    "avoid",
    "rather_not",
    "joint",
    "room_size",
    "onboarding",
    "cross_project",
)
RULE_FIELDS = (
    "max_hours_per_day",
    "max_hours",
    "cross_project_days",
    "onboarding_hours",
    "windows",
)

Problem = tuple[Loc, str]


@dataclass
class _Parse:
    """Problems found so far, and where each core path was written (to locate them)."""

    at: Loc
    problems: list[Problem] = field(default_factory=list)
    where: dict[tuple[str, ...], Loc] = field(default_factory=dict)

    def value(self, loc: Loc, convert: Callable[..., Any], *args: Any) -> Any:
        try:
            return convert(*args)
        except Bad as error:
            self.problems.append(((*self.at, *loc), str(error)))
            return None

    def locate(self, path: tuple[str, ...], data: Mapping[str, Any]) -> Loc:
        if path in self.where:
            return self.where[path]
        if path and path[0] in data:
            return (*self.at, path[0])
        return self.at


def _unknown_fields(p: _Parse, data: Mapping[str, Any], known: tuple[str, ...]) -> None:
    for name in data:
        if name not in known:
            p.problems.append(
                ((*p.at, str(name)), f"unknown field; expected one of {', '.join(known)}")
            )


def parse_team(
    state: EventState, name: str, data: Any, at: Loc = ()
) -> tuple[TeamNeeds | None, list[Problem]]:
    """The needs of team ``name`` from its fields, or None and every problem found."""
    p = _Parse(at)
    if not isinstance(data, dict):
        return None, [(at, f"expected the team's fields (hours: ...), got {describe(data)}")]
    _unknown_fields(p, data, TEAM_FIELDS)
    if data.get("hours") is None:
        p.problems.append(((*at, "hours"), "required field is missing: the hours the team needs"))
    minutes = (
        p.value(("hours",), lambda: minutes_of(data["hours"]))
        if data.get("hours") is not None
        else None
    )
    per_day = p.value(
        ("max_hours_per_day",), lambda: optional_minutes(data.get("max_hours_per_day"))
    )
    days = _days(state, p, data.get("days"), "days")
    windows = _windows(p, data)
    avoid: list[str] = []
    items = p.value(("avoid",), lambda: list_of(data.get("avoid") or [], "team names")) or []
    for i, item in enumerate(items):
        other = p.value(("avoid", i), team_name, item)
        if other is None:
            continue
        if other in avoid:
            p.problems.append(
                ((*at, "avoid", i), f"'{item}' is named twice in avoid; name it once")
            )
        avoid.append(other)
        p.where.setdefault(("avoid", other), (*at, "avoid", i))
    rather_not = _pairs(p, data, "rather_not", lambda v: whole_number(v, "weight points"))
    joint = _pairs(p, data, "joint", lambda v: minutes_of(v))
    room_size = p.value(
        ("room_size",),
        lambda: (
            None if data.get("room_size") is None else whole_number(data["room_size"], "people")
        ),
    )
    onboarding = p.value(("onboarding",), lambda: boolean(data.get("onboarding", False)))
    cross = p.value(("cross_project",), lambda: boolean(data.get("cross_project", False)))
    # The values that were fine are checked against the event too: every problem at once.
    needs = TeamNeeds(
        team=team_key(name),
        minutes=1 if minutes is None else minutes,
        max_minutes_per_day=per_day,
        preferred_days=frozenset(days),
        windows=windows,
        avoid=frozenset(avoid),
        rather_not=tuple(rather_not),
        joint=tuple(joint),
        room_size=room_size,
        onboarding=bool(onboarding),
        cross_project=bool(cross),
    )
    problems = p.problems + [
        (p.locate(path, data), message)
        for path, message in needs_problems(state, needs)
        if minutes is not None or path != ("hours",)
    ]
    return (None, sorted(problems, key=_order)) if problems else (needs, [])


def _days(state: EventState, p: _Parse, value: Any, name: str) -> list[date]:
    days: list[date] = []
    for i, item in enumerate(p.value((name,), lambda: list_of(value or [], "days")) or []):
        day = p.value((name, i), day_of, state, item)
        if day is None:
            continue
        if day in days:
            p.problems.append(((*p.at, name, i), f"{day_name(day)} is named twice; name it once"))
        days.append(day)
        p.where.setdefault((name, day.isoformat()), (*p.at, name, i))
    return days


def _pairs(
    p: _Parse, data: Mapping[str, Any], name: str, convert: Callable[[Any], int]
) -> list[tuple[str, int]]:
    what = "team: weight" if name == "rather_not" else "team: hours"
    pairs: list[tuple[str, int]] = []
    mapping = p.value((name,), lambda: mapping_of(data.get(name) or {}, what)) or {}
    for written, value in mapping.items():
        other = p.value((name, written), team_name, written)
        amount = p.value((name, written), convert, value)
        if other is None or amount is None:
            continue
        pairs.append((other, amount))
        p.where.setdefault((name, other), (*p.at, name, written))
    return pairs


def _windows(p: _Parse, data: dict[str, Any]) -> tuple[tuple[time, time], ...]:
    """The ``windows`` field (a team's or the rules'): times of day, "13:00-17:00"."""
    windows: list[tuple[time, time]] = []
    written = p.value(("windows",), lambda: list_of(data.get("windows") or [], "windows"))
    for i, item in enumerate(written or []):
        window = p.value(("windows", i), window_of, item)
        if window is not None:
            windows.append(window)
    return tuple(windows)


def parse_rules(
    state: EventState, data: Any, at: Loc = ()
) -> tuple[PlanRules | None, list[Problem]]:
    """The planning rules from their fields (absent: no cap, 1 h onboarding)."""
    p = _Parse(at)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [(at, f"expected the rules' fields (max_hours: ...), got {describe(data)}")]
    _unknown_fields(p, data, RULE_FIELDS)
    per_day = p.value(
        ("max_hours_per_day",), lambda: optional_minutes(data.get("max_hours_per_day"))
    )
    total = p.value(("max_hours",), lambda: optional_minutes(data.get("max_hours")))
    days = _days(state, p, data.get("cross_project_days"), "cross_project_days")
    onboarding = p.value(
        ("onboarding_hours",),
        lambda: (
            minutes_of(data["onboarding_hours"])
            if data.get("onboarding_hours") is not None
            else None
        ),
    )
    rules = PlanRules(
        max_minutes_per_day=per_day,
        max_minutes_total=total,
        cross_project_days=frozenset(days),
        onboarding_minutes=PlanRules().onboarding_minutes if onboarding is None else onboarding,
        windows=_windows(p, data),
    )
    problems = p.problems + [
        (p.locate(path, data), message) for path, message in rules_problems(state, rules)
    ]
    return (None, sorted(problems, key=_order)) if problems else (rules, [])


def _order(problem: Problem) -> tuple[str, ...]:
    return tuple(str(part) for part in problem[0])


def problem_text(problems: list[Problem]) -> str:
    """Problems as lines ``avoid[1]: unknown team 'x' (known: ...)``."""
    return "\n".join(
        f"{format_path(loc)}: {message}" if loc else message for loc, message in problems
    )


# -- the other way: fields for showing and exporting ---------------------------------


def _slug(state: EventState, key: str) -> str:
    team = state.teams.get(key)
    return team.slug if team else key


def _day_json(day: date) -> str:
    return day.isoformat()


def _day_yaml(day: date) -> date:
    return day


def team_fields(state: EventState, needs: TeamNeeds, *, as_json: bool = False) -> dict[str, Any]:
    """The fields of ``needs`` that differ from the defaults (all of them ``as_json``)."""
    day = _day_json if as_json else _day_yaml
    fields: dict[str, Any] = {
        "hours": hours_value(needs.minutes),
        "max_hours_per_day": None
        if needs.max_minutes_per_day is None
        else hours_value(needs.max_minutes_per_day),
        "days": [day(d) for d in sorted(needs.preferred_days)],
        "windows": [f"{s:%H:%M}-{e:%H:%M}" for s, e in needs.windows],
        "avoid": sorted(_slug(state, t) for t in needs.avoid),
        "rather_not": {_slug(state, t): w for t, w in needs.rather_not},
        "joint": {_slug(state, t): hours_value(m) for t, m in needs.joint},
        "room_size": needs.room_size,
        "onboarding": needs.onboarding,
        "cross_project": needs.cross_project,
    }
    if as_json:
        return fields
    return {k: v for k, v in fields.items() if k == "hours" or v not in (None, [], {}, False)}


def rules_fields(rules: PlanRules, *, as_json: bool = False) -> dict[str, Any]:
    """The fields of ``rules`` that differ from the defaults (all of them ``as_json``)."""
    day = _day_json if as_json else _day_yaml
    fields: dict[str, Any] = {
        "max_hours_per_day": None
        if rules.max_minutes_per_day is None
        else hours_value(rules.max_minutes_per_day),
        "max_hours": None
        if rules.max_minutes_total is None
        else hours_value(rules.max_minutes_total),
        "cross_project_days": [day(d) for d in sorted(rules.cross_project_days)],
        "onboarding_hours": hours_value(rules.onboarding_minutes),
        "windows": [f"{s:%H:%M}-{e:%H:%M}" for s, e in rules.windows],
    }
    if as_json:
        return fields
    default = hours_value(PlanRules().onboarding_minutes)
    return {
        k: v
        for k, v in fields.items()
        if v not in (None, []) and not (k == "onboarding_hours" and v == default)
    }
