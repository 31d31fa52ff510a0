"""The event as a conference schedule: what ``schedule.xml`` and the c3voc JSONs all say.

Schedule apps (Giggity, EventFahrplan, ConfClerk) keep favourites by an event's ``guid``
(and older ones by its numeric ``id``), so both come from the session's stable id
(``exports.sessions``): the guid is that uuid5, the id a 31-bit number derived from it
(Java apps read it as an int). Two sessions whose numbers collide are told apart
deterministically: the one with the smaller guid keeps the number, the other takes the
next free one.

Each session is a schedule event titled with the team's name, of type ``meeting``, in
the team's track (named after the team, with ``track_slug`` as its slug), in English
(the language PTG sessions are held in). Its URL is the team's etherpad, where its
agenda lives; the video link is among its links. Socials have no room, which these
formats require, so they are not in them (they are in the whole event's ICS feed).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import webcolors

from ptghub.core.model import EventState, Room
from ptghub.exports.ics import is_http
from ptghub.exports.sessions import Session, room_id, sessions

ID_SPACE = 2**31 - 1
LANGUAGE = "en"
EVENT_TYPE = "meeting"


@dataclass(frozen=True, slots=True)
class Talk:
    """One session as a schedule event; times are aware, in the event's time zone."""

    guid: uuid.UUID
    id: int
    slug: str
    title: str
    abstract: str
    track: str
    track_slug: str
    room: str
    starts: datetime
    ends: datetime
    url: str | None
    links: tuple[tuple[str, str], ...]  # (title, http(s) URL)
    description: str

    @property
    def start(self) -> str:
        return f"{self.starts:%H:%M}"

    @property
    def duration(self) -> str:
        return hours_minutes(self.ends - self.starts)


@dataclass(frozen=True, slots=True)
class Track:
    """A team as a track: its name, ``track_slug`` and ``#rrggbb`` colour if it has one."""

    name: str
    slug: str
    color: str | None


@dataclass(frozen=True, slots=True)
class ScheduleRoom:
    room: Room
    guid: uuid.UUID
    talks: tuple[Talk, ...]


@dataclass(frozen=True, slots=True)
class ScheduleDay:
    index: int  # from 1
    day: date
    starts: datetime
    ends: datetime
    rooms: tuple[ScheduleRoom, ...]  # every room, in the event's order


@dataclass(frozen=True, slots=True)
class Conference:
    title: str
    acronym: str
    start: date
    end: date
    timezone: str
    timeslot: str  # "HH:MM", the shortest slot
    rooms: tuple[tuple[Room, uuid.UUID], ...]
    tracks: tuple[Track, ...]
    days: tuple[ScheduleDay, ...]


def hours_minutes(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def acronym(slug: str) -> str:
    """The slug in the alphabet both schemas accept: ``[a-z0-9_]``, at least 4 long."""
    return re.sub(r"[^a-z0-9_]", "_", slug.lower()).ljust(4, "_")


def track_slug(team_slug: str) -> str:
    """A team slug in the schemas' slug alphabet (``[a-z0-9_-]``, ending alphanumeric)."""
    return re.sub(r"[^a-z0-9_-]", "-", team_slug.lower()).rstrip("-_") or "team"


def hex_color(color: str | None) -> str | None:
    """A CSS colour as ``#rrggbb``, or None when it has no such form (rgb(), alpha)."""
    if color is None:
        return None
    try:
        if color.startswith("#"):
            return str(webcolors.normalize_hex(color))
        return str(webcolors.name_to_hex(color))
    except ValueError:
        return None


def numeric_ids(guids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """A distinct number in 1..2**31-1 per guid, stable as long as no new collision."""
    taken: set[int] = set()
    result: dict[uuid.UUID, int] = {}
    for guid in sorted(guids):
        number = guid.int % ID_SPACE + 1
        while number in taken:
            number = number % ID_SPACE + 1
        taken.add(number)
        result[guid] = number
    return result


def conference(state: EventState) -> Conference:
    info = state.info
    assert info is not None
    zone = ZoneInfo(info.timezone)
    found = sessions(state)
    ids = numeric_ids([s.id for s in found])
    short = acronym(info.slug)
    talks = [_talk(state, s, ids[s.id], short, zone) for s in found]
    durations = [
        datetime.combine(s.day, s.end) - datetime.combine(s.day, s.start)
        for s in state.slots.values()
    ]
    rooms = tuple((room, room_id(info.slug, room)) for room in state.rooms.values())
    return Conference(
        title=info.name,
        acronym=short,
        start=info.start,
        end=info.end,
        timezone=info.timezone,
        timeslot=hours_minutes(min(durations, default=timedelta(hours=1))),
        rooms=rooms,
        tracks=tuple(
            Track(t.name, track_slug(t.slug), hex_color(t.color)) for t in state.teams.values()
        ),
        days=_days(state, talks, rooms, zone),
    )


def _talk(state: EventState, session: Session, number: int, short: str, zone: ZoneInfo) -> Talk:
    team, room = session.team, session.room
    video = state.video_url(team, room)
    etherpad = state.etherpad_url(team)
    links = tuple(
        (title, url) for title, url in (("Etherpad", etherpad), ("Video", video)) if is_http(url)
    )
    lines = [f"Etherpad: {etherpad}"] + ([f"Video: {video}"] if video else [])
    team_part = track_slug(team.slug)
    return Talk(
        guid=session.id,
        id=number,
        slug=f"{short}-{number}-{team_part}",
        title=team.name,
        abstract=team.description,
        track=team.name,
        track_slug=team_part,
        room=room.name,
        starts=session.starts.astimezone(zone),
        ends=session.ends.astimezone(zone),
        url=etherpad if is_http(etherpad) else None,
        links=tuple((title, url) for title, url in links if url is not None),
        description="\n".join(lines),
    )


def _days(
    state: EventState,
    talks: list[Talk],
    rooms: tuple[tuple[Room, uuid.UUID], ...],
    zone: ZoneInfo,
) -> tuple[ScheduleDay, ...]:
    """The event's dates and any date that has slots; a date without slots spans 24 h."""
    info = state.info
    assert info is not None
    dates = {info.start + timedelta(days=n) for n in range((info.end - info.start).days + 1)}
    dates |= {slot.day for slot in state.slots.values()}
    result = []
    for index, day in enumerate(sorted(dates), start=1):
        slots = [s for s in state.slots.values() if s.day == day]
        first = min((s.start for s in slots), default=time(0))
        starts = datetime.combine(day, first, tzinfo=zone)
        if slots:
            ends = datetime.combine(day, max(s.end for s in slots), tzinfo=zone)
        else:
            ends = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
        day_rooms = tuple(
            ScheduleRoom(
                room,
                guid,
                tuple(t for t in talks if t.room == room.name and t.starts.date() == day),
            )
            for room, guid in rooms
        )
        result.append(ScheduleDay(index, day, starts, ends, day_rooms))
    return tuple(result)
