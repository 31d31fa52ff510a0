"""Fixtures of the bot core's tests: the in-process transport, the outbox's clock, and a
bot core serving the test store on them (as the IRC adapter builds it)."""

from __future__ import annotations

import pytest

from ptghub.bot.conversation import BotCore
from ptghub.bot.memory import MemoryTransport
from ptghub.bot.outbox import Outbox
from ptghub.store.store import Store
from tests.bot.chat import Clock


@pytest.fixture
def transport() -> MemoryTransport:
    return MemoryTransport()


@pytest.fixture
def outbox_clock() -> Clock:
    return Clock()


@pytest.fixture
def bot(store: Store, transport: MemoryTransport, outbox_clock: Clock) -> BotCore:
    outbox = Outbox(transport, burst=1, interval=2.0, clock=outbox_clock)
    return BotCore(store, transport, frontend="irc", outbox=outbox)
