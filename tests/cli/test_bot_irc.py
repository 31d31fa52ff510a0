"""`ptghub bot irc` and `ptghub serve --irc`: flags over settings, and real runs."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from ptghub.cli import app
from ptghub.cli.bot_irc import irc_config
from ptghub.settings import Settings
from ptghub.store.store import Store
from tests.bot.irc.client import IrcClient
from tests.bot.irc.ircd import IrcServer, free_port

# What the server logs on stderr, merged with its stdout here (docs/monitoring.md).
LOG_LINE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ ")


@pytest.fixture
def ircd(tmp_path: Path) -> Iterator[IrcServer]:
    server = IrcServer(tmp_path / "ircd")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def client(ircd: IrcServer) -> Iterator[IrcClient]:
    """The chair, in #ptg before the bot comes."""
    chair = IrcClient(ircd.host, ircd.port, "nchair", "nc")
    try:
        chair.connect()
        chair.join("#ptg")
        yield chair
    finally:
        chair.close()


def test_help_lists_the_options_and_no_password_flag() -> None:
    result = CliRunner().invoke(app, ["bot", "irc", "--help"], env={"COLUMNS": "200"})

    assert result.exit_code == 0
    options = {word for word in result.stdout.split() if word.startswith("--")}
    assert {"--server", "--port", "--tls", "--nick", "--channel", "--event"} <= options
    assert {"--announce", "--no-announce"} <= options
    assert not [option for option in options if "pass" in option]
    assert "PTGHUB_IRC_PASSWORD" in result.stdout


def test_flags_override_settings_and_the_password_comes_from_settings() -> None:
    settings = Settings(irc_server="irc.oftc.net", irc_channel="#a", irc_password="pw")

    config = irc_config(settings, {"channel": "#b", "port": 6697, "tls": True, "nick": None})

    assert (config.server, config.port, config.tls, config.channel) == (
        "irc.oftc.net",
        6697,
        True,
        "#b",
    )
    assert (config.nick, config.password) == ("ptgbot", "pw")


def test_bad_channel_exits_2_with_what_is_expected(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["--data-dir", str(tmp_path), "bot", "irc", "--channel", "ptg"]
    )

    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "'ptg' is not an IRC channel: it starts with # (e.g. #ptg) and has no spaces or commas.\n"
    )


def _get(url: str, process: subprocess.Popen[str], timeout: float = 30.0) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        assert process.poll() is None, "the server exited"
        try:
            return httpx.get(url, timeout=2.0)
        except httpx.TransportError:
            assert time.monotonic() < deadline, f"no answer from {url} within {timeout} s"
            time.sleep(0.1)


def _bot_joins(client: IrcClient) -> None:
    client.expect(lambda line: line.command == "JOIN" and line.nick == "ptgbot", timeout=30)


def _ask(client: IrcClient) -> str:
    client.say("#ptg", "#nova now Placement API")
    line = client.expect(
        lambda line: line.command == "PRIVMSG" and line.nick == "ptgbot", timeout=15
    )
    return line.text


@pytest.mark.irc
def test_bot_irc_runs_until_sigterm_and_quits_cleanly(
    store: Store, database_url: str, ircd: IrcServer, client: IrcClient
) -> None:
    args = ["--database-url", database_url, "bot", "irc", "--server", ircd.host]
    args += ["--port", str(ircd.port), "--channel", "#ptg", "--no-announce"]
    process = subprocess.Popen(
        [sys.executable, "-m", "ptghub", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _bot_joins(client)
        # the real clock runs here: the reply may add that nova is not scheduled today
        assert _ask(client).startswith("nchair: OK, nova now discusses: Placement API")
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    client.expect(lambda line: line.command == "QUIT" and line.nick == "ptgbot")

    assert process.returncode == 0, output
    assert output.splitlines()[0] == (
        f"ptghub IRC bot: ptgbot in #ptg on 127.0.0.1:{ircd.port} (Ctrl-C stops)"
    )
    assert [(e.actor, e.frontend) for e in store.audit()[1:]] == [("nchair", "irc")]


@pytest.mark.irc
def test_serve_irc_runs_the_bot_beside_the_web_server(
    store: Store, database_url: str, ircd: IrcServer, client: IrcClient
) -> None:
    port = free_port()
    env = os.environ | {
        "PTGHUB_IRC_SERVER": ircd.host,
        "PTGHUB_IRC_PORT": str(ircd.port),
        "PTGHUB_IRC_CHANNEL": "#ptg",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ptghub",
            "--database-url",
            database_url,
            "serve",
            "--irc",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        _bot_joins(client)
        # the real clock runs here: the reply may add that nova is not scheduled today
        assert _ask(client).startswith("nchair: OK, nova now discusses: Placement API")
        response = _get(f"http://127.0.0.1:{port}/openapi.json", process)
    finally:
        process.send_signal(signal.SIGINT)
        output = process.communicate(timeout=30)[0]
    client.expect(lambda line: line.command == "QUIT" and line.nick == "ptgbot")

    assert response.status_code == 200, output
    said = [line for line in output.splitlines() if not LOG_LINE.match(line)]  # stdout
    assert said[0] == f"IRC bot: ptgbot in #ptg on {ircd.host}"
