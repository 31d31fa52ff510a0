"""iCalendar (RFC 5545) feeds: the whole event, one team, or one room.

Each feed is a pure function of the state and the revisions (``exports.revisions``), so
the same state always gives the same bytes, which is what lets the web layer answer
``304 Not Modified`` from the event's version alone.

- One VEVENT per session (``exports.sessions`` says how cells merge and why the UIDs stay
  stable); the whole-event feed adds one VEVENT per social.
- Times are in UTC (``DTSTART:20220404T130000Z``): always correct, no VTIMEZONE needed.
- SEQUENCE counts the changes of a VEVENT's content; DTSTAMP and LAST-MODIFIED are the
  time of its last change, so an unrelated change leaves a VEVENT byte for byte the same.
- LOCATION is the room (and its video link), URL the video link (http(s) only), and
  DESCRIPTION lists room, video and etherpad, then the team's description.
- Text is escaped by ``icalendar``. iCalendar TEXT cannot hold a carriage return, so line
  breaks (CRLF, CR) become LF before escaping: that is the only change text undergoes.
- Content lines are folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character;
  ``icalendar`` folds, and unfolding gives the text back.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar, vText
from icalendar import Event as VEvent

from ptghub.core.model import EventState, Room, Social, room_key, team_key
from ptghub.exports.sessions import Session, as_utc, sessions, stable_id

PRODID = "-//ptghub//ptghub//EN"
# How often subscribed clients should poll; PTG schedules change during the day.
REFRESH = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Entry:
    """What one VEVENT says, apart from SEQUENCE and DTSTAMP: equal entries, equal bytes."""

    uid: str
    summary: str
    starts: datetime
    ends: datetime
    location: str
    description: str
    url: str | None
    team: str | None = None  # team key, for the team feed
    room: str | None = None  # room key, for the room feed


@dataclass(frozen=True, slots=True)
class Revision:
    """The last known content of a VEVENT, how often it changed, and when it last did."""

    sequence: int
    changed: datetime
    entry: Entry


def is_http(url: str | None) -> bool:
    """Whether ``url`` may be a link: only http(s) addresses are."""
    if url is None:
        return False
    try:
        return urlsplit(url).scheme.lower() in ("http", "https")
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False


def one_line_breaks(text: str) -> str:
    """CRLF and CR as LF: the only line break iCalendar TEXT can carry."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def entries(state: EventState, rooms: Collection[str] | None = None) -> list[Entry]:
    """Every VEVENT of the whole-event feed: sessions by start, then socials by start.

    With ``rooms`` (room keys), only the sessions held in those rooms.
    """
    assert state.info is not None
    result = [_session_entry(state, session) for session in sessions(state, rooms)]
    if rooms is None:
        result.extend(_social_entries(state))
    return result


def _session_entry(state: EventState, session: Session) -> Entry:
    assert state.info is not None
    team, room = session.team, session.room
    video = state.video_url(team, room)
    etherpad = state.etherpad_url(team)
    lines = [f"Room: {room.name}"]
    if video:
        lines.append(f"Video: {video}")
    lines.append(f"Etherpad: {etherpad}")
    if team.description:
        lines += ["", team.description]
    return Entry(
        uid=f"{session.id}",
        summary=f"{state.info.name}: {team.name}",
        starts=session.starts,
        ends=session.ends,
        location=_location(room, video),
        description="\n".join(lines),
        url=video if is_http(video) else None,
        team=team.key,
        room=room.key,
    )


def _location(room: Room, video: str | None) -> str:
    return f"{room.name} ({video})" if video else room.name


def _social_entries(state: EventState) -> Iterable[Entry]:
    """Socials get ids from their title and rank among same-titled socials by start."""
    assert state.info is not None
    seen: dict[str, int] = {}
    for social in sorted(state.info.socials, key=lambda s: (s.starts, s.title)):
        key = " ".join(social.title.split()).casefold()
        seen[key] = seen.get(key, 0) + 1
        uid = stable_id("social", state.info.slug, key, f"{seen[key]}")
        yield _social_entry(state, social, f"{uid}")


def _social_entry(state: EventState, social: Social, uid: str) -> Entry:
    assert state.info is not None
    parts = [text for text in (social.description, social.url) if text]
    return Entry(
        uid=uid,
        summary=f"{state.info.name}: {social.title}",
        starts=as_utc(social.starts),
        ends=as_utc(social.ends),
        location=social.url or "",
        description="\n\n".join(parts),
        url=social.url if is_http(social.url) else None,
    )


def event_calendar(
    state: EventState, revisions: Mapping[str, Revision], *, generated: datetime
) -> bytes:
    """The whole event: every session and every social.

    ``generated`` is used as DTSTAMP only for a VEVENT that ``revisions`` does not know
    in its current form (the revisions lag behind the state).
    """
    assert state.info is not None
    return _calendar(state.info.name, entries(state), revisions, generated)


def team_calendar(
    state: EventState, team: str, revisions: Mapping[str, Revision], *, generated: datetime
) -> bytes:
    """The sessions of one team (``team`` is a slug or key; the caller checks it exists)."""
    assert state.info is not None
    key = team_key(team)
    name = f"{state.info.name}: {state.teams[key].name}"
    chosen = [e for e in entries(state) if e.team == key]
    return _calendar(name, chosen, revisions, generated)


def teams_calendar(
    state: EventState,
    teams: Collection[str],
    name: str,
    revisions: Mapping[str, Revision],
    *,
    generated: datetime,
) -> bytes:
    """The sessions of several teams (``teams``: keys) as one calendar called ``name``
    (a person's own feed: the teams they follow). Each VEVENT is the same as in the
    whole-event and team feeds, so a calendar app sees one session, whichever feed."""
    keys = {team_key(team) for team in teams}
    chosen = [e for e in entries(state) if e.team is not None and e.team in keys]
    return _calendar(name, chosen, revisions, generated)


def room_calendar(
    state: EventState, room: str, revisions: Mapping[str, Revision], *, generated: datetime
) -> bytes:
    """The sessions held in one room (``room`` is its name in any case)."""
    assert state.info is not None
    key = room_key(room)
    name = f"{state.info.name}: {state.rooms[key].name}"
    chosen = [e for e in entries(state) if e.room == key]
    return _calendar(name, chosen, revisions, generated)


def _calendar(
    name: str, chosen: list[Entry], revisions: Mapping[str, Revision], generated: datetime
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # X- properties default to raw values in icalendar: vText makes it escape this one.
    calendar.add("x-wr-calname", vText(one_line_breaks(name)))
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT15M")
    for entry in chosen:
        sequence, changed = _revision_of(entry, revisions, generated)
        calendar.add_component(_vevent(entry, sequence, changed))
    return bytes(calendar.to_ical())


def _revision_of(
    entry: Entry, revisions: Mapping[str, Revision], generated: datetime
) -> tuple[int, datetime]:
    known = revisions.get(entry.uid)
    if known is None:
        return 0, generated
    if known.entry == entry:
        return known.sequence, known.changed
    return known.sequence + 1, generated  # changed since the revisions were read


def _vevent(entry: Entry, sequence: int, changed: datetime) -> VEvent:
    event = VEvent()
    event.add("uid", entry.uid)
    event.add("dtstamp", as_utc(changed))
    event.add("last-modified", as_utc(changed))
    event.add("sequence", sequence)
    event.add("dtstart", entry.starts)
    event.add("dtend", entry.ends)
    event.add("summary", one_line_breaks(entry.summary))
    if entry.location:
        event.add("location", one_line_breaks(entry.location))
    if entry.description:
        event.add("description", one_line_breaks(entry.description))
    if entry.url:
        event.add("url", entry.url)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event
