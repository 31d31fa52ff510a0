"""The bot under test: its config on the test homeserver, and the bot run in a thread of
its own for the length of a ``with`` block."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ptghub.bot.matrix.adapter import MatrixBot
from ptghub.bot.matrix.config import MatrixConfig
from ptghub.store.store import Store
from tests.bot.matrix.people import TIMEOUT, People
from tests.bot.matrix.synapse import Synapse


def bot_config(synapse: Synapse, people: People, room: str) -> MatrixConfig:
    return MatrixConfig(
        homeserver=synapse.url,
        room=room,
        access_token=people.bot.access_token,
        sync_timeout=5.0,
        max_backoff=2.0,
    )


@contextmanager
def running(config: MatrixConfig, store: Store, **options: int) -> Iterator[MatrixBot]:
    """A bot serving ``store`` in a thread of its own, stopped (and joined) afterwards."""
    bot = MatrixBot(config, store, outbox_burst=10, outbox_interval=0.1, **options)
    thread = threading.Thread(target=bot.run_forever, name="matrix-bot")
    thread.start()
    try:
        assert bot.ready.wait(TIMEOUT), "the bot did not join its room in time"
        yield bot
    finally:
        bot.stop()
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "the bot did not stop"
