"""``ptghub serve`` in a process of its own, as an operator runs it, for the tests that
read what a whole process writes (its log lines) or what several add up to (metrics)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

START = 60.0  # seconds a server may take to answer its first request on a loaded machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ServerProcess:
    process: subprocess.Popen[str]
    url: str
    stderr: str = ""

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
