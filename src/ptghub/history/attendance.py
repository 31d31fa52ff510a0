"""Who came to a session: the check-ins that count for it.

One rule, shared by the team recaps and the organizers' report: a check-in counts for a
session when its location names the session's team (``#nova``, any case) or its room by
name (``in Austin``, compared as room names are: case and repeated spaces do not matter),
and the time it was held overlaps the session's (a check-in still open at the
timeline's end runs to ``timeline.until``).
"""

from __future__ import annotations

from ptghub.core.model import room_key, team_key
from ptghub.history.timeline import CheckIn, Session, Timeline


def names_session(location: str, session: Session) -> bool:
    """Whether a check-in's ``location`` names the session's team or room."""
    where = location.strip()
    if where.startswith("#"):
        return team_key(where) == session.team
    return room_key(where) == session.room


def checkins_for(session: Session, timeline: Timeline) -> list[CheckIn]:
    """The check-ins that count for ``session`` (see the module), in the timeline's order."""
    return [
        checkin
        for checkin in timeline.checkins
        if names_session(checkin.location, session)
        and checkin.start < session.end
        and (checkin.end or timeline.until) > session.start
    ]


def people_at(session: Session, timeline: Timeline) -> int:
    """How many distinct people (nicks) checked in for ``session``."""
    return len({checkin.nick for checkin in checkins_for(session, timeline)})
