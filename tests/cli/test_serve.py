"""`ptghub serve` and `ptghub demo` run a real web server."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from ptghub.cli import app


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, process: subprocess.Popen[str], timeout: float = 30.0) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[0]
        try:
            return httpx.get(url, timeout=2.0)
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"no answer from {url} within {timeout} s")


def test_demo_serves_the_event_and_prints_the_url(tmp_path: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ptghub", "--data-dir", str(tmp_path), "demo", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        response = _wait_for(f"http://127.0.0.1:{port}/openapi.json", process)
        assert (response.status_code, response.json()["info"]["title"]) == (200, "ptghub")
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    assert (
        f"ptghub is serving on http://127.0.0.1:{port}/events/ptg-2022-04/board (Ctrl-C stops it)"
        in output.splitlines()
    )


def test_serve_and_demo_on_a_busy_port_say_so_and_how_to_choose_another(
    tmp_path: Path,
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        answers = [
            CliRunner().invoke(app, ["--data-dir", str(tmp_path), *args, "--port", str(port)])
            for args in (["serve"], ["demo"])
        ]
    expected = (
        f"Cannot listen on 127.0.0.1:{port}: the port is in use (is ptghub already running?). "
        f"Choose another port with --port, e.g. 'ptghub serve --port {port + 1}' or "
        f"'ptghub demo --port {port + 1}' ('make demo PORT={port + 1}').\n"
    )
    assert [(a.exit_code, a.stderr.replace("\n", " ").rstrip() + "\n") for a in answers] == [
        (1, expected),
        (1, expected),
    ]
    assert ["is serving" in a.stdout for a in answers] == [False, False]
