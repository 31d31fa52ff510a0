"""Cell references ``ROOM-SLOT``: rooms with spaces and dashes, slot codes with or without dash."""

from __future__ import annotations

from datetime import date, time

import pytest

from ptghub.commands.cells import cell_name, parse_cell
from ptghub.core.apply import apply_all
from ptghub.core.errors import InvalidInput, NotFound
from ptghub.core.model import EventState, Room, Slot
from tests.support import small_event


@pytest.fixture
def state() -> EventState:
    return apply_all(EventState(), small_event())


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("Austin-Mon-A1", ("austin", "mona1")),
        ("austin-mon-a1", ("austin", "mona1")),
        ("AUSTIN-MON-A1", ("austin", "mona1")),
        ("Austin-MonA1", ("austin", "mona1")),
        ("Austin-Tue-P2", ("austin", "tuep2")),
        ("Coiste Bainisti-Mon-P2", ("coiste bainisti", "monp2")),
        ("Coiste Bainisti-MonP2", ("coiste bainisti", "monp2")),
        ("coiste bainisti-monp2", ("coiste bainisti", "monp2")),
        ("Coiste   Bainisti-Tue-A1", ("coiste bainisti", "tuea1")),
        ("  Coiste Bainisti-Tue-A2  ", ("coiste bainisti", "tuea2")),
        ("COISTE BAINISTI-TUE-P1", ("coiste bainisti", "tuep1")),
    ],
    ids=["exact", "lower", "upper", "no-dash", "unavailable-cell-still-parses", "room-space",
         "room-space-no-dash", "all-lower", "repeated-spaces", "outer-spaces", "all-upper"],
)  # fmt: skip
def test_parse_cell_accepts_the_forms_people_type(
    state: EventState, text: str, cell: tuple[str, str]
) -> None:
    assert parse_cell(state, text) == cell


def test_parse_cell_longest_slot_code_wins() -> None:
    day = date(2022, 4, 4)
    state = EventState(
        rooms={r.key: r for r in (Room("Austin"), Room("Austin-Mon"))},
        slots={s.key: s for s in (Slot("A1", day, time(9), time(10)),
                                  Slot("Mon-A1", day, time(10), time(11)))},
    )  # fmt: skip
    assert parse_cell(state, "Austin-Mon-A1") == ("austin", "mona1")
    assert parse_cell(state, "Austin-Mon-MonA1") == ("austin-mon", "mona1")


def test_parse_cell_falls_back_to_shorter_slot_code_when_room_only_matches_it() -> None:
    day = date(2022, 4, 4)
    state = EventState(
        rooms={"hall-mon": Room("Hall-Mon")},
        slots={s.key: s for s in (Slot("A1", day, time(9), time(10)),
                                  Slot("Mon-A1", day, time(10), time(11)))},
    )  # fmt: skip
    assert parse_cell(state, "Hall-Mon-A1") == ("hall-mon", "a1")


def test_parse_cell_empty_is_refused(state: EventState) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_cell(state, "   ")
    assert error.value.message == (
        "Missing cell: expected ROOM-SLOT, for example 'Austin-Mon-13h'."
    )


def test_parse_cell_unknown_slot_is_refused(state: EventState) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_cell(state, "Austin-Wed-A1")
    assert error.value.message == (
        "'Austin-Wed-A1' does not end with a known slot code: expected ROOM-SLOT, for example "
        "'Austin-Mon-13h' (the board shows the code of every free cell)."
    )


def test_parse_cell_slot_without_room_is_refused(state: EventState) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_cell(state, "Mon-A1")
    assert error.value.message == (
        "'Mon-A1' does not end with a known slot code: expected ROOM-SLOT, for example "
        "'Austin-Mon-13h' (the board shows the code of every free cell)."
    )


def test_parse_cell_unknown_room_is_not_found(state: EventState) -> None:
    with pytest.raises(NotFound) as error:
        parse_cell(state, "Nowhere-Mon-P2")
    assert error.value.message == "Unknown room 'Nowhere' in 'Nowhere-Mon-P2'."


def test_parse_cell_space_before_slot_is_not_a_separator(state: EventState) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_cell(state, "Coiste Bainisti Mon-P2")
    assert error.value.message == (
        "'Coiste Bainisti Mon-P2' does not end with a known slot code: expected ROOM-SLOT, "
        "for example 'Austin-Mon-13h' (the board shows the code of every free cell)."
    )


def test_parse_cell_echoes_long_input_shortened(state: EventState) -> None:
    with pytest.raises(NotFound) as error:
        parse_cell(state, "R" * 100 + "-Mon-P2")
    assert error.value.message == (f"Unknown room '{'R' * 39}…' in '{'R' * 39}…'.")


def test_cell_name_uses_display_names(state: EventState) -> None:
    assert cell_name(state, "coiste bainisti", "monp2") == "Coiste Bainisti-Mon-P2"
