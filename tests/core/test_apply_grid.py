"""apply: the events that change the grid's rooms and slots in place (details, order)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from ptghub.core.apply import apply_all
from ptghub.core.errors import Conflict
from ptghub.core.events import (
    DomainEvent,
    RoomChanged,
    RoomsReordered,
    SlotChanged,
    SlotsReordered,
)
from ptghub.core.model import EventState, Slot
from tests.support import small_event, snapshot


@pytest.fixture
def state() -> EventState:
    return apply_all(EventState(), small_event())


def _conflict(state: EventState, *events: DomainEvent) -> str:
    before = snapshot(state)
    with pytest.raises(Conflict) as error:
        apply_all(state, events)
    assert snapshot(state) == before
    return error.value.message


def _undone(state: EventState, *events: DomainEvent) -> EventState:
    changed = apply_all(state, events)
    inverses = [e.inverse() for e in reversed(events)]
    restored = apply_all(changed, [e for e in inverses if e is not None])
    assert snapshot(restored) == snapshot(state)
    return changed


def test_room_changed_replaces_the_room_in_its_place_and_undoes(state: EventState) -> None:
    old = state.rooms["bexar"]
    new = replace(old, name="BEXAR", capacity=12, bookable=True, description="Upstairs")
    changed = _undone(state, RoomChanged(old, new))
    assert list(changed.rooms) == ["austin", "bexar", "coiste bainisti"]
    assert changed.rooms["bexar"] == new


def test_room_changed_refuses_a_stale_room_or_a_new_name(state: EventState) -> None:
    old = state.rooms["bexar"]
    stale = RoomChanged(replace(old, capacity=1), replace(old, capacity=2))
    assert _conflict(state, stale) == (
        "Room 'Bexar' has changed since the command was read; try again."
    )
    renamed = RoomChanged(old, replace(old, name="Dallas"))
    assert _conflict(state, renamed) == (
        "A room's name can only change in case and spacing; add a new room."
    )


def test_slot_changed_moves_its_times_and_undoes(state: EventState) -> None:
    old = state.slots["mona1"]
    new = Slot("Mon-A1", date(2022, 4, 4), time(12, 30), time(13, 45))
    changed = _undone(state, SlotChanged(old, new))
    assert changed.slots["mona1"] == new
    assert changed.cells == state.cells


def test_slot_changed_refuses_a_stale_slot_or_a_new_code(state: EventState) -> None:
    old = state.slots["mona1"]
    stale = SlotChanged(replace(old, start=time(9)), replace(old, start=time(10)))
    assert _conflict(state, stale) == (
        "Slot 'Mon-A1' has changed since the command was read; try again."
    )
    recoded = SlotChanged(old, replace(old, code="Mon-B1"))
    assert _conflict(state, recoded) == "A slot's code cannot change; add a new slot instead."


def test_rooms_and_slots_reordered_change_only_the_order_and_undo(state: EventState) -> None:
    rooms, slots = tuple(state.rooms), tuple(state.slots)
    new_rooms = ("coiste bainisti", "austin", "bexar")
    new_slots = slots[1:] + slots[:1]
    changed = _undone(state, RoomsReordered(rooms, new_rooms), SlotsReordered(slots, new_slots))
    assert (tuple(changed.rooms), tuple(changed.slots)) == (new_rooms, new_slots)
    assert changed.rooms == state.rooms and changed.slots == state.slots


def test_reordering_refuses_a_stale_order_or_other_rooms(state: EventState) -> None:
    rooms = tuple(state.rooms)
    stale = RoomsReordered(tuple(reversed(rooms)), rooms)
    assert _conflict(state, stale) == (
        "The order of the rooms has changed since the command was read; try again."
    )
    other = RoomsReordered(rooms, ("austin", "bexar", "dallas"))
    assert _conflict(state, other) == "A new order of the rooms must list each of them once."
    slots = tuple(state.slots)
    fewer = SlotsReordered(slots, slots[:-1])
    assert _conflict(state, fewer) == "A new order of the slots must list each of them once."
