"""Writing the domain events of an event's grid, its rooms and slots (added, removed,
changed, reordered), to the tables; ``persist`` dispatches them here."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, func, insert, select, update

from ptghub.core.events import (
    RoomAdded,
    RoomChanged,
    RoomRemoved,
    RoomsReordered,
    SlotAdded,
    SlotChanged,
    SlotRemoved,
    SlotsReordered,
)
from ptghub.core.model import Room
from ptghub.store import tables as t


def next_position(conn: Connection, table: Table, event_id: int) -> int:
    found = conn.execute(
        select(func.max(table.c.position)).where(table.c.event_id == event_id)
    ).scalar()
    return int(found or 0) + 1


def _room_values(r: Room) -> dict[str, Any]:
    return {
        "name": r.name,
        "capacity": r.capacity,
        "video_url": r.video_url,
        "description": r.description,
        "bookable": r.bookable,
        "capability": r.capability,
        "capability_icon": r.capability_icon,
        "location": r.location,
    }


def room_added(conn: Connection, eid: int, e: RoomAdded) -> None:
    position = next_position(conn, t.rooms, eid)
    conn.execute(
        insert(t.rooms).values(
            event_id=eid, key=e.room.key, position=position, **_room_values(e.room)
        )
    )


def room_removed(conn: Connection, eid: int, e: RoomRemoved) -> None:
    conn.execute(delete(t.rooms).where(t.rooms.c.event_id == eid, t.rooms.c.key == e.room.key))


def room_changed(conn: Connection, eid: int, e: RoomChanged) -> None:
    conn.execute(
        update(t.rooms)
        .where(t.rooms.c.event_id == eid, t.rooms.c.key == e.new.key)
        .values(**_room_values(e.new))
    )


def _positions(conn: Connection, table: Table, eid: int, keys: tuple[str, ...]) -> None:
    """Number the rows of ``keys`` 1, 2, ... in that order (positions need not be unique
    on the way: the column has no constraint)."""
    conn.execute(
        update(table)
        .where(table.c.event_id == eid, table.c.key == bindparam("row_key"))
        .values(position=bindparam("row_position")),
        [{"row_key": key, "row_position": n} for n, key in enumerate(keys, start=1)],
    )


def rooms_reordered(conn: Connection, eid: int, e: RoomsReordered) -> None:
    _positions(conn, t.rooms, eid, e.new)


def slot_added(conn: Connection, eid: int, e: SlotAdded) -> None:
    s = e.slot
    conn.execute(
        insert(t.slots).values(
            event_id=eid,
            key=s.key,
            position=next_position(conn, t.slots, eid),
            code=s.code,
            day=s.day,
            start=s.start,
            end=s.end,
        )
    )


def slot_removed(conn: Connection, eid: int, e: SlotRemoved) -> None:
    conn.execute(delete(t.slots).where(t.slots.c.event_id == eid, t.slots.c.key == e.slot.key))


def slot_changed(conn: Connection, eid: int, e: SlotChanged) -> None:
    s = e.new
    conn.execute(
        update(t.slots)
        .where(t.slots.c.event_id == eid, t.slots.c.key == s.key)
        .values(code=s.code, day=s.day, start=s.start, end=s.end)
    )


def slots_reordered(conn: Connection, eid: int, e: SlotsReordered) -> None:
    _positions(conn, t.slots, eid, e.new)


# Statements of the changes made during the event, built once (see driver_statements.py for why).
