"""Browser fixtures: a real ptghub server holding the demo event, and headless Chromium.

Every test in this directory is marked ``browser`` and skips, with the reason, when
Chromium is missing (``/usr/bin/chromium``, or the path in ``PTGHUB_CHROMIUM``); the
accessibility test also skips without axe-core (``PTGHUB_AXE_JS``). ``.ci/run`` provides
both and fails on any skip.

One server and one browser serve the whole session, because starting them is the slow
part; each test gets a fresh browser context (so nothing a test stores in the browser,
such as the chosen time zone, leaks into the next) and a fresh page that records every
console error and uncaught exception. Tests that change the event use their own topics
and cells, so they do not depend on each other's order.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, Response, sync_playwright

from ptghub import demo

BROWSER_TESTS = Path(__file__).resolve().parent
ARTIFACTS = BROWSER_TESTS.parent / "artifacts"
CHROMIUM = Path(os.environ.get("PTGHUB_CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_ENV = "PTGHUB_AXE_JS"
EVENT = demo.SLUG
# The viewer sits far from the event's zone (UTC): in April 2022 Sydney is UTC+10 (its
# daylight saving time ended on April 3), so every time differs and late slots fall on
# the next day.
VIEWER_ZONE = "Australia/Sydney"
LOCALE = "en-GB"
HOME = f"/events/{EVENT}/"
BOARD = f"/events/{EVENT}/board"
# Milliseconds a test waits for a committed change to show on an open page: generous, so
# that a loaded machine is slow, not wrong; how fast it shows is bench/live.py's figure.
LIVE_WAIT = 30_000
# An INFO record of the server's log (ptghub.logs' text format: time, level, message).
INFO = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ INFO ")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests of this directory ``browser``; skip them when Chromium is missing."""
    for item in items:
        if BROWSER_TESTS not in item.path.parents:
            continue
        item.add_marker(pytest.mark.browser)
        if not CHROMIUM.is_file():
            item.add_marker(
                pytest.mark.skip(
                    reason=f"browser tests need Chromium at {CHROMIUM} "
                    "(apt-get install chromium, or set PTGHUB_CHROMIUM)"
                )
            )


def _hermetic_env() -> dict[str, str]:
    """The environment for ptghub subprocesses: no PTGHUB_* setting of the caller leaks in,
    and output is unbuffered so a reply can be read the moment it is printed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PTGHUB_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _ptghub(database_url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "ptghub", "--database-url", database_url, *args]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    """``ptghub serve`` in a subprocess, on a database holding the demo event."""

    url: str
    database_url: str
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server (appending to its log) and wait until it answers."""
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                _ptghub(self.database_url, "serve", "--port", str(self.port)),
                stdout=output,
                stderr=subprocess.STDOUT,
                env=_hermetic_env(),
            )
        _wait_until_serving(self.url, self.process, self.log)

    def stop(self, *, crash: bool = False) -> None:
        """Stop the server: politely, or with SIGKILL (``crash``), which drops every open
        connection at once, as a server that dies or a network that breaks would."""
        if self.process is None:
            return
        if crash:
            self.process.kill()
        else:
            self.process.terminate()
        try:
            # Open event streams can keep uvicorn's graceful shutdown waiting; don't wait long.
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None

    def log_size(self) -> int:
        return self.log.stat().st_size

    def logged_since(self, offset: int) -> str:
        """The warnings and errors the server wrote from ``offset`` on: the lines it
        starts with (where it serves, whether it sends mail) and its INFO records (a
        line per applied change, ``store.observed``) are left out."""
        with self.log.open("rb") as log:
            log.seek(offset)
            lines = log.read().decode(errors="replace").splitlines(keepends=True)
        starting = ("ptghub is serving on ", "Mail: ")
        return "".join(
            line for line in lines if not line.startswith(starting) and not INFO.match(line)
        )

    def cmd(self, nick: str, text: str) -> str:
        """Run one command as ``nick`` with ``ptghub cmd`` in another process: its reply
        (the change is committed by then). Fails the test when it is refused."""
        done = subprocess.run(
            _ptghub(self.database_url, "cmd", "--as", nick, text),
            capture_output=True,
            text=True,
            env=_hermetic_env(),
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, f"ptghub cmd {text!r} failed: {done.stderr}{done.stdout}"
        return done.stdout.strip()


def mark_document(page: Page) -> None:
    """Tag the loaded document, so that ``same_document`` tells whether it was reloaded."""
    page.evaluate("window.ptghubTestMark = 'not reloaded'")


def same_document(page: Page) -> bool:
    return bool(page.evaluate("window.ptghubTestMark === 'not reloaded'"))


def choose_my_zone(page: Page) -> None:
    """Pick the option time.js adds for the browser's own zone in the time-zone switch
    (its value is the zone as the browser names it: Chromium says Asia/Calcutta for
    Asia/Kolkata)."""
    mine = page.locator("#tz-select option[data-choice='local']").get_attribute("value")
    assert mine is not None
    page.locator("#tz-select").select_option(value=mine)


def _wait_until_serving(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30.0
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"ptghub serve exited early:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/openapi.json", timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"ptghub serve did not answer at {url} within 30 s:\n{log.read_text()}")


@pytest.fixture(scope="package")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The demo event on a fresh SQLite file, served on a free port for the browser tests."""
    directory = tmp_path_factory.mktemp("live-server")
    database_url = f"sqlite:///{directory / 'ptghub.sqlite3'}"
    loaded = subprocess.run(
        _ptghub(database_url, "demo", "--no-serve"),
        capture_output=True,
        text=True,
        env=_hermetic_env(),
        timeout=60,
    )
    assert loaded.returncode == 0, f"ptghub demo --no-serve failed:\n{loaded.stderr}"
    port = _free_port()
    server = LiveServer(
        url=f"http://127.0.0.1:{port}",
        database_url=database_url,
        port=port,
        log=directory / "serve.log",
    )
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Tab:
    """A page of its own browser context, with what went wrong in it so far.

    ``errors`` holds console errors and uncaught exceptions, except the one logged when
    the browser's own request for /favicon.ico fails: Chromium makes that request once per
    session, on whichever page comes first, so it is checked once, by
    test_pages.test_page_icon_exists, rather than failing a random test.
    """

    page: Page
    errors: list[str] = field(default_factory=list)

    def open(self, path: str, status: int = 200) -> Page:
        """Load ``path`` of the live server and check it answered ``status``."""
        response = self.page.goto(path)
        assert response is not None, f"no response for {path}"
        assert (path, response.status) == (path, status)
        return self.page

    def open_live(self, path: str) -> Page:
        """Load ``path`` and wait until its event stream has answered, so that what a
        test times afterwards is the push of a change, not the page's start."""
        with self.page.expect_response(_is_stream, timeout=5000) as stream:
            self.open(path)
        assert (stream.value.url, stream.value.status) == (stream.value.url, 200)
        return self.page

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        where = message.location
        if not where["url"].endswith("/favicon.ico"):
            self.errors.append(
                f"console error: {message.text} ({where['url']}:{where['lineNumber']})"
            )

    def _uncaught(self, error: Error) -> None:
        self.errors.append(f"uncaught exception: {error.name}: {error.message}\n{error.stack}")


def _is_stream(response: Response) -> bool:
    return response.url.split("?")[0].endswith("/stream")


TabFactory = Callable[..., Tab]


@pytest.fixture
def new_tab(browser: Browser, live_server: LiveServer) -> Iterator[TabFactory]:
    """Open fresh pages: ``new_tab(timezone_id=..., java_script_enabled=...)``.

    Keyword arguments go to ``browser.new_context``; by default the viewer is in
    ``VIEWER_ZONE`` with the ``LOCALE`` locale, and paths are relative to the live server.
    At the end the server must have logged nothing (warnings and errors) meanwhile.
    """
    contexts = []

    def open_tab(**options: object) -> Tab:
        settings: dict[str, object] = {
            "base_url": live_server.url,
            "timezone_id": VIEWER_ZONE,
            "locale": LOCALE,
            "viewport": {"width": 1280, "height": 900},
        }
        settings.update(options)
        context = browser.new_context(**settings)  # type: ignore[arg-type]
        contexts.append(context)
        context.set_default_timeout(5000)  # a failing wait should not hold the suite for 30 s
        tab = Tab(context.new_page())
        tab.page.on("console", tab._console)
        tab.page.on("pageerror", tab._uncaught)
        return tab

    logged_from = live_server.log_size()
    yield open_tab
    for context in contexts:
        context.close()
    # A failure inside the event stream never reaches the page's console (EventSource
    # just reconnects), so the server's own log is checked too.
    assert live_server.logged_since(logged_from) == ""


@pytest.fixture
def tab(new_tab: TabFactory) -> Tab:
    """A fresh page in the default viewer's browser."""
    return new_tab()


@pytest.fixture(scope="session")
def axe_js() -> Path:
    """The axe-core script to inject into pages; skips when ``PTGHUB_AXE_JS`` is not usable."""
    value = os.environ.get(AXE_ENV)
    if not value:
        pytest.skip(
            f"the accessibility test needs axe-core: set {AXE_ENV} to axe.min.js "
            "(npm install axe-core@4; .ci/run does it)"
        )
    path = Path(value)
    if not path.is_file():
        pytest.skip(f"{AXE_ENV}={value} does not exist (npm install axe-core@4; .ci/run does it)")
    return path


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """tests/artifacts/, where screenshots of each run go (git ignores it)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
