"""PostgreSQL restarts under a running ``ptghub serve``: while it is down every request
gets a quick 503 with Retry-After (JSON for programs, a page for people), and once it is
back ptghub serves again by itself, and an open live stream sees the next change.

On a PostgreSQL server of the test's own (``tests/own_postgres``), never the shared one.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

import ptghub
from ptghub.core.model import Actor
from ptghub.store.store import Store
from tests.own_postgres import OwnPostgres, own_postgres
from tests.support import small_event

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

SLUG = "test-ptg"
WAIT = 120.0  # seconds: generous, for a busy machine; nothing asserts on speed
CLIENT_TIMEOUT = 15.0  # an answer must come; a hanging request fails the test


def _free_port() -> int:
    from tests.own_postgres import _free_port as free

    return free()


def _until(what: str, check: Callable[[], bool], timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"not within {timeout} s: {what}"
        time.sleep(0.2)


class Served:
    """``ptghub serve`` in a child process, its output in ``log``."""

    def __init__(self, database_url: str, log: Path) -> None:
        self.port = _free_port()
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


@pytest.fixture
def postgres() -> Iterator[OwnPostgres]:
    with own_postgres() as server:
        yield server


@pytest.fixture
def token(postgres: OwnPostgres) -> str:
    """The test event loaded into the server, and a token of alice's for the API."""
    store = Store.open(postgres.url)
    try:
        store.create_event(small_event(), Actor("loader", operator=True), "test setup")
        return store.tokens.create("alice")[1]
    finally:
        store.close()


@pytest.fixture
def served(postgres: OwnPostgres, token: str, tmp_path: Path) -> Iterator[Served]:
    served = Served(postgres.url, tmp_path / "serve.log")
    try:
        _until("ptghub serve answers", lambda: served.answers(f"/api/v1/events/{SLUG}"))
        yield served
    finally:
        served.stop()


def _command(served: Served, token: str, text: str) -> httpx.Response:
    return httpx.post(
        f"{served.url}/api/v1/events/{SLUG}/commands",
        json={"text": text},
        headers={"Authorization": f"Bearer {token}"},
        timeout=CLIENT_TIMEOUT,
    )


def test_requests_get_503_while_postgresql_is_down_and_succeed_again_once_it_is_back(
    postgres: OwnPostgres, served: Served, token: str
) -> None:
    assert _command(served, token, "#nova now Placement API").status_code == 200
    stream = Stream(f"{served.url}/events/{SLUG}/stream")
    try:
        assert stream.wait_for("status") == ["status 200"]

        postgres.stop("fast")
        api = httpx.get(f"{served.url}/api/v1/events/{SLUG}/board", timeout=CLIENT_TIMEOUT)
        page = httpx.get(f"{served.url}/events/{SLUG}/board", timeout=CLIENT_TIMEOUT)
        command = _command(served, token, "#nova now Quotas")  # the guard reads the token
        for answer in (api, page, command):
            assert (answer.status_code, answer.headers.get("retry-after")) == (503, "5")
        assert (
            api.json()
            == command.json()
            == {"error": "The database cannot be reached just now; try again in a few seconds."}
        )
        assert page.headers["content-type"].startswith("text/html")
        assert "Temporarily unavailable" in page.text
        assert f'href="/events/{SLUG}/board"' in page.text  # "Try again"

        postgres.start()
        _until("the board answers again", lambda: served.answers(f"/api/v1/events/{SLUG}/board"))
        changed = _command(served, token, "#nova now Database restarts")
        assert (changed.status_code, changed.json()["changed"]) == (200, True)
        # The stream opened before the restart is still open, and gets the change.
        lines = stream.wait_for("Database restarts")
        assert lines[-1].startswith("data: ")
    finally:
        stream.close()
    log = served.output()
    assert log.count("database unavailable, answering 503") == 1, log
    assert "Exception in ASGI application" not in log, log
