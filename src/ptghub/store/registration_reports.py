"""What is read from the registrations: places taken, the waiting list, outdated
acceptances of the code of conduct, and the organizers' and chairs' counts.

Time-zone bands: a registrant's zone is placed by its UTC offset on the event's first day
(so daylight saving time counts as it will then): before UTC−02:00 is "Americas", from
UTC−02:00 to before UTC+05:00 "Europe, Africa and the Middle East", from UTC+05:00 on
"Asia and the Pacific". Organizers see these three counts and, finer, the count per
whole-hour offset (a half-hour zone such as Asia/Kolkata, +05:30, counts under +05).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, func, select

from ptghub.store import tables as t
from ptghub.store.registration_answers import CANCELLED, REGISTERED, ROLES, WAITING, Answers

BANDS = ("Americas", "Europe, Africa and the Middle East", "Asia and the Pacific")
_HELD = (REGISTERED, WAITING)  # the states of someone coming, or hoping to


def utc_offset(zone: str, day: date) -> timedelta:
    """The zone's offset from UTC at noon UTC of ``day``."""
    noon = datetime.combine(day, time(12), tzinfo=ZoneInfo("UTC"))
    offset = noon.astimezone(ZoneInfo(zone)).utcoffset()
    assert offset is not None
    return offset


def band(zone: str, day: date) -> str:
    """The time-zone band of ``zone`` on ``day`` (see the module's text)."""
    offset = utc_offset(zone, day)
    if offset < timedelta(hours=-2):
        return BANDS[0]
    if offset < timedelta(hours=5):
        return BANDS[1]
    return BANDS[2]


def hour_label(zone: str, day: date) -> str:
    """``UTC+05`` for +05:30: the whole hours of the offset, toward zero."""
    minutes = int(utc_offset(zone, day).total_seconds()) // 60
    hours = abs(minutes) // 60
    return f"UTC{'-' if minutes < 0 else '+'}{hours:02d}"


def registered_count(conn: Connection, event_id: int) -> int:
    regs = t.registrations
    query = select(func.count()).where(regs.c.event_id == event_id, regs.c.state == REGISTERED)
    return int(conn.execute(query).scalar_one())


def place_in_line(conn: Connection, event_id: int, person_id: int) -> int | None:
    ids = [row.person_id for row in conn.execute(_waiting(event_id)).all()]
    return ids.index(person_id) + 1 if person_id in ids else None


def _waiting(event_id: int) -> Any:
    regs = t.registrations
    return (
        select(regs)
        .where(regs.c.event_id == event_id, regs.c.state == WAITING)
        .order_by(regs.c.queued_at, regs.c.id)
    )


def _current_version(conn: Connection, event_id: int) -> int:
    settings = t.registration_settings
    found = conn.execute(
        select(settings.c.coc_version).where(settings.c.event_id == event_id)
    ).scalar()
    return 1 if found is None else int(found)


def coc_outdated(conn: Connection, event_id: int, person_id: int) -> bool:
    regs = t.registrations
    accepted = conn.execute(
        select(regs.c.coc_version).where(
            regs.c.event_id == event_id,
            regs.c.person_id == person_id,
            regs.c.state.in_(_HELD),
        )
    ).scalar()
    return accepted is not None and int(accepted) < _current_version(conn, event_id)


def outdated_addresses(conn: Connection, event_id: int) -> list[str]:
    regs = t.registrations
    people = conn.execute(
        select(regs.c.person_id).where(
            regs.c.event_id == event_id,
            regs.c.state.in_(_HELD),
            regs.c.coc_version < _current_version(conn, event_id),
        )
    ).scalars()
    found = (address_of(conn, int(person)) for person in people)
    return sorted(address for address in found if address is not None)


def address_of(conn: Connection, person_id: int) -> str | None:
    """The person's first verified address (the one they signed up with)."""
    query = (
        select(t.emails.c.address)
        .where(t.emails.c.person_id == person_id)
        .order_by(t.emails.c.verified_at, t.emails.c.address_key)
        .limit(1)
    )
    found = conn.execute(query).scalar()
    return None if found is None else str(found)


@dataclass(frozen=True, slots=True)
class Registrant:
    """One registration as the organizers see it."""

    name: str
    address: str
    answers: Answers
    state: str
    coc_version: int
    coc_accepted_at: datetime
    created_at: datetime
    queued_at: datetime


@dataclass(frozen=True, slots=True)
class Overview:
    """The organizers' view: registered people by name, the waiting list in order, and
    counts over everyone registered (``by_team`` by team key)."""

    registered: list[Registrant]
    waiting: list[Registrant]
    cancelled: int
    by_role: dict[str, int]
    by_team: dict[str, int]
    by_band: dict[str, int]
    by_hour: dict[str, int]
    onboarding: int
    first_time: int


def overview(conn: Connection, event_id: int, first_day: date) -> Overview:
    regs = t.registrations
    query = (
        select(regs, t.people.c.display_name)
        .join(t.people, t.people.c.id == regs.c.person_id)
        .where(regs.c.event_id == event_id)
        .order_by(regs.c.queued_at, regs.c.id)
    )
    registered: list[Registrant] = []
    waiting: list[Registrant] = []
    cancelled = 0
    for row in conn.execute(query).all():
        if row.state == CANCELLED:
            cancelled += 1
            continue
        answers = Answers(
            row.role, tuple(row.teams), row.onboarding, row.time_zone, bool(row.first_time)
        )
        registrant = Registrant(
            row.display_name,
            address_of(conn, row.person_id) or "",
            answers,
            row.state,
            row.coc_version,
            row.coc_accepted_at,
            row.created_at,
            row.queued_at,
        )
        (registered if row.state == REGISTERED else waiting).append(registrant)
    registered.sort(key=lambda r: (r.name.casefold(), r.address))
    roles = Counter(r.answers.role for r in registered)
    hours = Counter(hour_label(r.answers.time_zone, first_day) for r in registered)
    return Overview(
        registered,
        waiting,
        cancelled,
        {role: roles[role] for role in ROLES},
        dict(Counter(team for r in registered for team in r.answers.teams)),
        {
            name: sum(band(r.answers.time_zone, first_day) == name for r in registered)
            for name in BANDS
        },
        dict(sorted(hours.items(), key=lambda item: _hour_order(item[0]))),
        sum(r.answers.onboarding for r in registered),
        sum(r.answers.first_time for r in registered),
    )


def _hour_order(label: str) -> int:
    return int(label[3:].replace("+", ""))


def team_numbers(conn: Connection, event_id: int, team: str) -> tuple[int, int]:
    """(registrants who chose ``team``, those of them who want onboarding), counting
    registered and waiting people: numbers only, for the team's chairs."""
    regs = t.registrations
    rows = conn.execute(
        select(regs.c.teams, regs.c.onboarding).where(
            regs.c.event_id == event_id, regs.c.state.in_(_HELD)
        )
    ).all()
    chose = [row for row in rows if team in row.teams]
    return len(chose), sum(bool(row.onboarding) for row in chose)
