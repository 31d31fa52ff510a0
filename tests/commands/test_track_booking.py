"""Track commands that change the schedule or who may change a team: book, unbook, voice."""

from __future__ import annotations

import pytest

from ptghub.core.errors import Conflict, InvalidInput, PermissionDenied
from ptghub.core.events import CellChanged
from ptghub.core.model import FREE, Actor, Cell, CellStatus
from ptghub.store.store import Store
from tests.commands.helpers import Chat
from tests.support import ALICE, NOVA_CHAIR, ORGANIZER

# -- book / unbook --------------------------------------------------------------------


def test_book_free_cell_of_bookable_room(chat: Chat) -> None:
    outcome = chat.say("#cinder book Austin-Mon-P1")
    assert outcome.reply == "OK, Austin-Mon-P1 is now booked for cinder."
    assert outcome.events == (
        CellChanged("austin", "monp1", FREE, Cell(CellStatus.BOOKED, "cinder")),
    )


@pytest.mark.parametrize(
    ("ref", "slot", "name"),
    [
        ("Coiste Bainisti-Mon-P2", "monp2", "Coiste Bainisti-Mon-P2"),
        ("Coiste Bainisti-MonP2", "monp2", "Coiste Bainisti-Mon-P2"),
        ("coiste bainisti-tue-a1", "tuea1", "Coiste Bainisti-Tue-A1"),
        ("COISTE  BAINISTI-TueP1", "tuep1", "Coiste Bainisti-Tue-P1"),
    ],
)
def test_book_room_with_space_in_its_name(chat: Chat, ref: str, slot: str, name: str) -> None:
    assert chat.reply(f"#relmgt book {ref}") == f"OK, {name} is now booked for relmgt."
    assert chat.state.cell("coiste bainisti", slot) == Cell(CellStatus.BOOKED, "relmgt")


def test_store_book_room_with_space_in_its_name(store: Store) -> None:
    result = store.run("#relmgt book Coiste Bainisti-Mon-P2", ALICE)
    assert result is not None and result.reply == (
        "OK, Coiste Bainisti-Mon-P2 is now booked for relmgt."
    )
    assert store.state().cell("coiste bainisti", "monp2") == Cell(CellStatus.BOOKED, "relmgt")


def test_book_planned_cell_is_refused(chat: Chat) -> None:
    error = chat.refuse("#cinder book Austin-Mon-A1")
    assert (type(error), error.message) == (
        Conflict,
        "Austin-Mon-A1 is already planned for nova.",
    )


def test_book_booked_cell_is_refused(chat: Chat) -> None:
    chat.say("#cinder book Austin-Tue-A1")
    error = chat.refuse("#relmgt book austin-tuea1")
    assert (type(error), error.message) == (
        Conflict,
        "Austin-Tue-A1 is already booked for cinder.",
    )


def test_book_unavailable_cell_is_refused(chat: Chat) -> None:
    error = chat.refuse("#cinder book Austin-Tue-P2")
    assert (type(error), error.message) == (
        Conflict,
        "Austin-Tue-P2 is not available for booking.",
    )


def test_book_room_not_open_for_booking_is_refused(chat: Chat) -> None:
    error = chat.refuse("#cinder book Bexar-Mon-A1")
    assert (type(error), error.message) == (
        Conflict,
        "Bexar is not open for booking; ask an organizer.",
    )


def test_book_room_not_open_for_booking_is_refused_for_organizers_too(chat: Chat) -> None:
    error = chat.refuse("#cinder book Bexar-Mon-A1", ORGANIZER)
    assert (type(error), error.message) == (
        Conflict,
        "Bexar is not open for booking; ask an organizer.",
    )


def test_book_second_room_in_the_same_slot_is_refused(chat: Chat) -> None:
    error = chat.refuse("#nova book Coiste Bainisti-Mon-A1")
    assert (type(error), error.message) == (
        Conflict,
        "nova is already in Austin at Mon-A1; a team is in one room at a time.",
    )


def test_book_second_room_in_the_same_slot_is_refused_after_a_booking(chat: Chat) -> None:
    chat.say("#cinder book Austin-Tue-A1")
    error = chat.refuse("#cinder book Coiste Bainisti-Tue-A1")
    assert (type(error), error.message) == (
        Conflict,
        "cinder is already in Austin at Tue-A1; a team is in one room at a time.",
    )


def test_book_without_cell_is_refused(chat: Chat) -> None:
    error = chat.refuse("#cinder book")
    assert (type(error), error.message) == (
        InvalidInput,
        "Missing cell: expected ROOM-SLOT, for example 'Austin-Mon-13h'.",
    )


def test_unbook_own_booking_frees_the_cell(chat: Chat) -> None:
    chat.say("#cinder book Coiste Bainisti-Mon-P2")
    outcome = chat.say("#cinder unbook coiste bainisti-monp2")
    assert outcome.reply == (
        "OK, Coiste Bainisti-Mon-P2 (previously booked for cinder) is now free."
    )
    assert chat.state.cell("coiste bainisti", "monp2") == FREE


def test_unbook_other_teams_booking_is_refused(chat: Chat) -> None:
    chat.say("#cinder book Coiste Bainisti-Mon-P2")
    error = chat.refuse("#relmgt unbook Coiste Bainisti-Mon-P2")
    assert (type(error), error.message) == (
        Conflict,
        "Coiste Bainisti-Mon-P2 is not booked for relmgt.",
    )


def test_unbook_free_cell_is_refused(chat: Chat) -> None:
    error = chat.refuse("#relmgt unbook Austin-Mon-P1")
    assert (type(error), error.message) == (Conflict, "Austin-Mon-P1 is not booked for relmgt.")


def test_unbook_other_teams_planned_cell_is_refused(chat: Chat) -> None:
    error = chat.refuse("#cinder unbook Austin-Mon-A1", ORGANIZER)
    assert (type(error), error.message) == (Conflict, "Austin-Mon-A1 is not booked for cinder.")


def test_unbook_planned_cell_is_refused_for_the_chair(chat: Chat) -> None:
    error = chat.refuse("#nova unbook Austin-Mon-A1", NOVA_CHAIR)
    assert (type(error), error.message) == (
        PermissionDenied,
        "Austin-Mon-A1 was planned for nova by the organizers; ask one of them to free it.",
    )


def test_unbook_planned_cell_by_an_organizer_frees_it(chat: Chat) -> None:
    reply = chat.reply("#nova unbook Austin-Mon-A1", ORGANIZER)
    assert reply == "OK, Austin-Mon-A1 (previously planned for nova) is now free."
    assert chat.state.cell("austin", "mona1") == FREE


def test_book_after_unbook_moves_the_team(chat: Chat) -> None:
    chat.say("#nova unbook Austin-Mon-A1", ORGANIZER)
    chat.say("#nova book Coiste Bainisti-Mon-A1")
    assert chat.state.team_cells("nova") == [("coiste bainisti", "mona1"), ("austin", "mona2")]


# -- permissions ----------------------------------------------------------------------


def test_requirevoice_refuses_a_non_chair(chat: Chat) -> None:
    chat.say("~requirevoice", ORGANIZER)
    error = chat.refuse("#nova now Quotas", ALICE)
    assert (type(error), error.message) == (
        PermissionDenied,
        "Only a chair of nova or an organizer can change it; alice is neither.",
    )


def test_requirevoice_refuses_a_chair_of_another_team(chat: Chat) -> None:
    chat.say("~requirevoice", ORGANIZER)
    error = chat.refuse("#cinder book Austin-Mon-P1", NOVA_CHAIR)
    assert (type(error), error.message) == (
        PermissionDenied,
        "Only a chair of cinder or an organizer can change it; nchair is neither.",
    )


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("#nova now Quotas", "OK, nova now discusses: Quotas"),
        ("#nova next Limits", "OK, nova next: Limits"),
        ("#nova clean", "OK, cleaned now, next and location of nova."),
        ("#nova clear", "OK, cleaned now, next and location of nova."),
        ("#nova etherpad https://p.example.org/nova", "OK, nova etherpad is https://p.example.org/nova"),
        ("#nova url https://v.example.org/nova", "OK, nova video URL is https://v.example.org/nova"),
        ("#nova color red", "OK, nova colour is red"),
        ("#nova location Hall", "OK, nova is in Hall"),
        ("#nova book Coiste Bainisti-Tue-A1", "OK, Coiste Bainisti-Tue-A1 is now booked for nova."),
    ],
)  # fmt: skip
@pytest.mark.parametrize("actor", [NOVA_CHAIR, ORGANIZER], ids=["chair", "organizer"])
def test_requirevoice_lets_the_chair_and_organizers_change_the_team(
    chat: Chat, text: str, reply: str, actor: Actor
) -> None:
    chat.say("~requirevoice", ORGANIZER)
    chat.say("#nova location Booth 3", ORGANIZER)
    outcome = chat.say(text, actor)
    assert (outcome.reply, len(outcome.events)) == (reply, 1)


def test_requirevoice_chair_nick_is_case_insensitive(chat: Chat) -> None:
    chat.say("~requirevoice", ORGANIZER)
    assert chat.reply("#nova now Quotas", Actor("NChair", frontend="test")) == (
        "OK, nova now discusses: Quotas"
    )


def test_alloweveryone_lets_anyone_change_teams_again(chat: Chat) -> None:
    chat.say("~requirevoice", ORGANIZER)
    chat.refuse("#nova now Quotas", ALICE)
    chat.say("~alloweveryone", ORGANIZER)
    assert chat.reply("#nova now Quotas", ALICE) == "OK, nova now discusses: Quotas"


def test_store_requirevoice_refusal_changes_nothing(store: Store) -> None:
    store.run("~requirevoice", ORGANIZER)
    audit = len(store.audit())
    with pytest.raises(PermissionDenied) as error:
        store.run("#nova now Quotas", ALICE)
    assert error.value.message == (
        "Only a chair of nova or an organizer can change it; alice is neither."
    )
    assert ("nova" in store.state().topics, len(store.audit())) == (False, audit)
    result = store.run("#nova now Quotas", NOVA_CHAIR)
    assert result is not None and result.reply == "OK, nova now discusses: Quotas"
