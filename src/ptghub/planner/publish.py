"""Publishing a draft: the cell changes that make the board show it, or why it cannot.

``publish_events(state, schedule, now)`` is pure: the store runs it under the event's
write claim (``Store.change``), so the state it judges is the one the changes apply to.
Each cell of the draft becomes *planned* for its host team; a planned cell of the
planned rooms (the bookable ones) that the draft leaves empty becomes *free*; a *booked*
cell is never touched — the draft may only hold it as it is, for the same team, and a
booking made since the draft, in a cell it leaves empty, stays (checked with the draft).

The draft is refused (``Conflict``) when it no longer fits the event: a cell it uses has
left the grid, was booked since, or names a removed team; it changes slots that have
begun since it was made (said as such: "these slots have begun: Mon 4 Apr 13:00 UTC;
plan as of an earlier time with --at"); or the checker finds another hard rule broken
against the event as it is now (a pin added, a clash declared...). Every reason names
teams, rooms and slots as people do (``names``). Re-running the planner makes a draft
that fits.

A cell whose team changes is first freed, then planned: teams may swap rooms within a
slot, and each step must keep every team in one room at a time (the core checks it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ptghub.core.errors import Conflict
from ptghub.core.events import CellChanged
from ptghub.core.model import FREE, Cell, CellStatus, EventState
from ptghub.planner.checker import check
from ptghub.planner.from_state import build_instance, held_by, names_of
from ptghub.planner.instance import Cell as PlanCell
from ptghub.planner.instance import Instance, Placement, Schedule

MAX_LISTED = 5


def cell_namer(state: EventState) -> Callable[[PlanCell], str]:
    """How people name a cell: ``Austin-Mon-A1`` (keys when it left the grid)."""

    def name(cell: PlanCell) -> str:
        room, slot = state.rooms.get(cell[0]), state.slots.get(cell[1])
        return f"{room.name if room else cell[0]}-{slot.code if slot else cell[1]}"

    return name


def board_schedule(
    state: EventState, instance: Instance, guests_from: Schedule | None = None
) -> dict[PlanCell, Placement]:
    """What the board holds in the planned rooms and slots: planned and booked cells.

    The board keeps only a cell's host; ``guests_from`` (the published version) gives
    back the guests of a joint session whose host still holds the cell.
    """
    held: dict[PlanCell, Placement] = {}
    for room in instance.rooms:
        for slot in instance.slots:
            cell = state.cell(room.key, slot.key)
            if cell.team is None:
                continue
            where = (room.key, slot.key)
            held[where] = held_by(cell.team, where, guests_from)
    return held


def _refuse(reason: str) -> Conflict:
    reason = reason.rstrip(".")  # the checker's sentences end with one
    return Conflict(f"The draft no longer fits the event: {reason}. Run 'ptghub plan run' again.")


def _listed(items: list[str], sep: str = "; ") -> str:
    shown = sep.join(items[:MAX_LISTED])
    more = len(items) - MAX_LISTED
    return shown + (f"{sep}and {more} more" if more > 0 else "")


def begun_slots(instance: Instance, schedule: Schedule) -> list[str]:
    """The slots, in time order, that have begun and that the draft would change (a cell
    holding other than what it holds, or a cell filled that is empty)."""
    frozen = instance.frozen_slots
    cells = {c for c in [*schedule, *instance.fixed] if c[1] in frozen}
    changed = {c[1] for c in cells if schedule.get(c) != instance.fixed.get(c)}
    return [slot.key for slot in instance.slots if slot.key in changed]


def publish_events(
    state: EventState,
    schedule: Schedule,
    now: datetime | None,
    published: Schedule | None = None,
) -> list[CellChanged]:
    """The cell changes that publish ``schedule``; raises Conflict when it does not fit.

    ``published`` (the version on the board) gives back the guests of the joint sessions
    the board holds, which the board itself does not keep."""
    name = cell_namer(state)
    gone = [name(c) for c in schedule if c not in state.cells]
    if gone:
        raise _refuse(f"{_listed(gone)} {'is' if len(gone) == 1 else 'are'} not in the grid")
    names = names_of(state)
    booked = [
        f"{name(c)} was booked by {names.team(state.cells[c].team or '')}"
        for c, placement in schedule.items()
        if state.cells[c].status is CellStatus.BOOKED and state.cells[c].team != placement.team
    ]
    if booked:
        raise _refuse(_listed(booked))
    unknown = sorted({p.team for p in schedule.values() if p.team not in state.teams})
    if unknown:
        raise _refuse(f"team(s) {', '.join(unknown)} no longer exist")
    instance = build_instance(state, now, published)
    # Bookings made since the draft, in cells it leaves empty, stay: the draft still
    # fits if it keeps their teams out of other rooms at those times (and within caps).
    bookings = {
        cell: placement
        for cell, placement in board_schedule(state, instance).items()
        if state.cells[cell].status is CellStatus.BOOKED
    }
    begun = begun_slots(instance, schedule)
    if begun:
        labels = [names.slot(key) for key in begun]
        raise Conflict(
            f"The draft no longer fits the event: these slots have begun: {_listed(labels, ', ')}; "
            f"plan as of an earlier time with --at (before {labels[0]}), or run "
            "'ptghub plan run' again for a draft of what is left."
        )
    violations = check(instance, {**bookings, **schedule}, names)
    if violations:
        raise _refuse(_listed([v.message.rstrip(".") for v in violations]))

    order = {key: i for i, key in enumerate(state.slots)}
    rooms = {key: i for i, key in enumerate(state.rooms)}

    def where(event: CellChanged) -> tuple[int, int]:
        return order[event.slot], rooms[event.room]

    planned = {(r.key, s.key) for r in instance.rooms for s in instance.slots} & state.cells.keys()
    freed = []
    for cell in planned:
        current = state.cells[cell]
        wanted = schedule.get(cell)
        if current.status is CellStatus.PLANNED and (wanted is None or wanted.team != current.team):
            freed.append(CellChanged(cell[0], cell[1], current, FREE))
    taken = []
    for cell, placement in schedule.items():
        current = state.cells[cell]
        if current.status is CellStatus.BOOKED or current.team == placement.team:
            continue
        taken.append(CellChanged(cell[0], cell[1], FREE, Cell(CellStatus.PLANNED, placement.team)))
    return sorted(freed, key=where) + sorted(taken, key=where)
