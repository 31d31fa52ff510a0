"""Fixtures of the IRC tests: a real IRC server, the bot on it, and people as clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from ptghub.bot.irc.adapter import IrcBot
from ptghub.bot.irc.config import IrcConfig
from ptghub.store.store import Store
from tests.bot.irc.client import IrcClient
from tests.bot.irc.ircd import IrcServer

CHANNEL = "#ptg"
BOT_NICK = "ptgbot"


@pytest.fixture
def ircd(tmp_path: Path) -> Iterator[IrcServer]:
    server = IrcServer(tmp_path / "ircd")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def irc_config(ircd: IrcServer) -> IrcConfig:
    """The bot on the test server, with delays short enough for tests."""
    return IrcConfig(
        server=ircd.host,
        port=ircd.port,
        nick=BOT_NICK,
        channel=CHANNEL,
        min_backoff=0.2,
        max_backoff=1.0,
        notice_burst=4,
        notice_interval=0.5,
        announce_interval=0.1,
    )


@pytest.fixture
def start_bot(store: Store, irc_config: IrcConfig) -> Iterator[Callable[..., IrcBot]]:
    """Start an IRC bot (``IrcConfig`` fields may be changed) and wait until it joined."""
    bots: list[IrcBot] = []

    def start(**changes: object) -> IrcBot:
        bot = IrcBot(store, replace(irc_config, **changes))  # type: ignore[arg-type]
        bots.append(bot)
        bot.start()
        assert bot.in_channel.wait(20), "the bot did not join its channel within 20 s"
        return bot

    yield start
    for bot in bots:
        bot.stop()


@pytest.fixture
def person(ircd: IrcServer) -> Iterator[Callable[..., IrcClient]]:
    """Connect a person to the test server (and join the channel unless told not to)."""
    clients: list[IrcClient] = []

    def connect(nick: str, user: str | None = None, *, join: bool = True) -> IrcClient:
        client = IrcClient(ircd.host, ircd.port, nick, user)
        clients.append(client)
        client.connect()
        if join:
            client.join(CHANNEL)
        return client

    yield connect
    for client in clients:
        client.close()
