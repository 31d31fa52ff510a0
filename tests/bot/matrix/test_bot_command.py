"""``ptghub bot matrix``: the same bot in a process of its own, configured by options and
the environment, stopped by SIGINT or SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ptghub.store.store import Store
from tests.bot.matrix.people import TIMEOUT, People, Person, scenario
from tests.bot.matrix.synapse import Synapse

pytestmark = pytest.mark.matrix


@contextmanager
def bot_process(
    synapse: Synapse, people: People, room: str, database_url: str, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """``ptghub bot matrix`` in a process of its own, listening in ``room`` (stderr to
    ``log``); killed at the end of the block if the test did not stop it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PTGHUB_")}
    env["PTGHUB_MATRIX_ACCESS_TOKEN"] = people.bot.access_token
    command = [sys.executable, "-m", "ptghub", "--database-url", database_url, "bot", "matrix"]
    options = ["--homeserver", synapse.url, "--room", room, "--event", "test-ptg"]
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [*command, *options], stdout=subprocess.PIPE, stderr=stderr, env=env
        )
    try:
        deadline = time.monotonic() + TIMEOUT
        while "listening in" not in log.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            time.sleep(0.1)
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_ptghub_bot_matrix_command_serves_until_interrupted(
    synapse: Synapse,
    people: People,
    room: str,
    chair_store: Store,
    database_url: str,
    tmp_path: Path,
) -> None:
    """The CLI runs the same bot: token from the environment, options for the rest."""
    log = tmp_path / "bot.log"
    with bot_process(synapse, people, room, database_url, log) as process:

        @scenario(synapse, people.chair)
        async def play(chair: Person) -> None:
            await chair.say(room, "#nova now Placement API")
            reply = await chair.expect_from(people.bot.user_id, room)
            # The process runs on the real clock, when the test event is long over.
            assert reply.body == (
                "Nova Chair: OK, nova now discusses: Placement API "
                "Note: nova is not scheduled today."
            )

        process.send_signal(signal.SIGINT)
        stdout, _ = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 0, log.read_text()
    assert stdout.decode().splitlines() == [
        f"Matrix bot for {room} on {synapse.url} (Ctrl-C stops it)",
        f"Matrix bot: run by this process ({socket.gethostname()}:{process.pid})",
        "Stopped.",
    ]
    assert chair_store.audit()[-1].actor == people.chair.user_id


def test_ptghub_bot_matrix_command_stops_cleanly_on_sigterm(
    synapse: Synapse,
    people: People,
    room: str,
    chair_store: Store,
    database_url: str,
    tmp_path: Path,
) -> None:
    """systemd and containers stop services with SIGTERM: the bot closes and exits 0."""
    log = tmp_path / "bot.log"
    with bot_process(synapse, people, room, database_url, log) as process:
        process.send_signal(signal.SIGTERM)
        stdout, _ = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 0, log.read_text()
    assert stdout.decode().splitlines()[-1] == "Stopped."
    assert f"Matrix bot {people.bot.user_id} stopped; its connection is closed" in (log.read_text())
