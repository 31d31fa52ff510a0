"""The planning problem of an event as it stands: its state turned into an ``Instance``.

Only bookable rooms are planned (the others are the organizers' own). What the planner
must keep is ``fixed``: chairs' bookings, organizers' pins, and whatever is in the slots
that have begun. A slot counts as frozen from its start, not its end: a session under way
cannot be moved to another room or team. Where a chair has booked a cell that was also
pinned, the booking wins: it is what the team was told and relies on; the pin only says
what an organizer wanted of the next plan. ``previous`` is the schedule the teams have
now (the planned cells), which a re-plan should disturb as little as it can.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from ptghub.core.model import CellStatus, EventState, Slot
from ptghub.planner.instance import Cell, Instance, Placement, PlanRoom, PlanSlot, Schedule
from ptghub.planner.names import Names


def build_instance(
    state: EventState, now: datetime | None = None, guests_from: Schedule | None = None
) -> Instance:
    """The planning problem of ``state``; with ``now`` (aware), slots begun by then are
    frozen with what their cells hold.

    The board keeps only a cell's host: ``guests_from`` (the published version) gives
    back the guests of a joint session whose host still holds the cell, so a frozen or
    previous joint session is the joint session it was."""
    if now is not None and now.tzinfo is None:
        raise ValueError("build_instance needs an aware datetime for now")
    zone: tzinfo = ZoneInfo(state.info.timezone) if state.info is not None else UTC
    rooms = tuple(
        PlanRoom(key, room.capacity) for key, room in state.rooms.items() if room.bookable
    )
    position = {key: i for i, key in enumerate(state.slots)}
    ordered = sorted(state.slots.items(), key=lambda s: (s[1].day, s[1].start, position[s[0]]))
    slots = tuple(PlanSlot(key, slot.day, slot.start, slot.end) for key, slot in ordered)
    frozen = frozenset(
        key for key, slot in ordered if now is not None and _starts(slot, zone) <= now
    )
    unavailable: set[Cell] = set()
    fixed: dict[Cell, Placement] = {}
    previous: dict[Cell, Placement] = {}
    for room in rooms:
        for slot in slots:
            where = (room.key, slot.key)
            cell = state.cell(*where)
            if cell.status is CellStatus.UNAVAILABLE:
                unavailable.add(where)
                continue
            held = held_by(cell.team, where, guests_from) if cell.team is not None else None
            if cell.status is CellStatus.PLANNED and held is not None:
                previous[where] = held
            if held is not None and (cell.status is CellStatus.BOOKED or slot.key in frozen):
                fixed[where] = held
            elif where in state.pins and slot.key not in frozen:
                fixed[where] = Placement(state.pins[where])
    return Instance(
        rooms=rooms,
        slots=slots,
        needs=dict(state.needs),
        rules=state.plan_rules,
        unavailable=frozenset(unavailable),
        fixed=fixed,
        frozen_slots=frozen,
        previous=previous,
    )


def held_by(team: str, where: Cell, guests_from: Schedule | None) -> Placement:
    """What the board's ``team`` in cell ``where`` is: with the guests the published
    version gave it there, as long as that version had the same host."""
    published = (guests_from or {}).get(where)
    return Placement(team, published.guests if published and published.team == team else ())


def _starts(slot: Slot, zone: tzinfo) -> datetime:
    # Slots are on the event's clock; ``now`` is UTC: aware datetimes compare correctly.
    return datetime.combine(slot.day, slot.start, tzinfo=zone)


def names_of(state: EventState) -> Names:
    """How the event's people name its teams (display names), rooms and slots."""
    zone = state.info.timezone if state.info is not None else "UTC"
    slots = [PlanSlot(key, slot.day, slot.start, slot.end) for key, slot in state.slots.items()]
    return Names.of_slots(
        slots,
        zone,
        teams={key: team.name for key, team in state.teams.items()},
        rooms={key: room.name for key, room in state.rooms.items()},
    )
