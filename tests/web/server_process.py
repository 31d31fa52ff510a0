"""``ptghub serve`` in a process of its own, as an operator runs it, for the tests that
read what a whole process writes (its log lines) or what several add up to (metrics)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from tests.bot.irc.ircd import free_port
from tests.web.api_client import API

START = 60.0  # seconds a server may take to answer its first request on a loaded machine


@dataclass
class ServerProcess:
    process: subprocess.Popen[str]
    url: str
    stderr: str = ""

    def command(self, text: str, headers: dict[str, str]) -> httpx.Response:
        """POST ``text`` to the test event's command endpoint of this server."""
        return httpx.post(
            f"{self.url}{API}/commands", json={"text": text}, headers=headers, timeout=30.0
        )

    def stop(self) -> str:
        """SIGTERM (uvicorn's graceful shutdown, the app's lifespan ends) and its stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        _, self.stderr = self.process.communicate(timeout=60)
        return self.stderr


@contextmanager
def serve_process(database_url: str, **env: str) -> Iterator[ServerProcess]:
    """``ptghub --database-url URL serve`` on a free port with ``env`` added (this
    test's PYTHONPATH included), until the block ends; answering when it starts."""
    port = free_port()
    command = [sys.executable, "-m", "ptghub", "--database-url", database_url]
    process = subprocess.Popen(
        [*command, "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )
    server = ServerProcess(process, f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + START
        while True:
            if process.poll() is not None:
                raise AssertionError(f"ptghub serve ended: {process.communicate()[1]}")
            try:
                httpx.get(f"{server.url}/healthz", timeout=5.0)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, f"ptghub serve did not answer in {START} s"
                time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            server.stop()
