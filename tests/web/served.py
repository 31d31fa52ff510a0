"""``ptghub serve`` in a child process, as an operator runs it, and a live stream read
from it in a thread: for tests (and benchmarks) that stop things under a running server."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

import ptghub
from tests.own_postgres import free_port

WAIT = 120.0  # seconds: generous, for a busy machine; nothing asserts on speed
CLIENT_TIMEOUT = 15.0  # an answer must come; a hanging request fails the test


def until(what: str, check: Callable[[], bool], timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"not within {timeout} s: {what}"
        time.sleep(0.2)


class Served:
    """``ptghub serve`` in a child process, its output in ``log``."""

    def __init__(self, database_url: str, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = dict(os.environ)
        source = str(Path(ptghub.__file__).resolve().parents[1])  # this checkout's src
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [source, env.get("PYTHONPATH")]))
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "ptghub", "--database-url", database_url,
                 "serve", "--port", str(self.port)],
                stdout=out, stderr=subprocess.STDOUT, env=env,
            )  # fmt: skip

    def answers(self, path: str) -> bool:
        assert self.process.poll() is None, self.output()
        try:
            return httpx.get(self.url + path, timeout=CLIENT_TIMEOUT).status_code == 200
        except httpx.TransportError:
            return False

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(30)


class Stream:
    """An open SSE stream, read line by line in a thread."""

    def __init__(self, url: str) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.client = httpx.Client(timeout=httpx.Timeout(CLIENT_TIMEOUT, read=None))
        self.opened = threading.Event()
        self.thread = threading.Thread(target=self._read, args=(url,), daemon=True)
        self.thread.start()
        assert self.opened.wait(WAIT), "the stream did not open"

    def _read(self, url: str) -> None:
        try:
            with self.client.stream("GET", url) as response:
                self.lines.put(f"status {response.status_code}")
                self.opened.set()
                for line in response.iter_lines():
                    self.lines.put(line)
        except httpx.HTTPError as error:
            self.lines.put(f"ended: {error!r}")
        finally:
            self.lines.put("ended")

    def wait_for(self, text: str) -> list[str]:
        """The lines read until one holding ``text``."""
        seen: list[str] = []
        deadline = time.monotonic() + WAIT
        while True:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no line with {text!r} within {WAIT} s: {seen}"
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            seen.append(line)
            assert not line.startswith("ended"), f"the stream ended: {seen}"
            if text in line:
                return seen

    def close(self) -> None:
        self.client.close()
