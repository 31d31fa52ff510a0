"""Checks on team needs, planning rules and pins against an event's state.

One set of checks serves every way in: ``apply`` refuses an event that breaks them (the
last line), and the front ends (the needs file, the CLI, the API) run them first to
report every problem at once, located. A problem is ``(path, message)``; the path uses
the field names of the needs file and the API (``hours``, ``avoid``, ``joint``...) with
the other team's key as the second part where one is named, so each front end can say
where the problem is in its own terms. Messages do not name the team whose needs they
check: the caller says that.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, time

from ptghub.core.events import DomainEvent, NeedsChanged, PinChanged
from ptghub.core.model import CellStatus, EventState, Slot
from ptghub.core.team_needs import PlanRules, TeamNeeds

Path = tuple[str, ...]
Problem = tuple[Path, str]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def slot_minutes(slot: Slot) -> int:
    start = datetime.combine(slot.day, slot.start)
    end = datetime.combine(slot.day, slot.end)
    return max(0, int((end - start).total_seconds() // 60))


def event_minutes(state: EventState) -> int:
    """The most a team can be given: every slot of the event, one room at a time."""
    return sum(slot_minutes(slot) for slot in state.slots.values())


def day_minutes(state: EventState) -> dict[date, int]:
    """Minutes of slots per day of the event, in day order."""
    days: dict[date, int] = {}
    for slot in sorted(state.slots.values(), key=lambda s: (s.day, s.start)):
        days[slot.day] = days.get(slot.day, 0) + slot_minutes(slot)
    return days


def hours(minutes: int) -> str:
    """Minutes as people say them: ``2 h``, ``1.5 h``, ``1 h 20 min``."""
    if minutes % 60 == 0:
        return f"{minutes // 60} h"
    if minutes * 100 % 60 == 0:
        return f"{minutes / 60:g} h"
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def day_name(day: date) -> str:
    return f"{day:%a} {day.isoformat()}"


def _days_text(state: EventState) -> str:
    days = list(day_minutes(state))
    return ", ".join(day_name(d) for d in days) if days else "none: the event has no slots"


def _team_list(state: EventState) -> str:
    names = [team.slug for team in state.teams.values()]
    shown = ", ".join(names[:30]) + (f" and {len(names) - 30} more" if len(names) > 30 else "")
    return shown or "none"


def unknown_team(state: EventState, name: str) -> str:
    return f"unknown team '{name}' (known: {_team_list(state)})"


def _minutes_problems(path: Path, minutes: int, most: int, what: str) -> list[Problem]:
    if minutes <= 0:
        return [(path, f"{hours(minutes)} is not a length; expected more than 0 hours")]
    if minutes > most:
        return [(path, f"{hours(minutes)} is more than {what} ({hours(most)})")]
    return []


def _bounds(
    state: EventState, path: Path, minutes: int | None, *, per_day: bool = False
) -> list[Problem]:
    if minutes is None:
        return []
    if per_day:
        longest = max(day_minutes(state).values(), default=0)
        return _minutes_problems(path, minutes, longest, "the longest day of the event has")
    return _minutes_problems(path, minutes, event_minutes(state), "the event has in all its slots")


def _day_problems(state: EventState, path: Path, days: Iterable[date]) -> list[Problem]:
    known = day_minutes(state)
    return [
        (
            (*path, day.isoformat()),
            f"{day_name(day)} is not a day of the event ({_days_text(state)})",
        )
        for day in sorted(days)
        if day not in known
    ]


def needs_problems(
    state: EventState, needs: TeamNeeds, old: TeamNeeds | None = None
) -> list[Problem]:
    """Every problem of ``needs`` in ``state``.

    With ``old``, lengths and days are checked only where they change: needs stated
    before the grid shrank stay as they were (and their team can still be removed), but
    every team they name must exist, always.
    """
    team = needs.team
    problems: list[Problem] = []
    if team not in state.teams:
        problems.append((("team",), unknown_team(state, team)))

    def changed(field: str) -> bool:
        return old is None or getattr(old, field) != getattr(needs, field)

    if changed("minutes"):
        problems += _bounds(state, ("hours",), needs.minutes)
    if changed("max_minutes_per_day"):
        problems += _bounds(state, ("max_hours_per_day",), needs.max_minutes_per_day, per_day=True)
    if changed("preferred_days"):
        problems += _day_problems(state, ("days",), needs.preferred_days)
    problems += _window_problems(needs.windows)
    problems += _others(state, team, "avoid", sorted(needs.avoid))
    problems += _others(state, team, "rather_not", [other for other, _ in needs.rather_not])
    problems += _others(state, team, "joint", [other for other, _ in needs.joint])
    for other, weight in needs.rather_not:
        if weight <= 0:
            message = f"weight {weight} for '{other}' is not positive; expected 1 or more"
            problems.append((("rather_not", other), message))
        if other in needs.avoid and other != team:
            message = f"'{other}' is in avoid already (a hard clash); name it in one list only"
            problems.append((("rather_not", other), message))
    for other, minutes in needs.joint:
        if old is None or (other, minutes) not in old.joint:
            problems += _bounds(state, ("joint", other), minutes)
        if other in needs.avoid and other != team:
            message = f"a joint session with '{other}', which is also in avoid, cannot happen"
            problems.append((("joint", other), message))
    if needs.room_size is not None and changed("room_size"):
        problems += _room_size_problems(state, needs.room_size)
    return problems


def _others(state: EventState, team: str, field: str, others: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for other in others:
        path = (field, other)
        if other == team:
            problems.append((path, f"a team cannot name itself in {field}"))
        elif other not in state.teams:
            problems.append((path, unknown_team(state, other)))
        elif other in seen:
            problems.append((path, f"'{other}' is named twice in {field}; name it once"))
        seen.add(other)
    return problems


def _room_size_problems(state: EventState, size: int) -> list[Problem]:
    if size <= 0:
        return [(("room_size",), f"room size {size} is not a number of people; expected 1 or more")]
    capacities = [room.capacity for room in state.rooms.values() if room.bookable]
    if capacities and None not in capacities:
        largest = max(c for c in capacities if c is not None)
        if size > largest:
            message = f"no bookable room holds {size} people (the largest holds {largest})"
            return [(("room_size",), message)]
    return []


def rules_problems(
    state: EventState, rules: PlanRules, old: PlanRules | None = None
) -> list[Problem]:
    """Every problem of the planning rules (with ``old``: of what changes)."""

    def changed(field: str) -> bool:
        return old is None or getattr(old, field) != getattr(rules, field)

    problems: list[Problem] = []
    if changed("max_minutes_per_day"):
        problems += _bounds(state, ("max_hours_per_day",), rules.max_minutes_per_day, per_day=True)
    if changed("max_minutes_total"):
        problems += _bounds(state, ("max_hours",), rules.max_minutes_total)
    if changed("cross_project_days"):
        problems += _day_problems(state, ("cross_project_days",), rules.cross_project_days)
    if changed("onboarding_minutes"):
        problems += _bounds(state, ("onboarding_hours",), rules.onboarding_minutes, per_day=True)
    problems += _window_problems(rules.windows)
    return problems


def _window_problems(windows: tuple[tuple[time, time], ...]) -> list[Problem]:
    problems: list[Problem] = []
    for start, end in windows:
        if start >= end:
            window = f"{start:%H:%M}-{end:%H:%M}"
            problems.append(
                (("windows", window), f"window {window} ends before it starts; expected START-END")
            )
    return problems


def pin_problems(state: EventState, room: str, slot: str, team: str) -> list[str]:
    """Why ``team`` cannot be pinned to the cell (room key, slot key); empty when it can."""
    problems: list[str] = []
    if team not in state.teams:
        problems.append(unknown_team(state, team))
    if room not in state.rooms:
        rooms = ", ".join(r.name for r in state.rooms.values()) or "none"
        problems.append(f"unknown room '{room}' (rooms: {rooms})")
    if slot not in state.slots:
        slots = ", ".join(s.code for s in state.slots.values()) or "none"
        problems.append(f"unknown slot '{slot}' (slots: {slots})")
    if problems:
        return problems
    where = f"{state.rooms[room].name}-{state.slots[slot].code}"
    if not state.rooms[room].bookable:
        problems.append(f"room {state.rooms[room].name} is not bookable; the planner leaves it out")
    cell = state.cell(room, slot)
    if cell.status is CellStatus.UNAVAILABLE:
        problems.append(f"cell {where} is not available")
    elif cell.status is CellStatus.BOOKED and cell.team != team:
        problems.append(f"cell {where} is booked by {_slug(state, cell.team)}")
    for other_room in state.rooms:
        if other_room == room:
            continue
        other = state.cell(other_room, slot)
        elsewhere = f"{state.rooms[other_room].name}-{state.slots[slot].code}"
        if state.pins.get((other_room, slot)) == team:
            problems.append(f"{_slug(state, team)} is pinned to {elsewhere} already")
        elif other.status is CellStatus.BOOKED and other.team == team:
            problems.append(f"{_slug(state, team)} has booked {elsewhere} at that time")
    return problems


def _slug(state: EventState, team: str | None) -> str:
    found = state.teams.get(team or "")
    return found.slug if found else str(team)


def references(state: EventState, team: str) -> list[str]:
    """Keys of the other teams whose needs name ``team``."""
    return [key for key, needs in state.needs.items() if key != team and team in mentioned(needs)]


def mentioned(needs: TeamNeeds) -> set[str]:
    """Teams named in ``needs``: avoided, rather not, joint."""
    return set(needs.avoid) | {t for t, _ in needs.rather_not} | {t for t, _ in needs.joint}


def without(needs: TeamNeeds, gone: set[str]) -> TeamNeeds:
    """``needs`` with every mention of the teams in ``gone`` left out."""
    return replace(
        needs,
        avoid=needs.avoid - gone,
        rather_not=tuple(p for p in needs.rather_not if p[0] not in gone),
        joint=tuple(p for p in needs.joint if p[0] not in gone),
    )


def joint_clashes(needs: dict[str, TeamNeeds]) -> list[tuple[str, Problem]]:
    """(host, problem) for each joint session whose guest avoids its host: it cannot
    happen. Within one team's needs, ``needs_problems`` says so already."""
    return [
        (host, (("joint", guest), f"'{guest}' avoids {host} (a hard clash): no joint session"))
        for host, wanted in needs.items()
        for guest, _ in wanted.joint
        if guest in needs and host in needs[guest].avoid
    ]


def describe(problems: list[Problem]) -> str:
    """Problems as one text: ``hours: ...; avoid: ...``."""
    return "; ".join(f"{path[0]}: {message}" if path else message for path, message in problems)


def removal_events(state: EventState, gone: set[str]) -> list[DomainEvent]:
    """What must change before the teams in ``gone`` (keys) are removed: their pins, their
    needs, and the other teams' mentions of them (dropped: a clash with a team that no
    longer exists means nothing)."""
    events: list[DomainEvent] = [
        PinChanged(room, slot, team, None)
        for (room, slot), team in state.pins.items()
        if team in gone
    ]
    for key, needs in state.needs.items():
        if key in gone:
            events.append(NeedsChanged(key, needs, None))
        elif mentioned(needs) & gone:
            events.append(NeedsChanged(key, needs, without(needs, gone)))
    return events
