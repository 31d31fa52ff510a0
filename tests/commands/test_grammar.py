"""The surface grammar: text to Command, the old PTG bot's forms, and what is chatter."""

from __future__ import annotations

import pytest

from ptghub.commands.grammar import MAX_COMMAND, Command, Scope, parse
from ptghub.core.errors import InvalidInput


def _error(text: str, *, private: bool = True) -> str:
    with pytest.raises(InvalidInput) as error:
        parse(text, private=private)
    return error.value.message


def test_parse_track_command_keeps_team_as_typed_and_args_case() -> None:
    assert parse("#Nova NOW Placement API") == Command(
        Scope.TRACK, "now", "Placement API", "#Nova NOW Placement API", team="Nova"
    )


def test_parse_track_command_strips_surrounding_and_repeated_spaces() -> None:
    assert parse("  #nova   next   Quotas and limits  ") == Command(
        Scope.TRACK, "next", "Quotas and limits", "#nova   next   Quotas and limits", team="nova"
    )


def test_parse_track_command_without_args_has_empty_args() -> None:
    assert parse("#nova clean") == Command(Scope.TRACK, "clean", "", "#nova clean", team="nova")


def test_parse_admin_command_lowercases_verb_only() -> None:
    assert parse("~MOTD add info Hello World") == Command(
        Scope.ADMIN, "motd", "add info Hello World", "~MOTD add info Hello World"
    )


@pytest.mark.parametrize(
    ("text", "verb", "args"),
    [
        ("+in #nova", "in", "#nova"),
        ("#in #nova", "in", "#nova"),
        ("#IN #nova", "in", "#nova"),
        ("+Seen alice", "seen", "alice"),
        ("#seen alice", "seen", "alice"),
        ("#out", "out", ""),
        ("#help now", "help", "now"),
        ("+subscribe nova.*api", "subscribe", "nova.*api"),
        ("#unsubscribe", "unsubscribe", ""),
    ],
    ids=["plus-in", "hash-in", "hash-in-upper", "plus-seen", "hash-seen", "hash-out",
         "hash-help", "plus-subscribe", "hash-unsubscribe"],
)  # fmt: skip
def test_parse_prefixed_user_command_in_channel(text: str, verb: str, args: str) -> None:
    assert parse(text, private=False) == Command(Scope.USER, verb, args, text)


def test_parse_bare_words_in_private_are_a_user_command() -> None:
    assert parse("Seen Alice") == Command(Scope.USER, "seen", "Alice", "Seen Alice")


def test_parse_bare_words_in_channel_are_chatter() -> None:
    assert parse("in #nova", private=False) is None
    assert parse("hello everyone", private=False) is None


def test_parse_empty_text_in_channel_is_chatter() -> None:
    assert parse("   ", private=False) is None


def test_parse_empty_text_in_private_is_refused() -> None:
    assert _error("") == "Empty command. Send 'help' for the list of commands."
    assert _error(" \t ") == "Empty command. Send 'help' for the list of commands."


def test_parse_track_and_admin_commands_work_in_channel() -> None:
    assert parse("#nova now x", private=False) == Command(
        Scope.TRACK, "now", "x", "#nova now x", team="nova"
    )
    assert parse("~list", private=False) == Command(Scope.ADMIN, "list", "", "~list")


def test_parse_team_without_verb_is_refused() -> None:
    assert _error("#nova") == (
        "Missing command after '#nova': expected "
        "'#nova now|next|clean|etherpad|url|color|location|book|unbook|outcome|recording ...'."
    )


def test_parse_hash_alone_is_refused() -> None:
    assert _error("#", private=False) == (
        "Missing team name after '#': expected '#TEAM COMMAND ...'."
    )


def test_parse_prefix_alone_is_refused() -> None:
    assert _error("~") == "Missing command name in '~'."
    assert _error("+") == "Missing command name in '+'."


def test_parse_command_of_max_length_is_accepted() -> None:
    text = "#nova now " + "x" * (MAX_COMMAND - len("#nova now "))
    cmd = parse(text)
    assert cmd is not None and (len(cmd.raw), cmd.verb) == (MAX_COMMAND, "now")


def test_parse_command_over_max_length_is_refused() -> None:
    text = "#nova now " + "x" * (MAX_COMMAND + 1 - len("#nova now "))
    assert _error(text) == "The command is 2001 characters long; at most 2000 are allowed."


def test_parse_command_over_max_length_is_refused_in_channel_too() -> None:
    assert _error("x" * 2001, private=False) == (
        "The command is 2001 characters long; at most 2000 are allowed."
    )


def test_parse_control_character_is_refused_with_its_position() -> None:
    assert _error("#nova now a\x07b") == (
        "The command contains a non-printable character (U+0007) at position 12; "
        "use printable text only."
    )


def test_parse_zero_width_joiner_is_accepted() -> None:
    cmd = parse("#nova now 👩\u200d💻 hacking")
    assert cmd is not None and cmd.args == "👩\u200d💻 hacking"


def test_command_words_split_on_any_whitespace_run() -> None:
    assert Command(Scope.ADMIN, "del", "a  b   c", "~del a  b   c").words == ["a", "b", "c"]
