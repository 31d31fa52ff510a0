"""``help`` and ``help COMMAND``: generated from the registry, the same in every front end."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

from ptghub.commands.grammar import Scope
from ptghub.commands.help import describe, find_spec, overview
from ptghub.commands.registry import REGISTRY
from ptghub.core.errors import InvalidInput
from ptghub.core.verbs import USER_VERBS
from tests.commands.helpers import Chat
from tests.support import ORGANIZER

OVERVIEW = (
    "Team commands (#TEAM ...): book, clean, clear, color, etherpad, location, next, now, "
    "outcome, recording, unbook, url\n"
    "Your commands (bare in private, +VERB in a channel): help, in, out, seen, subscribe, "
    "unsubscribe\n"
    "Organizer commands (~VERB): ~add, ~alloweveryone, ~clean, ~del, ~emptydb, ~list, ~motd, "
    "~newday, ~requirevoice, ~role\n"
    "Send 'help COMMAND' for one command, for example 'help book'."
)


def test_help_lists_every_command_by_scope(chat: Chat) -> None:
    assert chat.reply("help") == OVERVIEW
    assert overview() == OVERVIEW


@pytest.mark.parametrize("text", ["+help", "#help", "#HELP"])
def test_help_in_a_channel_with_prefix(chat: Chat, text: str) -> None:
    assert chat.say(text, private=False).reply == OVERVIEW


def test_help_changes_nothing(chat: Chat) -> None:
    assert chat.say("help book").events == ()


def test_help_track_command(chat: Chat) -> None:
    assert chat.reply("help now") == (
        "#TEAM now TOPIC - Set what the team discusses now. Replaces the current topic and "
        "empties 'next'. [chair of the team]"
    )


@pytest.mark.parametrize("name", ["now", "NOW", "#now", "#nova now", "  now  "])
def test_help_track_command_in_the_forms_people_type(chat: Chat, name: str) -> None:
    assert chat.reply(f"help {name}") == describe(REGISTRY[(Scope.TRACK, "now")])


def test_help_user_command(chat: Chat) -> None:
    assert chat.reply("help +in") == (
        "in #TEAM|LOCATION - Check in to a team's room or any place, so that people can find you."
    )


def test_help_admin_command(chat: Chat) -> None:
    assert chat.reply("help ~motd") == (
        "~motd add LEVEL TEXT | del N | clean | reorder X Y ... - Manage the messages of the "
        "day shown on the board (LEVEL: info, success, warning, danger). [organizer]"
    )


def test_help_admin_command_without_tilde_when_unambiguous(chat: Chat) -> None:
    assert chat.reply("help emptydb") == describe(REGISTRY[(Scope.ADMIN, "emptydb")])


def test_help_ambiguous_name_prefers_the_team_command(chat: Chat) -> None:
    assert chat.reply("help clean") == describe(REGISTRY[(Scope.TRACK, "clean")])
    assert chat.reply("help ~clean") == describe(REGISTRY[(Scope.ADMIN, "clean")])


def test_help_is_open_to_everyone_under_requirevoice(chat: Chat) -> None:
    chat.say("~requirevoice", ORGANIZER)
    assert chat.reply("help") == OVERVIEW


@pytest.mark.parametrize("name", ["frobnicate", "~now", "#", "~"])
def test_help_unknown_command_is_refused(chat: Chat, name: str) -> None:
    error = chat.refuse(f"help {name}")
    assert (type(error), error.message) == (
        InvalidInput,
        f"Unknown command '{name}'. Send 'help' for the list.",
    )


def test_help_unknown_long_name_is_shortened(chat: Chat) -> None:
    error = chat.refuse("help " + "z" * 60)
    assert error.message == f"Unknown command '{'z' * 39}…'. Send 'help' for the list."


def test_find_spec_for_empty_name_is_none() -> None:
    assert find_spec("") is None


def test_help_and_the_demo_faq_give_user_commands_the_same_channel_prefix() -> None:
    """``help`` says '+VERB in a channel'; so do the demo's FAQ and docs/commands.md."""
    faq = (resources.files("ptghub.demo") / "ptg-2022-04.yaml").read_text("utf-8")
    reference = (Path(__file__).resolve().parents[2] / "docs" / "commands.md").read_text("utf-8")
    verbs = "|".join(sorted(USER_VERBS))
    prefixed = re.findall(rf"(?<![\w#+])([#+])({verbs})\b", faq)
    assert "+VERB in a channel" in overview()
    assert sorted(set(prefixed)) == [
        ("+", "in"),
        ("+", "out"),
        ("+", "seen"),
        ("+", "subscribe"),
        ("+", "unsubscribe"),
    ]
    assert "or with `+` in the channel (`+in #nova`" in reference
