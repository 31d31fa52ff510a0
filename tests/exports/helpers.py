"""Helpers for export tests: hostile text, reading ICS back, the audit log as changes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from icalendar import Calendar

from ptghub.core.model import EventState, Room, Team
from ptghub.exports.revisions import Change
from ptghub.store.store import Store

# Markup, a CDATA end, quotes, ICS separators, a backslash and a CRLF line break.
HOSTILE = 'Nova <script>alert("x")</script> ]]> a,b;c\\d\r\nsecond line & more'


def hostile(state: EventState) -> EventState:
    """``state`` with the event name, nova's name and description, Austin's name and
    description and the etherpad of nova all made of hostile text."""
    assert state.info is not None
    info = replace(state.info, name=f"Event {HOSTILE}")
    nova = replace(state.teams["nova"], name=HOSTILE, description=f"About {HOSTILE}")
    austin = Room(f"Austin {HOSTILE}", 50, "https://meet.example.org/austin?a=1&b=2")
    renamed = {"austin": austin.key}
    rooms = {renamed.get(key, key): room for key, room in state.rooms.items()}
    rooms[austin.key] = austin
    cells = {(renamed.get(room, room), slot): cell for (room, slot), cell in state.cells.items()}
    teams: dict[str, Team] = {**state.teams, "nova": nova}
    return replace(state, info=info, teams=teams, rooms=rooms, cells=cells)


def vevents(body: bytes) -> list[dict[str, Any]]:
    """The VEVENTs of an ICS body, each as a dict of decoded property values."""
    calendar = Calendar.from_ical(body)
    result = []
    for event in calendar.walk("VEVENT"):
        result.append(
            {
                "uid": str(event["UID"]),
                "sequence": int(event["SEQUENCE"]),
                "start": event.decoded("DTSTART"),
                "end": event.decoded("DTEND"),
                "summary": str(event["SUMMARY"]),
                "location": str(event.get("LOCATION", "")),
                "url": str(event.get("URL", "")),
                "description": str(event.get("DESCRIPTION", "")),
                "stamp": event.decoded("DTSTAMP"),
            }
        )
    return result


def changes(store: Store, event: str | None = None) -> list[Change]:
    """The event's audit log as the plain data ``exports.revisions`` takes."""
    return [(entry.id, entry.at, entry.events) for entry in store.audit(event)]


def by_uid(events: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {event["uid"]: event for event in events}
