"""The live regions of the pages, rendered as HTML snippets.

Contract with ``static/live.js`` (and the stream that carries these snippets):

- ``render_fragments(state, at)`` returns ``{key: html}`` for every live region of the
  event at instant ``at``. Keys:

  ``motd``               the messages of the day (banners, class ``motd-LEVEL``);
  ``now-next``           what each active team discusses now, next, where, links;
  ``checkins``           how many people are checked in, per location;
  ``grid-YYYY-MM-DD``    the schedule table of one day (event-local date), with the
                         slot happening at ``at`` marked ``class="now"``, and the same
                         day as a list per room (CSS shows one or the other by width);
  ``grid@ZONE@YYYY-MM-DD`` the same for a day of a viewer's zone whose slots are not
                         those of the event's day (days split at the viewer's midnight,
                         see ``zones``); rendered for the ``zones`` asked for;
  ``team-SLUG``          one team's now/next/location/links (SLUG: the team's key);
  ``signage``            now/next of every room, in large type;
  ``signage-ROOM``       the same for one room (ROOM: ``room_region(name)``).

- A page shows the same snippet inside ``<div data-live="KEY">...</div>``; live.js
  replaces that element's ``innerHTML`` with the new snippet of the same key, and
  ignores keys that the page does not show. It must find regions by comparing
  ``element.dataset.live`` with the key, not by building a CSS selector from it.
- Snippets are complete, escaped HTML (user data is escaped, links are http(s) only)
  and contain no script. Times are ``<time data-tz>`` elements in the event's zone
  (or ``zone``); ``static/time.js`` rewrites them, also after a swap, in the zone the
  viewer chose.
- Each team's row of ``now-next`` carries ``data-filter``, the text a search matches
  (``web.search``). The regions sent on the stream are the same for every viewer, with
  no row hidden; a page asked with ``?q=`` hides the rows that do not match, and
  ``static/filter.js`` hides them again after a swap.
- The page's ``<body>`` carries ``data-stream`` (the SSE address), ``data-version``
  (the event version the page was rendered from) and ``data-event-tz``.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from ptghub.core.board import Board, GridCell, TeamLine, build_board
from ptghub.core.model import CellStatus, EventState, Slot, Team, room_key, team_key
from ptghub.web.search import search_text
from ptghub.web.templating import ENV, badge_colors, path_part, slot_bounds, zone
from ptghub.web.zones import split_days


@dataclass(frozen=True, slots=True)
class Badge:
    """A team as shown on a page: its name on its colour, linking to its page."""

    slug: str
    name: str
    href: str
    background: str
    foreground: str
    onboarding: bool


@dataclass(frozen=True, slots=True)
class SlotView:
    code: str
    start: datetime  # UTC
    end: datetime  # UTC
    now: bool


@dataclass(frozen=True, slots=True)
class CellView:
    code: str
    status: str
    team: Badge | None
    bookable: bool


@dataclass(frozen=True, slots=True)
class DayView:
    day: date
    key: str  # the region key: grid-YYYY-MM-DD
    slots: tuple[SlotView, ...]
    rows: tuple[tuple[str, tuple[CellView, ...]], ...]


@dataclass(frozen=True, slots=True)
class Meeting:
    """A team meeting in a room during one slot (for signage)."""

    team: Badge
    slot: SlotView
    now: str | None
    next: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RoomSign:
    room: str
    region: str
    now: Meeting | None
    next: Meeting | None


def badge(state: EventState, slug: str) -> Badge:
    """The badge of a team given by slug or key (the board gives slugs)."""
    assert state.info is not None
    return _badge(state.teams.get(team_key(slug)), slug, state.info.slug)


# A badge is a pure function of the team and the event; a grid shows hundreds of them
# and every change renders the grids again, so they are computed once per team value.
@lru_cache(maxsize=1024)
def _badge(team: Team | None, slug: str, event: str) -> Badge:
    name = team.name if team else slug
    background, foreground = badge_colors(team.color if team else None)
    href = f"/events/{path_part(event)}/teams/{path_part(team.slug if team else slug)}"
    return Badge(
        team.slug if team else slug,
        name,
        href,
        background,
        foreground,
        bool(team and team.onboarding),
    )


def room_region(name: str) -> str:
    """The region key of a room's sign: ``signage-`` and its key made URL-plain."""
    return "signage-" + (re.sub(r"[^a-z0-9]+", "-", room_key(name)).strip("-") or "room")


def day_views(state: EventState, board: Board) -> tuple[DayView, ...]:
    """The grid of every day, with each cell's bookability and the current slot marked."""
    assert state.info is not None
    tz, event = state.info.timezone, state.info.slug
    bookable = {room.name: room.bookable for room in state.rooms.values()}
    views = []
    for day in board.days:
        slots = tuple(_slot_view(slot, tz, board.current_slot) for slot in day.slots)
        rows = tuple(
            (
                room,
                tuple(
                    _cell(
                        cell,
                        bookable.get(cell.room, False),
                        state.teams.get(team_key(cell.team)) if cell.team else None,
                        event,
                    )
                    for cell in cells
                ),
            )
            for room, cells in day.rows
        )
        views.append(DayView(day.day, f"grid-{day.day.isoformat()}", slots, rows))
    return tuple(views)


def _slot_view(slot: Slot, tz: str, current: str | None) -> SlotView:
    start, end = slot_bounds(slot, tz)
    return SlotView(slot.code, start, end, slot.code == current)


# Computed once per distinct cell: a grid holds about a thousand cells and almost all
# of them are the same from one change to the next.
@lru_cache(maxsize=8192)
def _cell(cell: GridCell, bookable: bool, team: Team | None, event: str) -> CellView:
    badge = _badge(team, cell.team, event) if cell.team else None
    return CellView(cell.code, cell.status.value, badge, bookable)


def active_lines(board: Board) -> tuple[TeamLine, ...]:
    """Teams with something to show now: a topic, a next topic, or a room now."""
    return tuple(line for line in board.teams if line.now or line.next or line.room)


def room_signs(state: EventState, at: datetime) -> tuple[RoomSign, ...]:
    """For each room: who meets there now and who next, today (the event's day).

    Consecutive slots of one team in a room are one meeting, shown with its whole span.
    """
    assert state.info is not None
    tz = state.info.timezone
    local_day = at.astimezone(zone(tz)).date()
    today = sorted(
        (slot_bounds(slot, tz), key) for key, slot in state.slots.items() if slot.day == local_day
    )
    signs: list[RoomSign] = []
    used: set[str] = set()
    for rkey, room in state.rooms.items():
        runs: list[Meeting] = []
        for (start, end), skey in today:
            team = state.cell(rkey, skey).team
            if team is None:
                continue
            last = runs[-1] if runs else None
            if last and team_key(last.team.slug) == team and last.slot.end == start:
                runs[-1] = replace(last, slot=replace(last.slot, end=end))
                continue
            topics = state.topics_of(team)
            slot = SlotView(state.slots[skey].code, start, end, False)
            runs.append(Meeting(badge(state, team), slot, topics.now, topics.next))
        now = next((m for m in runs if m.slot.start <= at < m.slot.end), None)
        upcoming = next((m for m in runs if m.slot.start > at), None)
        region, n = room_region(room.name), 1
        while region in used:  # two names may make one key ("a b" and "a-b")
            n += 1
            region = f"{room_region(room.name)}-{n}"
        used.add(region)
        signs.append(RoomSign(room.name, region, now, upcoming))
    return tuple(signs)


def context(state: EventState, at: datetime, zone_name: str | None = None) -> dict[str, Any]:
    """What the fragment templates need (the pages extend it)."""
    info = state.info
    assert info is not None
    board = build_board(state, at)
    view = zone_name or info.timezone
    days = split_days(day_views(state, board), view, info.timezone)
    return {
        "state": state,
        "info": info,
        "board": board,
        "at": at,
        "zone": view,
        "event_path": f"/events/{path_part(info.slug)}",
        "badge": lambda slug: badge(state, slug),
        "days": days,
        "now_slot": next((slot for day in days for slot in day.slots if slot.now), None),
        "active": active_lines(board),
        "signs": room_signs(state, at),
        "example_code": _example_code(state),
        # What a page's ?q= asks for: regions rendered for the stream search nothing.
        "query": "",
        "line_text": _line_text,
    }


def _line_text(line: TeamLine) -> str:
    """What a team's row of the board is found by (``web.search``)."""
    return search_text(line.name, line.slug, line.now, *line.next)


def _example_code(state: EventState) -> str:
    """A free bookable cell's code, to show what a booking command looks like."""
    for (rkey, skey), cell in state.cells.items():
        room = state.rooms.get(rkey)
        if cell.status is CellStatus.FREE and room and room.bookable:
            return f"{room.name}-{state.slots[skey].code}"
    return "ROOM-SLOT"


def render_fragments(
    state: EventState, at: datetime, *, zone: str | None = None, zones: Collection[str] = ()
) -> dict[str, str]:
    """Every live region's HTML at ``at`` (see the module docstring for the contract);
    with ``zones``, also the grids of the days those zones split differently."""
    ctx = context(state, at, zone)
    out = fragments_of(ctx)
    assert state.info is not None
    event_days = day_views(state, ctx["board"]) if zones else ()
    for name in sorted(set(zones)):
        for day in split_days(event_days, name, state.info.timezone):
            if day.key not in out:
                out[day.key] = _grid(day, name)
    return out


def fragments_of(ctx: dict[str, Any], only: Collection[str] | None = None) -> dict[str, str]:
    """The fragments of an already built context; with ``only``, just those keys."""

    def wanted(key: str) -> bool:
        return only is None or key in only

    out: dict[str, str] = {}
    for key, name in (
        ("motd", "frag_motd.html"),
        ("now-next", "frag_now_next.html"),
        ("checkins", "frag_checkins.html"),
    ):
        if wanted(key):
            out[key] = _render(name, ctx)
    for day in ctx["days"]:
        if wanted(day.key):
            out[day.key] = _grid(day, ctx["zone"])
    team = ENV.get_template("frag_team.html")
    for line in ctx["board"].teams:
        key = f"team-{team_key(line.slug)}"
        if wanted(key):
            out[key] = team.render(ctx, line=line)
    sign = ENV.get_template("frag_signage.html")
    if wanted("signage"):
        out["signage"] = sign.render(ctx, signs=ctx["signs"])
    for room in ctx["signs"]:
        if wanted(room.region):
            out[room.region] = sign.render(ctx, signs=(room,))
    return out


# A day's grid depends only on its DayView and the zone of its times; most changes
# touch one day at most, so the other days' HTML is reused (the live watcher renders
# every region after every change, and the grids are most of that work).
@lru_cache(maxsize=256)
def _grid(day: DayView, zone: str) -> str:
    return ENV.get_template("frag_grid.html").render(day=day, zone=zone)


def _render(name: str, ctx: dict[str, Any]) -> str:
    return ENV.get_template(name).render(ctx)


def next_reload(state: EventState, at: datetime) -> datetime | None:
    """The next slot boundary after ``at`` today, when a sign's now/next changes."""
    assert state.info is not None
    bounds = [b for s in state.slots.values() for b in slot_bounds(s, state.info.timezone)]
    later = [b for b in bounds if at < b <= at + timedelta(days=1)]
    return min(later, default=None)
