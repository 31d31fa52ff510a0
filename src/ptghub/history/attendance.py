"""Who came to a session: the check-ins that count for it.

One rule, shared by the team recaps and the organizers' report: a check-in counts for a
session when its location names one of the session's teams (the host or a guest of a
joint session: ``#nova``, any case) or its room by name (``in Austin``, compared as room
names are: case and repeated spaces do not matter), and the time it was held overlaps
the session's. A check-in nobody closed (no ``out``, no ``~newday``) runs to the end of
the day it began in the event's zone, or to the timeline's end if that comes first:
people forget to check out, and without the cut one of them would be counted in every
later session of the week.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from ptghub.core.model import room_key, team_key
from ptghub.history.timeline import CheckIn, Session, Timeline


def names_session(location: str, session: Session) -> bool:
    """Whether a check-in's ``location`` names the session's teams or room."""
    where = location.strip()
    if where.startswith("#"):
        key = team_key(where)
        return key == session.team or key in session.guests
    return room_key(where) == session.room


def held_until(checkin: CheckIn, timeline: Timeline) -> datetime:
    """When a check-in stopped counting (see the module)."""
    if checkin.end is not None:
        return checkin.end
    info = timeline.state.info
    zone = ZoneInfo(info.timezone if info is not None else "UTC")
    day = checkin.start.astimezone(zone).date()
    midnight = datetime.combine(day + timedelta(days=1), time(), zone)
    return min(timeline.until, midnight)


def checkins_for(session: Session, timeline: Timeline) -> list[CheckIn]:
    """The check-ins that count for ``session`` (see the module), in the timeline's order."""
    return [
        checkin
        for checkin in timeline.checkins
        if names_session(checkin.location, session)
        and checkin.start < session.end
        and held_until(checkin, timeline) > session.start
    ]


def people_at(session: Session, timeline: Timeline) -> int:
    """How many distinct people (nicks) checked in for ``session``."""
    return len({checkin.nick for checkin in checkins_for(session, timeline)})
