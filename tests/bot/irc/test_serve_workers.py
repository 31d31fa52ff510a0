"""`ptghub serve --workers 2 --irc`: the IRC bot starts with the workers' servers (in each
worker's lifespan; which of them acts is the lease's business) and answers in the
channel, and leaves it when the server is stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable

import pytest

from ptghub.store.store import Store
from tests.bot.irc.client import IrcClient
from tests.bot.irc.ircd import IrcServer, free_port

pytestmark = [pytest.mark.irc, pytest.mark.slow, pytest.mark.timeout(300)]


def test_serve_with_two_workers_and_irc_runs_the_bot_that_answers_in_the_channel(
    store: Store, database_url: str, ircd: IrcServer, person: Callable[..., IrcClient]
) -> None:
    chair = person("nchair", "nc")  # in #ptg before the bot comes
    env = os.environ | {
        "PTGHUB_IRC_SERVER": ircd.host,
        "PTGHUB_IRC_PORT": str(ircd.port),
        "PTGHUB_IRC_CHANNEL": "#ptg",
    }
    command = [sys.executable, "-m", "ptghub", "--database-url", database_url, "serve"]
    command += ["--irc", "--workers", "2", "--port", str(free_port())]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    try:
        chair.expect(lambda line: line.command == "JOIN" and line.nick == "ptgbot", timeout=60)
        chair.say("#ptg", "#nova now Placement API")
        reply = chair.expect(
            lambda line: line.command == "PRIVMSG" and line.nick == "ptgbot", timeout=30
        )
        # the real clock runs here: the reply may add that nova is not scheduled today
        assert reply.text.startswith("nchair: OK, nova now discusses: Placement API")
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=60)[0]
    chair.expect(lambda line: line.command == "QUIT" and line.nick == "ptgbot", timeout=30)
    assert process.returncode == 0, output
    assert output.splitlines()[0] == f"IRC bot: ptgbot in #ptg on {ircd.host}"
