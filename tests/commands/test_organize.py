"""The organizers' builders (commands/organize.py) as pure functions: a state and an actor
in, domain events out (or a refusal saying what is wrong); no database."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import pytest

from ptghub.commands.organize import (
    MAX_PAGE,
    rename_team,
    set_bookable,
    set_cells,
    set_page,
    set_slot,
)
from ptghub.core.apply import apply_all
from ptghub.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, PtgError
from ptghub.core.events import (
    CellChanged,
    DomainEvent,
    EventInfoChanged,
    PinChanged,
    RoomChanged,
    TeamChanged,
)
from ptghub.core.model import FREE, Actor, Cell, CellStatus, EventState, Team, TeamKind
from tests.support import ALICE, NOVA_CHAIR, ORGANIZER, small_event

CLOSED = Cell(CellStatus.UNAVAILABLE)


@pytest.fixture
def state() -> EventState:
    """The small test event: Austin, Bexar (not bookable), Coiste Bainisti; nova planned
    in Austin Mon-A1 and Mon-A2; Austin has no Tue-P2 cell."""
    return apply_all(EventState(), small_event())


Build = Callable[[EventState, Actor], Sequence[DomainEvent]]


def _refused(error: type[PtgError], build: Build, state: EventState, actor: Actor) -> str:
    with pytest.raises(error) as raised:
        build(state, actor)
    return raised.value.message


# -- renaming a team -----------------------------------------------------------------


def test_rename_changes_the_name_shown_and_keeps_the_slug(state: EventState) -> None:
    events = rename_team("#Cinder", "  Cinder Block Storage ")(state, ORGANIZER)
    assert events == [TeamChanged(Team("cinder", "Cinder"), Team("cinder", "Cinder Block Storage"))]
    after = apply_all(state, events)
    assert after.teams["cinder"] == Team("cinder", "Cinder Block Storage", TeamKind.PROJECT_TEAM)


def test_rename_to_the_same_name_makes_no_event(state: EventState) -> None:
    assert rename_team("cinder", "Cinder")(state, ORGANIZER) == []


def test_rename_is_for_organizers_only(state: EventState) -> None:
    for actor in (NOVA_CHAIR, ALICE):
        message = _refused(PermissionDenied, rename_team("nova", "Nova"), state, actor)
        assert message == f"Renaming a team needs an organizer; {actor.nick} is not one."


def test_rename_refuses_an_unknown_team_and_a_bad_name(state: EventState) -> None:
    message = _refused(NotFound, rename_team("swift", "Swift"), state, ORGANIZER)
    assert message == "Unknown team '#swift'. Send '~list' to see the teams."
    assert _refused(InvalidInput, rename_team("nova", "   "), state, ORGANIZER) == (
        "Missing team name."
    )
    assert _refused(InvalidInput, rename_team("nova", "N" * 81), state, ORGANIZER) == (
        "The team name is 81 characters long; at most 80 are allowed."
    )
    assert _refused(InvalidInput, rename_team("nova", "No\nva"), state, ORGANIZER) == (
        "The team name contains a non-printable character (U+000A) at position 3; "
        "use printable text only."
    )


# -- rooms: bookable or not ----------------------------------------------------------


def test_a_room_becomes_bookable_or_kept_for_the_organizers(state: EventState) -> None:
    bexar = state.rooms["bexar"]
    events = set_bookable("bexar", True)(state, ORGANIZER)
    assert events == [RoomChanged(bexar, replace(bexar, bookable=True))]
    after = apply_all(state, events)
    assert after.rooms["bexar"].bookable is True
    closed = apply_all(after, set_bookable("BEXAR", False)(after, ORGANIZER))
    assert closed.rooms == state.rooms
    assert set_bookable("Austin", True)(state, ORGANIZER) == []  # already bookable


def test_bookable_refusals(state: EventState) -> None:
    message = _refused(PermissionDenied, set_bookable("bexar", True), state, NOVA_CHAIR)
    assert message == "Changing a room needs an organizer; nchair is not one."
    message = _refused(NotFound, set_bookable("Essex", True), state, ORGANIZER)
    assert message == "Unknown room 'Essex'; the rooms are: Austin, Bexar, Coiste Bainisti."


# -- cells: available or not ---------------------------------------------------------


def test_a_slots_row_opens_and_closes_its_cells(state: EventState) -> None:
    # Tue-P2: Austin closed; Bexar and Coiste Bainisti free. Open Austin, close Bexar.
    events = set_slot("tue-p2", ["Austin", "coiste bainisti"])(state, ORGANIZER)
    assert events == [
        CellChanged("austin", "tuep2", CLOSED, FREE),
        CellChanged("bexar", "tuep2", FREE, CLOSED),
    ]
    after = apply_all(state, events)
    assert after.cell("austin", "tuep2") == FREE
    assert after.cell("bexar", "tuep2") == CLOSED
    assert ("bexar", "tuep2") not in after.cells
    assert set_slot("Tue-P2", ["Austin", "Coiste Bainisti"])(after, ORGANIZER) == []


def test_cells_open_and_close_one_by_one(state: EventState) -> None:
    events = set_cells([("Austin", "Tue-P2", True), ("Bexar", "Mon-A1", False)])(state, ORGANIZER)
    assert events == [
        CellChanged("austin", "tuep2", CLOSED, FREE),
        CellChanged("bexar", "mona1", FREE, CLOSED),
    ]
    assert set_cells([("Austin", "Mon-P1", True)])(state, ORGANIZER) == []


def test_a_cell_a_team_holds_is_not_closed(state: EventState) -> None:
    message = _refused(Conflict, set_slot("Mon-A1", ["Bexar"]), state, ORGANIZER)
    assert message == (
        "Austin-Mon-A1 is planned for nova; free it first ('#nova unbook Austin-Mon-A1') "
        "before making it unavailable."
    )


def test_a_pinned_cell_is_not_closed(state: EventState) -> None:
    pinned = apply_all(state, [PinChanged("coiste bainisti", "mona1", None, "cinder")])
    message = _refused(
        Conflict, set_cells([("Coiste Bainisti", "Mon-A1", False)]), pinned, ORGANIZER
    )
    assert message == "Coiste Bainisti-Mon-A1 is pinned for the planner; unpin it first."


def test_cell_refusals(state: EventState) -> None:
    message = _refused(PermissionDenied, set_slot("Mon-A1", []), state, NOVA_CHAIR)
    assert message == "Changing the grid needs an organizer; nchair is not one."
    message = _refused(NotFound, set_slot("Wed-A1", []), state, ORGANIZER)
    assert message == "Unknown slot 'Wed-A1': expected a slot code such as 'Mon-A1'."
    message = _refused(NotFound, set_cells([("Essex", "Mon-A1", True)]), state, ORGANIZER)
    assert message == "Unknown room 'Essex'; the rooms are: Austin, Bexar, Coiste Bainisti."


# -- the event's pages ---------------------------------------------------------------


def test_a_page_is_written_replaced_and_removed(state: EventState) -> None:
    assert state.info is not None
    events = set_page("faq", "# FAQ\r\n\r\nAsk *us*.\r\n")(state, ORGANIZER)
    new = replace(state.info, pages=(("faq", "# FAQ\n\nAsk *us*."),))
    assert events == [EventInfoChanged(state.info, new)]
    after = apply_all(state, events)
    about = apply_all(after, set_page("about", "About us")(after, ORGANIZER))
    assert about.info is not None
    # The event file's order of pages, whatever order they were written in.
    assert about.info.pages == (("about", "About us"), ("faq", "# FAQ\n\nAsk *us*."))
    assert set_page("about", "About us\n")(about, ORGANIZER) == []
    removed = apply_all(about, set_page("faq", "  \n ")(about, ORGANIZER))
    assert removed.info is not None and removed.info.pages == (("about", "About us"),)


def test_page_refusals(state: EventState) -> None:
    message = _refused(PermissionDenied, set_page("faq", "Hi"), state, NOVA_CHAIR)
    assert message == "Editing the event's pages needs an organizer; nchair is not one."
    message = _refused(InvalidInput, set_page("agenda", "Hi"), state, ORGANIZER)
    assert message == (
        "Unknown page 'agenda': expected one of about, who_should_attend, "
        "who_should_not_attend, faq, code_of_conduct, ptg_vs_forum."
    )
    message = _refused(InvalidInput, set_page("faq", "Hi\n\x00there"), state, ORGANIZER)
    assert message == (
        "The page contains a non-printable character (U+0000) on line 2; use printable text only."
    )
    message = _refused(InvalidInput, set_page("faq", "x" * (MAX_PAGE + 1)), state, ORGANIZER)
    assert message == f"The page is {MAX_PAGE + 1} characters long; at most {MAX_PAGE} are allowed."
