"""The organizers' report: each figure of an event as a chart with its data (``ptghub.charts``).

``build_report(timeline, registrations)`` gives the charts in the order the dashboard
shows them, each with a ``description`` that says its main figures in words (the text
alternative of the chart) and its CSV. What each figure counts: ``room_hours`` (room
utilization), ``team_hours`` (hours per team), ``activity`` (check-ins, the busiest
sessions, bookings per day); registrations are counted by ``store.registration_reports``
and handed in by the front end. Times are shown in the event's zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ptghub.charts import Chart, bars, heatmap, timeseries
from ptghub.history.activity import bookings_by_day, busiest_sessions, checkins_by_hour
from ptghub.history.compare import number
from ptghub.history.room_hours import HourUse, hour_label, utilization
from ptghub.history.team_hours import team_hours
from ptghub.history.timeline import Session, Timeline

NAMED = 10  # the teams without needs a description names, at most


@dataclass(frozen=True, slots=True)
class Registrations:
    """Counts of the people registered, labelled as people read them, in their order."""

    by_role: Sequence[tuple[str, int]]
    by_band: Sequence[tuple[str, int]]


def day_label(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def long_day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def hours(minutes: int) -> str:
    return number(minutes / 60)


def percent(share: float) -> str:
    return f"{round(share * 100)}%"


def listed(names: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _zone(timeline: Timeline) -> ZoneInfo:
    assert timeline.state.info is not None
    return ZoneInfo(timeline.state.info.timezone)


def _share(uses: Sequence[HourUse]) -> float | None:
    used = sum(u.planned + u.booked for u in uses)
    total = used + sum(u.free for u in uses)
    return None if total == 0 else used / total


def utilization_chart(timeline: Timeline) -> Chart:
    uses = utilization(timeline)
    days = sorted({u.day for u in uses})
    hours_of_day = sorted({u.hour for u in uses})
    by = {(u.day, u.hour): u for u in uses}
    planned, booked = sum(u.planned for u in uses), sum(u.booked for u in uses)
    free = sum(u.free for u in uses)
    overall = _share(uses)
    if overall is None:
        description = "No room-hours were available: the event has no slots in bookable rooms."
    else:
        shares = [
            (s, d) for d in days if (s := _share([u for u in uses if u.day == d])) is not None
        ]
        busiest = max(shares, key=lambda item: item[0]) if shares else None
        said = (
            f"Rooms were used {percent(busiest[0])} of the time on {long_day(busiest[1])}, "
            "the busiest day; "
            if busiest
            else ""
        )
        description = (
            f"{said}{percent(overall)} over the whole event: {hours(planned)} room-hours "
            f"planned, {hours(booked)} booked during the event and {hours(free)} free."
        )
    rows = [
        (
            day.isoformat(),
            hour_label(u.hour),
            hours(u.planned),
            hours(u.booked),
            hours(u.free),
            "" if u.share is None else f"{u.share:.2f}",
        )
        for day in days
        for u in (by[(day, h)] for h in hours_of_day)
    ]
    return heatmap(
        "utilization",
        "Room utilization by day and hour",
        description,
        rows=[day_label(d) for d in days],
        columns=[hour_label(h) for h in hours_of_day],
        values=[[by[(d, h)].share for h in hours_of_day] for d in days],
        legend="Share of the available room-hours used (planned or booked)",
        table=(
            ("day", "hour", "planned_room_hours", "booked_room_hours", "free_room_hours", "share"),
            rows,
        ),
    )


def team_hours_chart(timeline: Timeline) -> Chart:
    teams = team_hours(timeline)
    silent = [t.name for t in teams if not t.stated]
    planned, booked = hours(sum(t.planned for t in teams)), hours(sum(t.booked for t in teams))
    used = hours(sum(t.used for t in teams))
    if not teams:
        description = "The event has no teams."
    elif len(silent) == len(teams):
        description = (
            f"{len(teams)} teams were planned {planned} hours and booked {booked} more during "
            f"the event, and set a topic in {used} hours of their sessions. No team stated "
            "its needs, so none is counted as wanting any hours."
        )
    else:
        description = (
            f"{len(teams)} teams wanted {hours(sum(t.wanted for t in teams))} hours; they were "
            f"planned {planned} and booked {booked} more during the event, and set a topic "
            f"in {used} hours of their sessions."
        )
        if silent:
            who = "team" if len(silent) == 1 else "teams"
            named = (
                silent if len(silent) <= NAMED else [*silent[:NAMED], f"{len(silent) - NAMED} more"]
            )
            description += (
                f" {len(silent)} {who} stated no needs (counted as 0 hours wanted): "
                f"{listed(named)}."
            )
    return bars(
        "team-hours",
        "Hours per team",
        description,
        categories=[t.name for t in teams],
        series=[
            ("Wanted", [t.wanted / 60 for t in teams]),
            ("Planned", [t.planned / 60 for t in teams]),
            ("Booked extra", [t.booked / 60 for t in teams]),
            ("Used (a topic set)", [t.used / 60 for t in teams]),
        ],
        unit="hours",
        table=(
            (
                "team",
                "name",
                "wanted_hours",
                "needs_stated",
                "planned_hours",
                "booked_hours",
                "used_hours",
            ),
            [
                (
                    t.team,
                    t.name,
                    hours(t.wanted),
                    "yes" if t.stated else "no",
                    hours(t.planned),
                    hours(t.booked),
                    hours(t.used),
                )
                for t in teams
            ],
        ),
    )


def _moment(at: datetime, zone: ZoneInfo) -> str:
    local = at.astimezone(zone)
    return f"{day_label(local.date())} {local:%H:%M}"


def checkins_chart(timeline: Timeline) -> Chart:
    zone = _zone(timeline)
    counts = checkins_by_hour(timeline)
    people = len({c.nick for c in timeline.checkins})
    if people == 0:
        description = "Nobody checked in."
    else:
        peak = max(counts, key=lambda c: c.people) if counts else None
        description = f"{people} {'person' if people == 1 else 'people'} checked in"
        if peak is not None and peak.people:
            description += (
                f"; the most in one hour was {peak.people}, on {_moment(peak.start, zone)}."
            )
        else:
            description += ", none of them during the event's hours."
    return timeseries(
        "checkins",
        "People checked in, hour by hour",
        description,
        labels=[_moment(c.start, zone) for c in counts],
        series=[("People checked in", [c.people for c in counts])],
        unit="people",
        table=(
            ("hour", "people"),
            [(f"{c.start.astimezone(zone):%Y-%m-%d %H:%M}", c.people) for c in counts],
        ),
    )


def session_label(session: Session, timeline: Timeline, zone: ZoneInfo) -> str:
    state = timeline.state
    team = state.teams[session.team].name if session.team in state.teams else session.team
    room = state.rooms[session.room].name if session.room in state.rooms else session.room
    return f"{team}, {room}, {_moment(session.start, zone)}"


def _in_words(session: Session, timeline: Timeline, zone: ZoneInfo) -> str:
    """``Nova in Austin on Mon 4 Apr at 13:00``."""
    state = timeline.state
    team = state.teams[session.team].name if session.team in state.teams else session.team
    room = state.rooms[session.room].name if session.room in state.rooms else session.room
    local = session.start.astimezone(zone)
    return f"{team}'s in {room} on {day_label(local.date())} at {local:%H:%M}"


def busiest_chart(timeline: Timeline) -> Chart:
    zone = _zone(timeline)
    found = busiest_sessions(timeline)
    labels = [session_label(s.session, timeline, zone) for s in found]
    if not found:
        description = "No check-in named a session's team or room while it ran."
    else:
        top = found[0]
        description = (
            f"The busiest session was {_in_words(top.session, timeline, zone)}: {top.people} "
            f"{'person' if top.people == 1 else 'people'} checked in "
            f"({top.checkins} check-in{'' if top.checkins == 1 else 's'})."
        )
    state = timeline.state
    return bars(
        "busiest-sessions",
        "The busiest sessions",
        description,
        categories=labels,
        series=[("People checked in", [s.people for s in found])],
        unit="people",
        table=(
            ("team", "room", "start", "minutes", "people", "checkins"),
            [
                (
                    s.session.team,
                    state.rooms[s.session.room].name
                    if s.session.room in state.rooms
                    else s.session.room,
                    f"{s.session.start.astimezone(zone):%Y-%m-%d %H:%M}",
                    s.session.minutes,
                    s.people,
                    s.checkins,
                )
                for s in found
            ],
        ),
    )


def bookings_chart(timeline: Timeline) -> Chart:
    days = bookings_by_day(timeline)
    total = sum(count for _, count in days)
    if total == 0:
        description = "No bookings were made during the event."
    else:
        most = max(count for _, count in days)
        busiest = [long_day(day) for day, count in days if count == most]
        if total == 1:
            description = f"1 booking was made during the event, on {busiest[0]}."
        else:
            each = f"{most} each" if len(busiest) > 1 else str(most)
            description = (
                f"{total} bookings were made during the event, the most on "
                f"{listed(busiest)} ({each})."
            )
    return bars(
        "bookings",
        "Bookings made during the event, per day",
        description,
        categories=[day_label(d) for d, _ in days],
        series=[("Bookings", [count for _, count in days])],
        unit="bookings",
        horizontal=False,
        table=(("day", "bookings"), [(d.isoformat(), count) for d, count in days]),
    )


def _counted(pairs: Sequence[tuple[str, int]]) -> str:
    return ", ".join(f"{label} {count}" for label, count in pairs)


def registrations_charts(counts: Registrations) -> list[Chart]:
    total = sum(count for _, count in counts.by_role)
    if total == 0:
        said = "Nobody has registered."
    else:
        said = f"{total} {'person' if total == 1 else 'people'} registered"
    return [
        bars(
            "registrations-role",
            "Registrations by role",
            f"{said}; by role: {_counted(counts.by_role)}." if total else said,
            categories=[label for label, _ in counts.by_role],
            series=[("People", [count for _, count in counts.by_role])],
            unit="people",
            table=(("role", "people"), list(counts.by_role)),
        ),
        bars(
            "registrations-band",
            "Registrations by time-zone band",
            f"{said}; by time-zone band: {_counted(counts.by_band)}." if total else said,
            categories=[label for label, _ in counts.by_band],
            series=[("People", [count for _, count in counts.by_band])],
            unit="people",
            table=(("band", "people"), list(counts.by_band)),
        ),
    ]


def build_report(timeline: Timeline, registrations: Registrations | None = None) -> list[Chart]:
    """Every chart of the report, in the dashboard's order; the registrations' when given."""
    charts = [
        utilization_chart(timeline),
        team_hours_chart(timeline),
        checkins_chart(timeline),
        busiest_chart(timeline),
        bookings_chart(timeline),
    ]
    if registrations is not None:
        charts += registrations_charts(registrations)
    return charts
