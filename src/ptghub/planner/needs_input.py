"""Team needs and planning rules as people write them: hours, day names, ``13:00-17:00``.

The needs file, the CLI and the API all hand their fields to ``parse_team`` and
``parse_rules`` (the same field names everywhere), which check each value, build the
core's ``TeamNeeds``/``PlanRules`` and then run the core's checks against the event
(``core.needs``). Problems come back located by a path into the fields as written
(``('avoid', 1)``, ``('joint', 'Cinder')``), which the file turns into a line and the
others into a field name. ``team_fields`` and ``rules_fields`` go the other way, for
showing and exporting: parsing what they give yields the same needs again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from ptghub.core.model import EventState, team_key
from ptghub.core.needs import WEEKDAYS, day_minutes, day_name, needs_problems, rules_problems
from ptghub.core.team_needs import PlanRules, TeamNeeds
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
RULE_FIELDS = ("max_hours_per_day", "max_hours", "cross_project_days", "onboarding_hours")

_WINDOW = re.compile(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*")
_WEEKDAY_NAMES = {name: i for i, name in enumerate(WEEKDAYS)} | {
    name: i
    for i, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}
# Hours are floats: 1/3 h is 20 minutes give or take the last bit of a double.
_WHOLE = 1e-6
# No length of a PTG comes near a year; beyond it a number is a mistake (and 1e308 h
# would overflow when turned into minutes).
MAX_HOURS = 24 * 366

Problem = tuple[Loc, str]


class Bad(Exception):
    """One value is wrong; the parser records it at the value's path and goes on."""


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


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return repr(value[:40])
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def minutes_of(value: Any, what: str = "hours") -> int:
    """Hours (a number, fractions allowed) as whole minutes."""
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise Bad(f"expected a number of {what}, got {_describe(value)}") from None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise Bad(f"expected a number of {what}, got {_describe(value)}")
    if abs(value) > MAX_HOURS:  # infinity too
        raise Bad(f"{value:g} {what} is more than a year; expected at most {MAX_HOURS} {what}")
    minutes = value * 60
    if abs(minutes - round(minutes)) > _WHOLE:
        raise Bad(f"{value:g} {what} is not a whole number of minutes ({minutes:g} min)")
    return round(minutes)


def _optional_minutes(value: Any, what: str = "hours") -> int | None:
    if value is None or (isinstance(value, str) and value.strip().lower() == "none"):
        return None
    return minutes_of(value, what)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Bad(f"expected true or false, got {_describe(value)}")
    return value


def _count(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Bad(f"expected a whole number of {what}, got {_describe(value)}")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise Bad(f"expected a list of {what}, got {_describe(value)}")
    return value


def _mapping(value: Any, what: str) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise Bad(f"expected a mapping of {what}, got {_describe(value)}")
    return value


def _team_name(value: Any) -> str:
    if not isinstance(value, str) or not team_key(value).strip():
        raise Bad(f"expected a team name, got {_describe(value)}")
    return team_key(value)


def day_of(state: EventState, value: Any) -> date:
    """A day of the event, written as a date or a weekday name (``Mon``, ``tuesday``)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise Bad(f"expected a date (2022-04-04) or a weekday (Mon), got {_describe(value)}")
    text = value.strip().lower()
    if text in _WEEKDAY_NAMES:
        days = [d for d in day_minutes(state) if d.weekday() == _WEEKDAY_NAMES[text]]
        known = ", ".join(day_name(d) for d in day_minutes(state)) or "none"
        if not days:
            raise Bad(f"the event has no {value.strip()} (its days: {known})")
        if len(days) > 1:
            dates = " and ".join(d.isoformat() for d in days)
            raise Bad(f"{value.strip()} is ambiguous ({dates}); write the date")
        return days[0]
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Bad(
            f"expected a date (2022-04-04) or a weekday (Mon), got {_describe(value)}"
        ) from None


def window_of(value: Any) -> tuple[time, time]:
    """``13:00-17:00`` as (start, end), the start before the end."""
    match = _WINDOW.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise Bad(f"expected a time window like 13:00-17:00, got {_describe(value)}")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise Bad(f"{value.strip()} is not a time of day; expected HH:MM from 00:00 to 23:59")
    start, end = time(h1, m1), time(h2, m2)
    if start >= end:
        raise Bad(f"window {value.strip()} ends before it starts; expected START-END")
    return start, end


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
        return None, [(at, f"expected the team's fields (hours: ...), got {_describe(data)}")]
    _unknown_fields(p, data, TEAM_FIELDS)
    if data.get("hours") is None:
        p.problems.append(((*at, "hours"), "required field is missing: the hours the team needs"))
    minutes = (
        p.value(("hours",), lambda: minutes_of(data["hours"]))
        if data.get("hours") is not None
        else None
    )
    per_day = p.value(
        ("max_hours_per_day",), lambda: _optional_minutes(data.get("max_hours_per_day"))
    )
    days = _days(state, p, data.get("days"), "days")
    windows: list[tuple[time, time]] = []
    written = p.value(("windows",), lambda: _list(data.get("windows") or [], "windows"))
    for i, item in enumerate(written or []):
        window = p.value(("windows", i), window_of, item)
        if window is not None:
            windows.append(window)
    avoid: list[str] = []
    items = p.value(("avoid",), lambda: _list(data.get("avoid") or [], "team names")) or []
    for i, item in enumerate(items):
        other = p.value(("avoid", i), _team_name, item)
        if other is None:
            continue
        if other in avoid:
            p.problems.append(
                ((*at, "avoid", i), f"'{item}' is named twice in avoid; name it once")
            )
        avoid.append(other)
        p.where.setdefault(("avoid", other), (*at, "avoid", i))
    rather_not = _pairs(p, data, "rather_not", lambda v: _count(v, "weight points"))
    joint = _pairs(p, data, "joint", lambda v: minutes_of(v))
    room_size = p.value(
        ("room_size",),
        lambda: None if data.get("room_size") is None else _count(data["room_size"], "people"),
    )
    onboarding = p.value(("onboarding",), lambda: _bool(data.get("onboarding", False)))
    cross = p.value(("cross_project",), lambda: _bool(data.get("cross_project", False)))
    # The values that were fine are checked against the event too: every problem at once.
    needs = TeamNeeds(
        team=team_key(name),
        minutes=1 if minutes is None else minutes,
        max_minutes_per_day=per_day,
        preferred_days=frozenset(days),
        windows=tuple(windows),
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
    for i, item in enumerate(p.value((name,), lambda: _list(value or [], "days")) or []):
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
    mapping = p.value((name,), lambda: _mapping(data.get(name) or {}, what)) or {}
    for written, value in mapping.items():
        other = p.value((name, written), _team_name, written)
        amount = p.value((name, written), convert, value)
        if other is None or amount is None:
            continue
        pairs.append((other, amount))
        p.where.setdefault((name, other), (*p.at, name, written))
    return pairs


def parse_rules(
    state: EventState, data: Any, at: Loc = ()
) -> tuple[PlanRules | None, list[Problem]]:
    """The planning rules from their fields (absent: no cap, 1 h onboarding)."""
    p = _Parse(at)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [(at, f"expected the rules' fields (max_hours: ...), got {_describe(data)}")]
    _unknown_fields(p, data, RULE_FIELDS)
    per_day = p.value(
        ("max_hours_per_day",), lambda: _optional_minutes(data.get("max_hours_per_day"))
    )
    total = p.value(("max_hours",), lambda: _optional_minutes(data.get("max_hours")))
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


def hours_value(minutes: int) -> int | float:
    """Minutes as hours for a file or JSON: an integer when whole, else the float that
    parses back to exactly these minutes."""
    return minutes // 60 if minutes % 60 == 0 else minutes / 60


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
    }
    if as_json:
        return fields
    default = hours_value(PlanRules().onboarding_minutes)
    return {
        k: v
        for k, v in fields.items()
        if v not in (None, []) and not (k == "onboarding_hours" and v == default)
    }
