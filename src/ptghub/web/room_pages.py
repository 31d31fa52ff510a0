"""The rooms: ``/events/SLUG/rooms`` lists them, ``/events/SLUG/rooms/ROOM`` shows one.

A room's page says what the event file says of it (description, location, capacity,
what it offers, its video link, whether teams may book it), its calendar feed, and its
schedule for one day: today by the store's clock (simulated in the demo) when the event
is on, else its first day; ``?day=YYYY-MM-DD`` picks another. Consecutive slots with the
same occupant (a team, free, or closed) are one row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ptghub.core.model import CellStatus, EventState, room_key
from ptghub.web.calendars import room_feed
from ptghub.web.contents import contents
from ptghub.web.fragments import Badge, badge
from ptghub.web.pages import PageError, _page_context, _selected_day, html_errors, render_page
from ptghub.web.templating import path_part, slot_bounds, zone

router = APIRouter(include_in_schema=False)


@dataclass
class Stretch:
    """Consecutive slots of one day with the same occupant in one room."""

    starts: datetime
    ends: datetime
    first: str  # slot codes
    last: str
    status: CellStatus
    team: Badge | None
    now: bool


def day_schedule(
    state: EventState, room: str, day: date, at: datetime, zone_name: str | None = None
) -> list[Stretch]:
    """The room's slots of ``day`` as stretches of one occupant, the running one marked;
    ``day`` is a date of ``zone_name`` (the event's by default): the slots starting on it."""
    assert state.info is not None
    view = zone(zone_name or state.info.timezone)
    found: list[Stretch] = []
    ordered = sorted(state.slots.items(), key=lambda item: (item[1].day, item[1].start))
    for key, slot in ordered:
        starts, ends = slot_bounds(slot, state.info.timezone)
        if starts.astimezone(view).date() != day:
            continue
        cell = state.cell(room, key)
        now = starts <= at < ends
        last = found[-1] if found else None
        team = badge(state, state.teams[cell.team].slug) if cell.team in state.teams else None
        same = last is not None and last.ends == starts and last.status == cell.status
        if same and last is not None and last.team == team:
            last.ends, last.last, last.now = ends, slot.code, last.now or now
            continue
        found.append(Stretch(starts, ends, slot.code, slot.code, cell.status, team, now))
    return found


def _room_rows(state: EventState, event_path: str) -> list[dict[str, Any]]:
    return [
        {
            "room": room,
            "href": f"{event_path}/rooms/{path_part(room.name)}",
        }
        for room in state.rooms.values()
    ]


@router.get("/events/{slug}/rooms", response_class=HTMLResponse)
@html_errors
def rooms_page(request: Request, slug: str, tz: str | None = None) -> Response:
    ctx = _page_context(request, slug, tz, "rooms", live=False)
    return render_page(
        "rooms.html",
        **ctx,
        title="Rooms",
        rows=_room_rows(ctx["state"], ctx["event_path"]),
        contents=contents(ctx["info"], ctx["event_path"], "rooms"),
    )


@router.get("/events/{slug}/rooms/{room:path}", response_class=HTMLResponse)
@html_errors
def room_page(
    request: Request, slug: str, room: str, tz: str | None = None, day: str | None = None
) -> Response:
    ctx = _page_context(request, slug, tz, "rooms", live=False)
    state: EventState = ctx["state"]
    assert state.info is not None
    found = state.rooms.get(room_key(room))
    if found is None:
        known = ", ".join(r.name for r in state.rooms.values()) or "none yet"
        raise PageError(
            404, "Room not found", f"There is no room '{room}' at {slug}; rooms: {known}."
        )
    selected = _selected_day(ctx, day)

    def day_query(value: date) -> str:
        return urlencode({"day": value.isoformat(), **({"tz": tz} if tz else {})})

    return render_page(
        "room.html",
        **ctx,
        title=found.name,
        room=found,
        selected_day=selected,
        day_query=day_query,
        schedule=(
            day_schedule(state, found.key, selected, ctx["at"], ctx["zone"]) if selected else []
        ),
        feed=room_feed(request, state.info.slug, found.name),
    )
