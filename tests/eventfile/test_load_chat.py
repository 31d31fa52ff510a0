"""The event file's ``chat``: where the event's IRC channel and Matrix room are."""

from __future__ import annotations

import pytest

from ptghub.core.apply import apply_all
from ptghub.core.codec import decode, encode
from ptghub.core.model import Chat, EventInfo, EventState, IrcChat
from ptghub.eventfile import EventFileError, load_event_text

BASE = """\
slug: ptg-2022-04
name: Project Teams Gathering
start: 2022-04-04
end: 2022-04-05
timezone: UTC
format: virtual
contact: ptg@openinfra.dev
slots: []
rooms: []
teams: []
"""  # an appended chat starts on line 11


def info(text: str) -> EventInfo:
    loaded = apply_all(EventState(), load_event_text(text, "ptg.yaml")).info
    assert loaded is not None
    return loaded


def problems(text: str) -> list[str]:
    with pytest.raises(EventFileError) as caught:
        load_event_text(text, "ptg.yaml")
    return caught.value.message.split("\n")


def test_chat_left_out_is_none() -> None:
    chat = info(BASE).chat
    assert (chat, bool(chat)) == (Chat(), False)


def test_chat_irc_and_matrix_load() -> None:
    text = BASE + (
        "chat:\n"
        "  irc: {network: OFTC, server: irc.oftc.net, channel: '#openinfra-events'}\n"
        "  matrix: {room: '#openinfra-events:matrix.org'}\n"
    )
    chat = info(text).chat
    assert chat == Chat(
        IrcChat("OFTC", "#openinfra-events", "irc.oftc.net"), "#openinfra-events:matrix.org"
    )
    assert decode(EventInfo, encode(info(text))) == info(text)  # kept in the audit log as is


def test_chat_parts_are_optional() -> None:
    irc_only = info(BASE + "chat: {irc: {network: Libera.Chat, channel: '&ptg'}}\n").chat
    matrix_only = info(BASE + "chat: {matrix: {room: '!abcdef:example.org:8448'}}\n").chat
    assert irc_only == Chat(IrcChat("Libera.Chat", "&ptg"))
    assert matrix_only == Chat(None, "!abcdef:example.org:8448")


def test_chat_info_without_the_field_decodes_with_no_chat() -> None:
    """An audit row written before the field existed."""
    data = encode(info(BASE))
    del data["chat"]
    assert decode(EventInfo, data).chat == Chat()


@pytest.mark.parametrize(
    ("chat", "problem"),
    [
        (
            "\n  irc:\n    network: OFTC\n    channel: #openinfra-events",
            "ptg.yaml:14: chat.irc.channel: expected text, got nothing; quote it, such as "
            '"#openinfra-events" (an unquoted # starts a YAML comment)',
        ),
        (
            "{irc: {network: OFTC, channel: openinfra-events}}",
            "ptg.yaml:11: chat.irc.channel: 'openinfra-events' is not an IRC channel: '#' and 1 "
            'to 49 characters without spaces or commas, in quotes, such as "#openinfra-events"',
        ),
        (
            "{irc: {network: OFTC, channel: '#a,#b'}}",
            "ptg.yaml:11: chat.irc.channel: '#a,#b' is not an IRC channel: '#' and 1 "
            'to 49 characters without spaces or commas, in quotes, such as "#openinfra-events"',
        ),
        (
            "{irc: {network: OFTC, channel: '#ptg', server: 'irc.oftc.net/x'}}",
            "ptg.yaml:11: chat.irc.server: 'irc.oftc.net/x' is not a server name such as "
            "irc.oftc.net",
        ),
        (
            "{irc: {channel: '#ptg'}}",
            "ptg.yaml:11: chat.irc.network: required field is missing",
        ),
        (
            "{matrix: {room: 'openinfra-events'}}",
            "ptg.yaml:11: chat.matrix.room: 'openinfra-events' is not a Matrix room: an alias "
            'such as "#openinfra-events:matrix.org" or a room id such as "!abc:matrix.org", '
            "in quotes",
        ),
        (
            "{matrix: '#openinfra-events:matrix.org'}",
            "ptg.yaml:11: chat.matrix: expected a mapping (key: value), got "
            "'#openinfra-events:matrix.org'",
        ),
        (
            "{irc: {network: OFTC, channel: '#ptg'}, telegram: {group: ptg}}",
            "ptg.yaml:11: chat.telegram: unknown field; expected one of irc, matrix",
        ),
    ],
)
def test_chat_invalid_refused(chat: str, problem: str) -> None:
    assert problems(BASE + f"chat: {chat}\n") == [problem]
