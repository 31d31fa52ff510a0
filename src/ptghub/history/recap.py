"""One team's recap: what it held, discussed and left unused, read from a timeline.

``team_recap(timeline, latest, team)`` is pure. Everything the recap says about what
happened comes from the timeline, which stops at its ``until`` (the end of the event by
default), so a change made afterwards does not rewrite history; the two things written
after the fact, the chairs' outcomes per topic and the team's recording link, come from
``latest``, the event's current state.

Rules:

- Sessions are the team's own and those it was a guest of (``Timeline.sessions_of``),
  by start: a joint session names the other teams ("joint with Cinder", "hosted by
  Nova"). Its check-ins are the distinct people the shared rule counts for it
  (``history.attendance``: a check-in naming one of its teams or its room, while it ran).
  Its topics are the numbers of the team's topics that began in it.
- Topics are the team's, in the order they began, each with its outcome (``latest``).
- Links: the etherpad (the team's own, else the event's template, as the board shows
  it), the video (the team's own, else the video URLs of the rooms it met in, in order
  of first use) and the recordings (``Team.recording``, from ``latest``).
- Planned but not used: sessions over by ``until`` with no topic begun and nobody
  checked in; planned cells given up before their slot; topics queued in ``next`` and
  never discussed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from ptghub.core.errors import InvalidInput, NotFound
from ptghub.core.model import (
    CellStatus,
    EventState,
    Team,
    team_key,
)
from ptghub.core.validate import shorten
from ptghub.history.attendance import people_at
from ptghub.history.timeline import (
    Session,
    Timeline,
    TopicSpan,
    event_end,
    slot_bounds,
)


class LinkKind(StrEnum):
    ETHERPAD = "etherpad"
    VIDEO = "video"
    RECORDING = "recording"


@dataclass(frozen=True, slots=True)
class RecapLink:
    """A link of the recap; ``room`` names the room whose video it is (else None)."""

    kind: LinkKind
    url: str
    room: str | None = None


@dataclass(frozen=True, slots=True)
class RecapSession:
    """A session as the team's recap shows it; rooms and slots by their names.

    ``host`` is the host team's name when the team was a guest; ``joint_with`` the other
    teams of the session (its guests, or the host's other guests), by name.
    """

    room: str
    slots: tuple[str, ...]
    start: datetime
    end: datetime
    status: CellStatus
    checkins: int
    topics: tuple[int, ...]
    host: str | None = None
    joint_with: tuple[str, ...] = ()
    upcoming: bool = False


@dataclass(frozen=True, slots=True)
class RecapTopic:
    """A topic the team discussed; ``minutes`` None while it is still running."""

    number: int
    text: str
    start: datetime
    end: datetime | None
    minutes: int | None
    outcome: str | None = None


@dataclass(frozen=True, slots=True)
class GivenUpCell:
    """A planned cell the team gave up before its slot: where, when it would have been,
    when it was given up."""

    room: str
    slot: str
    start: datetime
    end: datetime
    at: datetime


@dataclass(frozen=True, slots=True)
class TeamRecap:
    """One team's recap at ``until`` (UTC); ``zone`` is the event's time zone."""

    event_slug: str
    event_name: str
    zone: str
    team_slug: str
    team_name: str
    until: datetime
    sessions: tuple[RecapSession, ...]
    topics: tuple[RecapTopic, ...]
    links: tuple[RecapLink, ...]
    unused_sessions: tuple[RecapSession, ...]
    given_up: tuple[GivenUpCell, ...]
    queued: tuple[str, ...]


def team_recap(timeline: Timeline, latest: EventState, team: str) -> TeamRecap:
    """The recap of ``team`` (a slug or key) from ``timeline``, with the outcomes and the
    recording link of ``latest``. NotFound when the team is in neither state."""
    key = team_key(team)
    state = timeline.state
    found = state.teams.get(key) or latest.teams.get(key)
    info = state.info or latest.info
    if found is None or info is None:
        raise NotFound(f"There is no team '{shorten(team)}' at this event; see its list of teams.")
    topics = timeline.topics_of(key)
    sessions = tuple(
        _session(timeline, key, session, topics) for session in timeline.sessions_of(key)
    )
    outcomes = latest.outcomes
    return TeamRecap(
        event_slug=info.slug,
        event_name=info.name,
        zone=info.timezone,
        team_slug=found.slug,
        team_name=found.name,
        until=timeline.until,
        sessions=sessions,
        topics=tuple(
            RecapTopic(t.number, t.text, t.start, t.end, t.minutes, outcomes.get((key, t.number)))
            for t in topics
        ),
        links=_links(state, latest, found, timeline.sessions_of(key)),
        unused_sessions=tuple(
            s for s in sessions if not s.topics and not s.checkins and s.end <= timeline.until
        ),
        given_up=_given_up(timeline, key),
        queued=timeline.queued.get(key, ()),
    )


def recap_until(state: EventState, now: datetime, at: datetime | None = None) -> datetime:
    """The moment a recap is as of: ``at``, else ``now``, and never after the end of the
    event, so that what is changed afterwards does not rewrite what happened."""
    return min(at or now, event_end(state))


def parse_at(text: str, zone: ZoneInfo) -> datetime:
    """A moment given as ISO 8601 (``2022-04-05T15:00``, ``2022-04-05T13:00Z``), in UTC;
    one without an offset is a time of ``zone``. InvalidInput says what is expected."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        shown = "".join(c if c.isprintable() else "?" for c in text)[:60]
        raise InvalidInput(
            f"'{shown}' is not a moment; expected ISO 8601, e.g. 2022-04-05T15:00 (in "
            f"{zone.key}) or 2022-04-05T13:00Z."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def _name(state: EventState, team: str) -> str:
    found = state.teams.get(team)
    return found.name if found else team


def _room_name(state: EventState, room: str) -> str:
    found = state.rooms.get(room)
    return found.name if found else room


def _session(
    timeline: Timeline, team: str, session: Session, topics: list[TopicSpan]
) -> RecapSession:
    state = timeline.state
    host = None if session.team == team else _name(state, session.team)
    others = tuple(_name(state, g) for g in session.guests if g != team)
    return RecapSession(
        room=_room_name(state, session.room),
        slots=tuple(state.slots[s].code if s in state.slots else s for s in session.slots),
        start=session.start,
        end=session.end,
        status=session.status,
        checkins=people_at(session, timeline),
        topics=tuple(t.number for t in topics if session.start <= t.start < session.end),
        host=host,
        joint_with=others,
        upcoming=session.upcoming,
    )


def _links(
    state: EventState, latest: EventState, team: Team, sessions: list[Session]
) -> tuple[RecapLink, ...]:
    links = [RecapLink(LinkKind.ETHERPAD, state.etherpad_url(team))]
    if team.video_url:
        links.append(RecapLink(LinkKind.VIDEO, team.video_url))
    else:
        seen: set[str] = set()
        for session in sessions:
            room = state.rooms.get(session.room)
            if room is not None and room.video_url and room.video_url not in seen:
                seen.add(room.video_url)
                links.append(RecapLink(LinkKind.VIDEO, room.video_url, room.name))
    now = latest.teams.get(team.key)
    if now is not None and now.recording:
        links.append(RecapLink(LinkKind.RECORDING, now.recording))
    return tuple(links)


def _given_up(timeline: Timeline, team: str) -> tuple[GivenUpCell, ...]:
    """The team's given-up cells whose slot the event still has (a removed slot has no
    time left to show)."""
    state = timeline.state
    assert state.info is not None
    cells = []
    for given in timeline.given_up:
        slot = state.slots.get(given.slot)
        if given.team != team or slot is None:
            continue
        start, end = slot_bounds(slot, state.info.timezone)
        cells.append(GivenUpCell(_room_name(state, given.room), slot.code, start, end, given.at))
    return tuple(cells)
