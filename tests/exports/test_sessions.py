"""Sessions: how cells merge, and which changes keep a session's id."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from ptghub.core.apply import apply_all
from ptghub.core.events import CellChanged
from ptghub.core.model import Cell, CellStatus, EventState
from ptghub.exports.sessions import sessions, stable_id

FREE = Cell(CellStatus.FREE)


def book(state: EventState, room: str, slot: str, team: str) -> EventState:
    old = state.cell(room, slot)
    return apply_all(state, [CellChanged(room, slot, old, Cell(CellStatus.BOOKED, team))])


def free(state: EventState, room: str, slot: str) -> EventState:
    return apply_all(state, [CellChanged(room, slot, state.cell(room, slot), FREE)])


def summary(state: EventState) -> list[tuple[str, str, list[str], datetime, datetime]]:
    return [
        (s.team.slug, s.room.name, [slot.code for slot in s.slots], s.starts, s.ends)
        for s in sessions(state)
    ]


def utc(hour: int, day: int = 4) -> datetime:
    return datetime(2022, 4, day, hour, tzinfo=UTC)


def test_sessions_merge_consecutive_slots_of_a_team_in_one_room(small_state: EventState) -> None:
    assert summary(small_state) == [
        ("nova", "Austin", ["Mon-A1", "Mon-A2"], utc(13), utc(15)),
    ]


def test_sessions_id_is_uuid5_of_event_room_team_and_first_slot(small_state: EventState) -> None:
    (session,) = sessions(small_state)
    assert session.id == stable_id("session", "test-ptg", "austin", "nova", "mona1")
    assert session.id.version == 5


def test_sessions_do_not_merge_across_days_rooms_or_teams(small_state: EventState) -> None:
    state = book(small_state, "austin", "mona2", "cinder")
    state = book(free(state, "austin", "mona2"), "austin", "monp1", "cinder")
    state = book(state, "coiste bainisti", "monp2", "cinder")
    state = book(state, "austin", "monp2", "nova")
    state = book(state, "austin", "tuea1", "nova")
    assert summary(state) == [
        ("nova", "Austin", ["Mon-A1"], utc(13), utc(14)),
        ("cinder", "Austin", ["Mon-P1"], utc(15), utc(16)),
        ("nova", "Austin", ["Mon-P2"], utc(16), utc(17)),
        ("cinder", "Coiste Bainisti", ["Mon-P2"], utc(16), utc(17)),
        ("nova", "Austin", ["Tue-A1"], utc(13, 5), utc(14, 5)),
    ]


def test_sessions_do_not_merge_across_a_break_in_time(small_state: EventState) -> None:
    # Make Mon-P1 start at 15:30: the lunch-like gap after Mon-A2 splits the session.
    slot = small_state.slots["monp1"]
    slots = {**small_state.slots, "monp1": replace(slot, start=slot.start.replace(minute=30))}
    state = book(replace(small_state, slots=slots), "austin", "monp1", "nova")
    assert summary(state) == [
        ("nova", "Austin", ["Mon-A1", "Mon-A2"], utc(13), utc(15)),
        ("nova", "Austin", ["Mon-P1"], utc(15).replace(minute=30), utc(16)),
    ]


def test_sessions_extending_at_the_end_keeps_the_id(small_state: EventState) -> None:
    (before,) = sessions(small_state)
    (after,) = sessions(book(small_state, "austin", "monp1", "nova"))
    assert (after.id, after.ends) == (before.id, utc(16))


def test_sessions_freeing_the_first_slot_gives_a_new_id(small_state: EventState) -> None:
    (before,) = sessions(small_state)
    (after,) = sessions(free(small_state, "austin", "mona1"))
    assert after.id == stable_id("session", "test-ptg", "austin", "nova", "mona2")
    assert after.id != before.id


def test_sessions_times_are_utc_for_an_event_in_another_zone(small_state: EventState) -> None:
    assert small_state.info is not None
    info = replace(small_state.info, timezone="Europe/Berlin")  # UTC+2 in April
    assert summary(replace(small_state, info=info)) == [
        ("nova", "Austin", ["Mon-A1", "Mon-A2"], utc(11), utc(13)),
    ]
