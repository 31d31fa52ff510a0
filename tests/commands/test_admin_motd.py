"""``~motd``: the messages of the day shown on the board."""

from __future__ import annotations

import pytest

from ptghub.core.errors import InvalidInput
from ptghub.core.events import MotdChanged
from ptghub.core.model import Motd, MotdLevel
from tests.commands.helpers import Chat
from tests.support import ORGANIZER

# -- motd -----------------------------------------------------------------------------


def test_motd_add_appends_messages(chat: Chat) -> None:
    assert chat.reply("~motd add INFO Welcome to the PTG!", ORGANIZER) == "OK, message added."
    chat.say("~motd add danger  Fire   drill at 3", ORGANIZER)
    assert chat.state.motd == (
        Motd(MotdLevel.INFO, "Welcome to the PTG!"),
        Motd(MotdLevel.DANGER, "Fire   drill at 3"),
    )


def test_motd_add_with_unknown_level_is_refused(chat: Chat) -> None:
    error = chat.refuse("~motd add loud Hello", ORGANIZER)
    assert (type(error), error.message) == (
        InvalidInput,
        "Unknown level 'loud': expected one of info, success, warning, danger.",
    )


def test_motd_add_without_text_is_refused(chat: Chat) -> None:
    error = chat.refuse("~motd add info", ORGANIZER)
    assert (type(error), error.message) == (
        InvalidInput,
        "Missing parameters: expected '~motd add LEVEL TEXT'.",
    )


def test_motd_add_over_300_characters_is_refused(chat: Chat) -> None:
    error = chat.refuse("~motd add info " + "m" * 301, ORGANIZER)
    assert (type(error), error.message) == (
        InvalidInput,
        "The message is 301 characters long; at most 300 are allowed.",
    )


def _three_messages(chat: Chat) -> None:
    for level, text in [("info", "one"), ("warning", "two"), ("success", "three")]:
        chat.say(f"~motd add {level} {text}", ORGANIZER)


def test_motd_del_removes_one_message(chat: Chat) -> None:
    _three_messages(chat)
    assert chat.reply("~motd del 2", ORGANIZER) == "OK, message 2 deleted."
    assert [m.text for m in chat.state.motd] == ["one", "three"]


@pytest.mark.parametrize("number", ["0", "4", "99", "-1", "x", "1.0"])
def test_motd_del_out_of_range_is_refused(chat: Chat, number: str) -> None:
    _three_messages(chat)
    error = chat.refuse(f"~motd del {number}", ORGANIZER)
    assert (type(error), error.message) == (
        InvalidInput,
        f"Incorrect message number '{number}': expected 1 to 3.",
    )


def test_motd_del_without_messages_is_refused(chat: Chat) -> None:
    error = chat.refuse("~motd del 1", ORGANIZER)
    assert (type(error), error.message) == (InvalidInput, "There are no messages of the day.")


def test_motd_clean_removes_all(chat: Chat) -> None:
    _three_messages(chat)
    assert chat.reply("~motd clean", ORGANIZER) == "OK, messages cleared."
    assert chat.state.motd == ()


def test_motd_reorder_changes_the_order(chat: Chat) -> None:
    _three_messages(chat)
    old = chat.state.motd
    outcome = chat.say("~motd reorder 3 1 2", ORGANIZER)
    assert outcome.reply == "OK, messages reordered."
    assert outcome.events == (MotdChanged(old, (old[2], old[0], old[1])),)


def test_motd_reorder_same_order_changes_nothing(chat: Chat) -> None:
    _three_messages(chat)
    outcome = chat.say("~motd reorder 1 2 3", ORGANIZER)
    assert (outcome.reply, outcome.events) == ("OK, messages reordered.", ())


@pytest.mark.parametrize("order", ["1 1", "2 1 2 3", "3 3 3"])
def test_motd_reorder_cannot_duplicate(chat: Chat, order: str) -> None:
    _three_messages(chat)
    error = chat.refuse(f"~motd reorder {order}", ORGANIZER)
    duplicate = order.split()[0] if order != "2 1 2 3" else "2"
    assert (type(error), error.message) == (
        InvalidInput,
        f"Message {duplicate} is listed twice; list each message at most once.",
    )


def test_motd_unknown_subcommand_is_refused(chat: Chat) -> None:
    error = chat.refuse("~motd shuffle", ORGANIZER)
    assert (type(error), error.message) == (
        InvalidInput,
        "Unknown subcommand 'shuffle': expected add, del, clean or reorder.",
    )
