"""The organizers' page of the grid: which rooms teams may book, which cells are open.

``/events/{slug}/organize/grid`` (see ``web.organizer`` for who may see it and how its
forms answer). Two kinds of change, both ``commands.organize`` builders through
``Store.change``, audited as ``room bookable ROOM yes|no`` and ``slot open SLOT ROOMS``:

- a room is bookable (teams book its free cells themselves, the planner uses it) or kept
  for the organizers (``RoomChanged``);
- a slot's row says, room by room, which of its cells are available (``CellChanged``
  between unavailable and free). A cell that a team holds, or that is pinned for the
  planner, is not closed: the refusal says what to free first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ptghub.commands import organize
from ptghub.core.events import CellChanged, RoomChanged
from ptghub.core.model import Actor, CellStatus, EventState, Room, Slot
from ptghub.store.results import Result
from ptghub.store.store import Store
from ptghub.web.organize_pages import organize_path, organizer_page
from ptghub.web.organizer import Fields, act, organizer_errors

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True, slots=True)
class GridCell:
    room: Room
    status: CellStatus
    team: str | None  # the slug of the team holding it
    pinned: bool

    @property
    def available(self) -> bool:
        return self.status is not CellStatus.UNAVAILABLE


@dataclass(frozen=True, slots=True)
class GridRow:
    slot: Slot
    cells: tuple[GridCell, ...]


def _days(state: EventState) -> list[tuple[date, list[GridRow]]]:
    days: dict[date, list[GridRow]] = {}
    for slot_key, slot in state.slots.items():
        cells = []
        for room_key, room in state.rooms.items():
            cell = state.cell(room_key, slot_key)
            team = state.teams[cell.team].slug if cell.team in state.teams else None
            pinned = (room_key, slot_key) in state.pins
            cells.append(GridCell(room, cell.status, team, pinned))
        days.setdefault(slot.day, []).append(GridRow(slot, tuple(cells)))
    return list(days.items())


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


@router.get("/events/{slug}/organize/grid", response_class=HTMLResponse)
@organizer_errors
def grid(request: Request, slug: str) -> Response:
    return organizer_page(
        request,
        slug,
        "organize_grid.html",
        "Rooms and slots",
        lambda state: {"rooms": list(state.rooms.values()), "grid_days": _days(state)},
    )


@router.post("/events/{slug}/organize/grid/room")
async def set_bookable(request: Request, slug: str) -> Response:
    store = _store(request)

    def change(actor: Actor, fields: Fields) -> Result:
        room, bookable = fields.get("room", ""), fields.get("bookable", "") == "yes"
        yes_no = "yes" if bookable else "no"
        build = organize.set_bookable(room, bookable)
        result = store.change(build, actor, f"room bookable {room} {yes_no}", event=slug)
        if result.audit_id is None:
            return Result(f"Nothing to change: {room} was already {_bookable_text(bookable)}.")
        changed = result.events[0]
        assert isinstance(changed, RoomChanged)
        name = changed.new.name
        return Result(
            f"OK, {name} is now {_bookable_text(bookable)}.", result.events, (), result.audit_id
        )

    return await act(request, organize_path(slug, "grid"), change)


def _bookable_text(bookable: bool) -> str:
    return "bookable by teams" if bookable else "kept for the organizers"


@router.post("/events/{slug}/organize/grid/slot")
async def set_slot(request: Request, slug: str) -> Response:
    store = _store(request)

    def change(actor: Actor, fields: Fields) -> Result:
        slot, rooms = fields.get("slot", ""), fields.getlist("room")
        text = f"slot open {slot} {', '.join(rooms) or '(no room)'}"
        result = store.change(organize.set_slot(slot, rooms), actor, text, event=slug)
        if result.audit_id is None:
            return Result(f"Nothing to change in {slot}.")
        changes = [e for e in result.events if isinstance(e, CellChanged)]
        opened = sum(1 for e in changes if e.new.status is CellStatus.FREE)
        code = store.state(slug).slots[changes[0].slot].code
        return Result(
            f"OK, {code}: {opened} cell(s) made available, "
            f"{len(changes) - opened} made unavailable.",
            result.events,
            (),
            result.audit_id,
        )

    return await act(request, organize_path(slug, "grid"), change)
