"""One value of a needs field as people write it: hours, a day, a time window, a team.

Each converter checks its value on its own and raises ``Bad`` with what was expected
and what was written (``expected a number of hours, got 'lots'``); the fields' parser
(``needs_fields``) records the problem at the value's path and goes on, so every
problem is reported at once. ``hours_value`` goes the other way, for showing and
exporting.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from ptghub.core.model import EventState, team_key
from ptghub.core.needs import WEEKDAYS, day_minutes, day_name

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


class Bad(Exception):
    """One value is wrong; the parser records it at the value's path and goes on."""


def describe(value: Any) -> str:
    """A written value as a message names it: ``'lots'``, ``a list``, ``nothing``."""
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
            raise Bad(f"expected a number of {what}, got {describe(value)}") from None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise Bad(f"expected a number of {what}, got {describe(value)}")
    if abs(value) > MAX_HOURS:  # infinity too
        raise Bad(f"{value:g} {what} is more than a year; expected at most {MAX_HOURS} {what}")
    minutes = value * 60
    if abs(minutes - round(minutes)) > _WHOLE:
        raise Bad(f"{value:g} {what} is not a whole number of minutes ({minutes:g} min)")
    return round(minutes)


def optional_minutes(value: Any, what: str = "hours") -> int | None:
    """Hours as minutes, or None for no value (nothing, or ``none``)."""
    if value is None or (isinstance(value, str) and value.strip().lower() == "none"):
        return None
    return minutes_of(value, what)


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Bad(f"expected true or false, got {describe(value)}")
    return value


def whole_number(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Bad(f"expected a whole number of {what}, got {describe(value)}")
    return value


def list_of(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise Bad(f"expected a list of {what}, got {describe(value)}")
    return value


def mapping_of(value: Any, what: str) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise Bad(f"expected a mapping of {what}, got {describe(value)}")
    return value


def team_name(value: Any) -> str:
    """The key of a team name (whether the event has the team is checked later)."""
    if not isinstance(value, str) or not team_key(value).strip():
        raise Bad(f"expected a team name, got {describe(value)}")
    return team_key(value)


def day_of(state: EventState, value: Any) -> date:
    """A day of the event, written as a date or a weekday name (``Mon``, ``tuesday``)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise Bad(f"expected a date (2022-04-04) or a weekday (Mon), got {describe(value)}")
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
            f"expected a date (2022-04-04) or a weekday (Mon), got {describe(value)}"
        ) from None


def window_of(value: Any) -> tuple[time, time]:
    """``13:00-17:00`` as (start, end), the start before the end."""
    match = _WINDOW.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise Bad(f"expected a time window like 13:00-17:00, got {describe(value)}")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise Bad(f"{value.strip()} is not a time of day; expected HH:MM from 00:00 to 23:59")
    start, end = time(h1, m1), time(h2, m2)
    if start >= end:
        raise Bad(f"window {value.strip()} ends before it starts; expected START-END")
    return start, end


def hours_value(minutes: int) -> int | float:
    """Minutes as hours for a file or JSON: an integer when whole, else the float that
    parses back to exactly these minutes."""
    return minutes // 60 if minutes % 60 == 0 else minutes / 60
