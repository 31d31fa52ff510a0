"""Change to viewer: how long a committed change takes to reach an open stream and page.

    python bench/live.py                  # 1 warm-up + 20 measured changes
    python bench/live.py --rounds 50 --no-browser

The figures the tests used to assert as wall-clock limits (tests/live, tests/web/
test_stream.py, tests/browser): the tests now only wait for the change, with generous
deadlines, and this script measures it.

Setup: the demo event loaded into SQLite in a new temporary directory (``python -m ptghub
--data-dir DIR demo --no-serve``), then ``ptghub serve`` in a subprocess on 127.0.0.1 with
its default live settings. Two viewers stay connected: a raw SSE reader (httpx, in a
thread of this process) and, unless ``--no-browser`` or Chromium/Playwright is missing,
headless Chromium showing the board, where a MutationObserver notes ``Date.now()`` when
the new topic appears in the now-and-next table. Each round, this process makes a change
through its own Store on the same database (``#nova now ...``, as ``ptghub cmd`` would from
another process) and notes the wall-clock time just before it.

Per viewer: p50/p99/max of (arrival - moment before the change), and the command's own
time to commit (``Store.run``) as the baseline of the same run: the ratio says how much
longer the viewer waits than the writer. Targets: the SSE reader's and the page's p99
each under 1 s (``PASS``/``FAIL``; exit status 1 on ``FAIL``). Every wait is bounded.
Run it on an otherwise idle machine: the load average is printed at the start and end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

try:
    import ptghub  # noqa: F401
except ImportError:  # run from a checkout without installing: use its src/
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from ptghub import demo
from ptghub.core.model import Actor
from ptghub.store.store import Store

HOST = "127.0.0.1"
TARGET = 1.0  # seconds, p99, for each viewer
WAIT = 30.0  # seconds a round waits for its change to arrive before giving up
CHROMIUM = Path(os.environ.get("PTGHUB_CHROMIUM") or "/usr/bin/chromium")
OPERATOR = Actor("bench", operator=True)
WATCH_JS = """want => {
  window.benchSeen = window.benchSeen || {};
  const region = () => document.querySelector("[data-live='now-next']");
  const check = () => {
    const found = region();
    if (found && found.textContent.includes(want) && !(want in window.benchSeen)) {
      window.benchSeen[want] = Date.now();
    }
  };
  new MutationObserver(check).observe(document.body, {
    subtree: true, childList: true, characterData: true,
  });
  check();
}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20, help="measured changes")
    parser.add_argument("--no-browser", action="store_true", help="the SSE reader only")
    args = parser.parse_args()
    print(f"load average at the start {os.getloadavg()[0]:.2f}, {os.cpu_count()} CPUs")
    directory = Path(tempfile.mkdtemp(prefix="ptghub-bench-live-"))
    server: subprocess.Popen[bytes] | None = None
    try:
        base = [sys.executable, "-m", "ptghub", "--data-dir", str(directory)]
        loaded = subprocess.run([*base, "demo", "--no-serve"], capture_output=True, timeout=300)
        if loaded.returncode != 0:
            print(f"FAIL  loading the demo: {loaded.stderr.decode()}")
            return 1
        port = _free_port()
        with (directory / "server.log").open("wb") as log:
            server = subprocess.Popen(
                [*base, "serve", "--host", HOST, "--port", str(port)], stdout=log, stderr=log
            )
        url = f"http://{HOST}:{port}"
        _wait_until_serving(url, server)
        store = Store.open(f"sqlite:///{directory / 'ptghub.sqlite3'}")
        try:
            return _measure(store, url, args.rounds, browser=not args.no_browser)
        finally:
            store.close()
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
        shutil.rmtree(directory, ignore_errors=True)
        print(f"load average at the end {os.getloadavg()[0]:.2f}")


def _measure(store: Store, url: str, rounds: int, *, browser: bool) -> int:
    sse = SseViewer(f"{url}/events/{demo.SLUG}/stream")
    page = _page_viewer(url) if browser else None
    viewers: dict[str, Callable[[str], float | None]] = {"SSE reader": sse.arrived}
    if page is not None:
        viewers["board page"] = page.arrived
    commits: list[float] = []
    late: dict[str, list[float]] = {name: [] for name in viewers}
    try:
        for number in range(rounds + 1):  # the first is a warm-up
            topic = f"Bench {number} {uuid.uuid4().hex[:8]}"
            if page is not None:
                page.watch(topic)
            sse.watch(topic)
            before = time.time()
            store.run(f"#nova now {topic}", OPERATOR, event=demo.SLUG)
            committed = time.time() - before
            arrivals = {name: _wait_for(arrived, topic) for name, arrived in viewers.items()}
            if number == 0:
                continue
            commits.append(committed)
            for name, at in arrivals.items():
                late[name].append(at - before if at is not None else float("inf"))
    finally:
        sse.close()
        if page is not None:
            page.close()
    print(f"\n{rounds} changes (#nova now ...) through a Store of this process\n")
    print(f"{'':<22} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'x commit p50':>13}")
    base = statistics.median(commits)
    print(_row("commit (baseline)", commits, base))
    for name, values in late.items():
        print(_row(f"change -> {name}", values, base))
    print()
    results = []
    for name, values in late.items():
        p99 = _percentile(values, 0.99)
        results.append(p99 < TARGET)
        verdict = "PASS" if p99 < TARGET else "FAIL"
        print(f"{verdict}  {name}: p99 {p99 * 1000:.0f} ms, target under {TARGET * 1000:.0f} ms")
    if page is None:
        print("(no browser row: --no-browser, or Chromium/Playwright missing)")
    return 0 if all(results) else 1


def _row(name: str, values: list[float], base: float) -> str:
    p50, p99, top = (_percentile(values, q) for q in (0.5, 0.99, 1.0))
    return (
        f"{name:<22} {p50 * 1000:>8.1f} {p99 * 1000:>8.1f} {top * 1000:>8.1f} {p50 / base:>12.1f}x"
    )


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _wait_for(arrived: Callable[[str], float | None], topic: str) -> float | None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        at = arrived(topic)
        if at is not None:
            return at
        time.sleep(0.002)
    return None


class SseViewer:
    """A raw SSE reader in a thread: the wall-clock time each change message arrived,
    by the topic it carries."""

    def __init__(self, url: str) -> None:
        self.seen: dict[str, float] = {}
        self.wanted: set[str] = set()
        self.lock = threading.Lock()
        self.client = httpx.Client(timeout=httpx.Timeout(WAIT, read=WAIT))
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._read, args=(url,), daemon=True)
        self.thread.start()
        if not self.ready.wait(WAIT):
            raise RuntimeError(f"the stream {url} did not open within {WAIT:g} s")

    def _read(self, url: str) -> None:
        try:
            with self.client.stream("GET", url) as response:
                for line in response.iter_lines():
                    self.ready.set()
                    if line.startswith("data: "):
                        self._note(json.loads(line.removeprefix("data: ")), time.time())
        except httpx.HTTPError:
            return  # closed by close()

    def _note(self, message: dict[str, Any], at: float) -> None:
        text = json.dumps(message.get("fragments", {}))
        with self.lock:
            for topic in self.wanted:
                if topic in text and topic not in self.seen:
                    self.seen[topic] = at

    def watch(self, topic: str) -> None:
        with self.lock:
            self.wanted.add(topic)

    def arrived(self, topic: str) -> float | None:
        with self.lock:
            return self.seen.get(topic)

    def close(self) -> None:
        self.client.close()
        self.thread.join(5)


class PageViewer:
    """Headless Chromium on the board; the page itself notes when a topic appears."""

    def __init__(self, url: str) -> None:
        from playwright.sync_api import sync_playwright

        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        self.page = self.browser.new_page()
        # (the warm-up round waits until the page's stream is open and delivering)
        self.page.goto(f"{url}/events/{demo.SLUG}/board", timeout=WAIT * 1000)

    def watch(self, topic: str) -> None:
        self.page.evaluate(WATCH_JS, topic)

    def arrived(self, topic: str) -> float | None:
        found = self.page.evaluate("t => (window.benchSeen || {})[t] ?? null", topic)
        return None if found is None else float(found) / 1000

    def close(self) -> None:
        self.browser.close()
        self.playwright.stop()


def _page_viewer(url: str) -> PageViewer | None:
    if not CHROMIUM.is_file():
        print(f"browser row skipped: no Chromium at {CHROMIUM} (set PTGHUB_CHROMIUM)")
        return None
    try:
        return PageViewer(url)
    except ImportError as error:
        print(f"browser row skipped: {error}")
        return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _wait_until_serving(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("ptghub serve exited early")
        try:
            if httpx.get(f"{url}/openapi.json", timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"ptghub serve did not answer within {WAIT:g} s")


if __name__ == "__main__":
    sys.exit(main())
