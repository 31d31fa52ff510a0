"""The viewer's time zone: which one a page is shown in, and days split at its midnight.

Contracts:

- The zone of a page is, first, ``?tz=ZONE`` (an IANA name, or ``event`` for the event's
  own zone); else the ``ptghub_tz`` cookie that an earlier ``?tz=`` left; else the
  event's zone. A ``?tz=`` that names no zone is a 400 page; a cookie that does (a zone
  database update, a hand-edited cookie) is ignored, never an error.
- ``?tz=`` is remembered in the cookie (a year, the whole site, ``SameSite=Lax``), so
  moving between pages keeps the choice without JavaScript.
- ``split_days`` regroups a schedule's days at the viewer's midnight: a day lists the
  slots that start on that local date. A day whose slots are exactly those of the event's
  day of the same date keeps its region key (``grid-YYYY-MM-DD``), so the live stream's
  grid of that day fits it; any other day gets a key naming the zone
  (``grid@ZONE@YYYY-MM-DD``), which the stream renders while a page of that zone is
  open (``ViewedZones``; ``live.js`` names its zone with ``?tz=``).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from ptghub.core.errors import InvalidInput
from ptghub.web.templating import zone

if TYPE_CHECKING:  # fragments builds its context with split_days
    from ptghub.web.fragments import CellView, DayView, SlotView

COOKIE = "ptghub_tz"
COOKIE_AGE = 365 * 24 * 3600
EVENT_ZONE = "event"  # the choice "the event's own zone", whatever event is shown


def chosen_zone(request: Request, tz: str | None, event_zone: str) -> str:
    """The IANA name of the zone to show the page in (see the module docstring).

    Raises InvalidInput for a ``tz`` parameter that names no zone.
    """
    if tz is not None:
        return _resolve(tz, event_zone)
    remembered = request.cookies.get(COOKIE)
    if remembered:
        try:
            return _resolve(remembered, event_zone)
        except InvalidInput:
            pass
    return event_zone


def _resolve(choice: str, event_zone: str) -> str:
    if choice == EVENT_ZONE:
        return event_zone
    zone(choice)  # raises InvalidInput
    return choice


def remember(response: Response, choice: str) -> None:
    """Keep ``choice`` (a valid ``?tz=`` value) for the viewer's next pages."""
    response.set_cookie(COOKIE, choice, max_age=COOKIE_AGE, path="/", samesite="lax")


def region_key(day: date, view_zone: str | None = None) -> str:
    """The live region key of a day's grid (in the event's zone without ``view_zone``)."""
    if view_zone is None:
        return f"grid-{day.isoformat()}"
    return f"grid@{view_zone}@{day.isoformat()}"


def split_days(days: Iterable[DayView], view_zone: str, event_zone: str) -> tuple[DayView, ...]:
    """The event's days (``days``, split at the event's midnight) split at ``view_zone``'s."""
    days = tuple(days)
    if view_zone == event_zone:
        return days
    if not days:
        return days
    tz = zone(view_zone)
    # Every day of a board has a row for every room, in the same order.
    rooms = [room for room, _ in days[0].rows]
    columns: dict[date, list[tuple[SlotView, tuple[CellView, ...]]]] = {}
    for day in days:
        for index, slot in enumerate(day.slots):
            cells = tuple(cells[index] for _, cells in day.rows)
            local = slot.start.astimezone(tz).date()
            columns.setdefault(local, []).append((slot, cells))
    by_date = {day.day: day for day in days}
    out = []
    for local in sorted(columns):
        column = sorted(columns[local], key=lambda c: c[0].start)
        slots = tuple(slot for slot, _ in column)
        same = by_date.get(local)
        if same is not None and same.slots == slots:
            out.append(same)  # the event's own grid of that date fits: keep it live
            continue
        rows = tuple(
            (room, tuple(cells[index] for _, cells in column)) for index, room in enumerate(rooms)
        )
        key = region_key(local, view_zone)
        out.append(replace(days[0], day=local, key=key, slots=slots, rows=rows))
    return tuple(out)


class ViewedZones:
    """Which zones other than the event's the open live pages of each event are shown in,
    so that the live stream also renders those zones' grids (``render_fragments(zones=)``).

    ``view`` is used on the event loop; ``of`` from the watcher's worker threads.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._zones: dict[str, Counter[str]] = {}

    @contextmanager
    def view(self, slug: str, zone_name: str | None) -> Iterator[bool]:
        """While the block runs, ``slug`` is viewed in ``zone_name`` (None: the event's);
        it gets whether this is the zone's first viewer (its grids are not rendered yet)."""
        if zone_name is None:
            yield False
            return
        with self._lock:
            counts = self._zones.setdefault(slug, Counter())
            counts[zone_name] += 1
            first = counts[zone_name] == 1
        try:
            yield first
        finally:
            with self._lock:
                counts = self._zones[slug]
                counts[zone_name] -= 1
                if counts[zone_name] <= 0:
                    del counts[zone_name]
                if not counts:
                    del self._zones[slug]

    def of(self, slug: str) -> frozenset[str]:
        with self._lock:
            return frozenset(self._zones.get(slug, ()))
