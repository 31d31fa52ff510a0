"""The IRC link alone, with no bot on top, on a real IRC server.

The link keeps the bot in its channel and keeps what it is asked to send until it can:
lines sent before it is in its channel go out in order once it is, and a kick is
followed by a rejoin on the same connection. Reconnecting after a server restart, a
taken nick and TLS are tested through the whole bot in test_adapter.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from ptghub.bot.irc import link as link_module
from ptghub.bot.irc.config import IrcConfig
from ptghub.bot.irc.link import IrcLink
from tests.bot.irc.client import IrcClient
from tests.bot.irc.conftest import BOT_NICK, CHANNEL
from tests.bot.irc.ircd import IrcServer

pytestmark = pytest.mark.irc

Person = Callable[..., IrcClient]


@pytest.fixture
def link(irc_config: IrcConfig) -> Iterator[IrcLink]:
    """A link to the test server, not started yet."""
    link = IrcLink(irc_config)
    yield link
    link.stop()


def test_lines_sent_before_the_link_is_up_go_out_in_order_once_it_is_in_its_channel(
    link: IrcLink, person: Person
) -> None:
    alice = person("alice")
    link.send_line(f"PRIVMSG {CHANNEL} :first")
    link.send_line(f"PRIVMSG {CHANNEL} :second")
    assert link.pending == 2

    link.start()

    assert alice.from_(BOT_NICK, "PRIVMSG", CHANNEL) == "first"
    assert alice.from_(BOT_NICK, "PRIVMSG", CHANNEL) == "second"
    assert link.pending == 0
    assert link.in_channel.is_set()


def test_a_kicked_link_rejoins_its_channel_on_the_same_connection(
    link: IrcLink, ircd: IrcServer, person: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    if ircd.kind != "ngircd":
        pytest.skip(f"{ircd.kind} has no channel operators to kick with")
    monkeypatch.setattr(link_module, "REJOIN_DELAY", 0.2)
    chanop = person("chanop")  # the first in the channel: its operator on ngircd
    link.start()
    chanop.expect(lambda line: line.command == "JOIN" and line.nick == BOT_NICK)

    chanop.send(f"KICK {CHANNEL} {BOT_NICK} :out")

    chanop.expect(lambda line: line.command == "KICK" and line.params[1] == BOT_NICK)
    chanop.expect(lambda line: line.command == "JOIN" and line.nick == BOT_NICK)
    assert link.in_channel.wait(10)
    assert link.connects == 1
