"""``ptg.json``: the event in the database format of the old PTG bot (openstack/ptgbot).

Tools written for the old bot read this file, so its shape is kept exactly:

- ``tracks``: team slugs, sorted.
- ``slots``: per English weekday name (``"Monday"``), in day order, a list of
  ``{"name", "desc", "realtime", "duration"}``: the slot code, ``"13:00-14:00"`` in the
  event's local time, the UTC start as ``2022-04-04T13:00:00Z``, and minutes. (The old
  format knows no dates: an event longer than a week puts both Mondays under "Monday".)
- ``schedule``: per room name, ``url`` (its video URL), ``desc``, ``cap_desc`` (its
  capability) and ``cap_icon`` (the capability's icon) when there is one, then slot
  code -> team slug for planned and booked cells, ``""`` for free cells of a bookable
  room. Unavailable cells, and free cells of a room teams cannot book, are absent (the
  old bot offered every ``""`` cell for booking). ``desc`` is the room's description,
  else its capacity as ``"Fits N people"``.
- ``now`` (slug -> topic), ``next`` (slug -> list of topics): only teams that have one.
- ``location``: slug -> where the team is at ``at``: the location it set, else the room
  the schedule gives it in the slot running then (the old bot filled it the same way, and
  its page links the room's ``url`` in ``schedule`` as "join the meeting").
- ``etherpads``: every team's etherpad URL (the old bot listed only overrides and derived
  the rest from opendev's address, which need not be this event's template).
- ``urls``: video URLs that teams set for themselves (rooms' are in ``schedule``).
- ``colors``: every team's colour: the one it set, else ``default_color`` of its slug (the
  old bot gave each new team a colour; its page styles the team's badges with it).
- ``motd``: a list of ``{"level", "message"}``; ``links``: title -> URL.
- ``voice``: 1 when only chairs and organizers may change teams, else 0.
- ``eventid``: the event's slug; ``timestamp``: ``"YYYY-MM-DD HH:MM:SS"`` (UTC) of the
  last change.
- ``last_check_in``: the check-ins, as the old bot kept them: key -> ``{"nick",
  "location", "in", "out"}``, times as ``timestamp`` is, a team's room as ``#slug``. Its
  page counts, per team, the entries with ``in`` and without ``out``. With the event's
  ``show_checkin_nicks`` the keys are the lower-case nicks and every check-in is listed
  (checked out too); without it (the default) only the people checked in now are listed,
  each as ``{"nick": "anonymous", ...}`` under ``anonymous-N``: counts, no names.
- ``subscriptions`` was the bot's private data: always empty.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime
from typing import Any

from ptghub.core.board import current_slot
from ptghub.core.model import CellStatus, EventState, Presence, Room
from ptghub.exports.sessions import as_utc, to_utc

# Default team colours: distinct hues, each dark enough for the white text of the old
# page's badges (contrast at least 4.5:1, tests/exports/test_ptgjson.py checks).
PALETTE = (
    "#1f5f8b",
    "#8b3a1f",
    "#2e6b30",
    "#6a3d8f",
    "#8a6100",
    "#1b6e6e",
    "#a0285a",
    "#4a5a1c",
    "#34495e",
    "#7a4e2d",
    "#3d5a99",
    "#8e2f2f",
)

HIDDEN_NICK = "anonymous"


def default_color(slug: str) -> str:
    """The colour of a team that set none: the same for a slug in every process."""
    return PALETTE[zlib.crc32(slug.casefold().encode()) % len(PALETTE)]


def ptg_json(state: EventState, *, updated: datetime, at: datetime) -> dict[str, Any]:
    """The old bot's database for ``state``, last changed at ``updated``, as at ``at``."""
    info = state.info
    assert info is not None
    teams = state.teams.values()
    topics = {team.slug: state.topics_of(team.key) for team in teams}
    return {
        "tracks": sorted(team.slug for team in teams),
        "slots": _slots(state),
        "now": {slug: t.now for slug, t in topics.items() if t.now is not None},
        "next": {slug: list(t.next) for slug, t in topics.items() if t.next},
        "etherpads": {team.slug: state.etherpad_url(team) for team in teams},
        "urls": {team.slug: team.video_url for team in teams if team.video_url},
        "colors": {team.slug: team.color or default_color(team.slug) for team in teams},
        "location": _locations(state, at),
        "schedule": _schedule(state),
        "voice": 0 if state.open_to_everyone else 1,
        "eventid": info.slug,
        "motd": [{"level": m.level.value, "message": m.text} for m in state.motd],
        "links": dict(info.links),
        "last_check_in": _check_ins(state),
        "subscriptions": {},
        "timestamp": f"{as_utc(updated):%Y-%m-%d %H:%M:%S}",
    }


def _locations(state: EventState, at: datetime) -> dict[str, str]:
    """Slug -> the location the team set, else the room it is scheduled in at ``at``."""
    running = current_slot(state, at)
    rooms = {
        cell.team: state.rooms[room].name
        for (room, slot), cell in state.cells.items()
        if slot == running and cell.team is not None
    }
    locations = {}
    for key, team in state.teams.items():
        where = state.topics_of(key).location or rooms.get(key)
        if where is not None:
            locations[team.slug] = where
    return locations


def _stamp(moment: datetime | None) -> str | None:
    return None if moment is None else f"{as_utc(moment):%Y-%m-%d %H:%M:%S}"


def _check_in(presence: Presence, nick: str) -> dict[str, str | None]:
    return {
        "nick": nick,
        "location": presence.location,
        "in": _stamp(presence.checked_in),
        "out": _stamp(presence.checked_out),
    }


def _check_ins(state: EventState) -> dict[str, dict[str, str | None]]:
    """The old bot's ``last_check_in``: by nick, or anonymous when the event says so."""
    assert state.info is not None
    if state.info.show_checkin_nicks:
        return {key: _check_in(p, p.nick) for key, p in sorted(state.presence.items())}
    present = [p for p in state.presence.values() if p.checked_out is None]
    present.sort(key=lambda p: (p.location, p.checked_in))
    return {f"{HIDDEN_NICK}-{n}": _check_in(p, HIDDEN_NICK) for n, p in enumerate(present, start=1)}


def _slots(state: EventState) -> dict[str, list[dict[str, Any]]]:
    days: dict[str, list[dict[str, Any]]] = {}
    for slot in sorted(state.slots.values(), key=lambda s: (s.day, s.start)):
        starts = to_utc(state, slot.day, slot.start)
        minutes = (to_utc(state, slot.day, slot.end) - starts).total_seconds() // 60
        days.setdefault(f"{slot.day:%A}", []).append(
            {
                "name": slot.code,
                "desc": f"{slot.start:%H:%M}-{slot.end:%H:%M}",
                "realtime": f"{starts.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}",
                "duration": int(minutes),
            }
        )
    return days


def _schedule(state: EventState) -> dict[str, dict[str, str]]:
    schedule: dict[str, dict[str, str]] = {}
    for key, room in state.rooms.items():
        row = _room_header(room)
        for slot_key, slot in state.slots.items():
            cell = state.cell(key, slot_key)
            if cell.team is not None:
                row[slot.code] = state.teams[cell.team].slug
            elif cell.status is CellStatus.FREE and room.bookable:
                row[slot.code] = ""
        schedule[room.name] = row
    return schedule


def _room_header(room: Room) -> dict[str, str]:
    header: dict[str, str] = {}
    if room.video_url:
        header["url"] = room.video_url
    if room.description:
        header["desc"] = room.description
    elif room.capacity:
        header["desc"] = f"Fits {room.capacity} people"
    if room.capability:
        header["cap_desc"] = room.capability
    if room.capability_icon:
        header["cap_icon"] = room.capability_icon
    return header
