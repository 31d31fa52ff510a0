"""The IRC bot's connection state in the process's metrics: 1 while it sits in its
channel on a real IRC server, 0 when the server is gone, 0 once the bot stopped."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from ptghub import metrics
from ptghub.bot.irc.adapter import IrcBot
from tests.bot.irc.ircd import IrcServer
from tests.web.scraping import value

pytestmark = pytest.mark.irc

DEADLINE = 30.0


def connected() -> float:
    metrics.refresh_bots()  # what the web app does every few seconds and at each scrape
    return value(metrics.exposition().decode(), "ptghub_bot_connected", bot="irc")


def wait_until(expected: float) -> None:
    deadline = time.monotonic() + DEADLINE
    while connected() != expected:
        assert time.monotonic() < deadline, f"the bot's state never became {expected}"
        time.sleep(0.05)


def test_the_bot_is_connected_while_in_its_channel_and_not_after(
    start_bot: Callable[..., IrcBot], ircd: IrcServer
) -> None:
    bot = start_bot()
    wait_until(1)
    ircd.stop()  # the network goes away: the bot is disconnected and tries again
    wait_until(0)
    bot.stop()
    assert connected() == 0
