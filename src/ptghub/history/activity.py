"""What moved during the event: check-ins hour by hour, the busiest sessions, the
bookings made each day. Hours and days are the event's zone's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from ptghub.history.attendance import checkins_for, held_until
from ptghub.history.room_hours import event_days, slot_bounds
from ptghub.history.timeline import Session, Timeline

HOUR = timedelta(hours=1)
BUSIEST = 10  # how many sessions the busiest list holds


def _zone(timeline: Timeline) -> ZoneInfo:
    assert timeline.state.info is not None
    return ZoneInfo(timeline.state.info.timezone)


def event_hours(timeline: Timeline) -> list[datetime]:
    """The start (UTC) of each hour of the event's zone from the hour its first slot
    starts in to the end of its last slot; empty without slots."""
    state = timeline.state
    assert state.info is not None
    bounds = [slot_bounds(slot, state.info.timezone) for slot in state.slots.values()]
    if not bounds:
        return []
    zone = _zone(timeline)
    first = min(start for start, _ in bounds).astimezone(zone)
    last = max(end for _, end in bounds)
    found = []
    at = first.replace(minute=0, second=0, microsecond=0).astimezone(UTC)
    while at < last:
        found.append(at)
        at += HOUR
    return found


@dataclass(frozen=True, slots=True)
class HourCount:
    start: datetime  # UTC
    people: int


def checkins_by_hour(timeline: Timeline) -> list[HourCount]:
    """For each hour of the event (``event_hours``): the distinct people checked in at
    some moment of it (a check-in nobody closed lasts as ``attendance.held_until`` says)."""
    counts = []
    for start in event_hours(timeline):
        end = start + HOUR
        people = {
            c.nick for c in timeline.checkins if c.start < end and held_until(c, timeline) > start
        }
        counts.append(HourCount(start, len(people)))
    return counts


@dataclass(frozen=True, slots=True)
class SessionCount:
    session: Session
    people: int  # distinct nicks
    checkins: int


def busiest_sessions(timeline: Timeline, limit: int = BUSIEST) -> list[SessionCount]:
    """The sessions with the most distinct people checked in (``attendance``), at most
    ``limit``, those with none left out; ties by more check-ins, then in the sessions'
    order (by start, then room)."""
    found = []
    for session in timeline.sessions:
        checkins = checkins_for(session, timeline)
        if checkins:
            found.append(SessionCount(session, len({c.nick for c in checkins}), len(checkins)))
    order = {id(s): n for n, s in enumerate(timeline.sessions)}
    found.sort(key=lambda s: (-s.people, -s.checkins, order[id(s.session)]))
    return found[:limit]


def bookings_by_day(timeline: Timeline) -> list[tuple[date, int]]:
    """The bookings made (``Timeline.bookings``, freed later or not) on each day of the
    event, by the day of their moment in the event's zone; bookings on other days are
    not counted."""
    zone = _zone(timeline)
    days = event_days(timeline.state)
    counts = dict.fromkeys(days, 0)
    for booking in timeline.bookings:
        day = booking.at.astimezone(zone).date()
        if day in counts:
            counts[day] += 1
    return list(counts.items())
