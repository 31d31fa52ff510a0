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
- ``now`` (slug -> topic), ``next`` (slug -> list of topics), ``location`` (slug -> the
  location a team set): only teams that have one.
- ``etherpads``: every team's etherpad URL (the old bot listed only overrides and derived
  the rest from opendev's address, which need not be this event's template).
- ``urls``: video URLs that teams set for themselves (rooms' are in ``schedule``).
- ``colors``: colours that teams set.
- ``motd``: a list of ``{"level", "message"}``; ``links``: title -> URL.
- ``voice``: 1 when only chairs and organizers may change teams, else 0.
- ``eventid``: the event's slug; ``timestamp``: ``"YYYY-MM-DD HH:MM:SS"`` (UTC) of the
  last change.
- ``last_check_in`` and ``subscriptions`` were the bot's private data: always empty.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ptghub.core.model import CellStatus, EventState, Room
from ptghub.exports.sessions import as_utc, to_utc


def ptg_json(state: EventState, *, updated: datetime) -> dict[str, Any]:
    """The old bot's database for ``state``, last changed at ``updated``."""
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
        "colors": {team.slug: team.color for team in teams if team.color},
        "location": {slug: t.location for slug, t in topics.items() if t.location is not None},
        "schedule": _schedule(state),
        "voice": 0 if state.open_to_everyone else 1,
        "eventid": info.slug,
        "motd": [{"level": m.level.value, "message": m.text} for m in state.motd],
        "links": dict(info.links),
        "last_check_in": {},
        "subscriptions": {},
        "timestamp": f"{as_utc(updated):%Y-%m-%d %H:%M:%S}",
    }


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
