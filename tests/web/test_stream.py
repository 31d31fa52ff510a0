"""The SSE stream over a real server: uvicorn on 127.0.0.1 around a store on a real database,
changes made by another Store or another process, read with httpx as a browser would."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from ptghub.store.store import Store
from ptghub.web.app import create_app
from ptghub.web.fragments import render_fragments
from ptghub.web.stream import LiveConfig
from tests.support import NOVA_CHAIR
from tests.web.serving import Running, serving

SLUG = "test-ptg"
STREAM = f"/events/{SLUG}/stream"
TOPIC = "Placement API"
# The regions that show nova's 'now' while it meets in Austin (Monday 13:30 UTC).
NOVA_REGIONS = ["now-next", "signage", "signage-austin", "team-nova"]
# Generous: what a change takes to arrive is bench/live.py's figure; a test only waits
# for it, so that a loaded machine is slow, not wrong, and a broken stream fails.
DEADLINE = 30.0


@pytest.fixture
def server(store: Store) -> Iterator[Running]:
    app = create_app(store)
    app.state.live_config = LiveConfig(heartbeat=0.3, retry_ms=500, interval=0.2)
    with serving(app) as running:
        yield running


@pytest.fixture
def other_store(store: Store, database_url: str) -> Iterator[Store]:
    """A second Store on the same database: what another process sees and writes."""
    other = Store.open(database_url)
    yield other
    other.close()


class Events:
    """Reads an SSE response block by block (a block: the lines up to a blank line).
    Each line waits at most the client's read timeout; ``change`` waits at most
    ``DEADLINE`` in all, so a stream of heartbeats alone fails the test, never stalls it."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.lines = response.iter_lines()

    def block(self) -> list[str]:
        lines = []
        for line in self.lines:
            if line == "":
                return lines
            lines.append(line)
        raise AssertionError(f"the stream ended after {lines!r}")

    def change(self) -> tuple[int, dict[str, object]]:
        """The next block that is not a heartbeat, which must be a change message: its id
        and its data."""
        deadline = time.monotonic() + DEADLINE
        lines = self.block()
        while lines == [": ping"]:
            assert time.monotonic() < deadline, f"no change within {DEADLINE} s, only heartbeats"
            lines = self.block()
        assert [line.split(":")[0] for line in lines] == ["id", "event", "data"], lines
        assert lines[1] == "event: change"
        data = json.loads(lines[2].removeprefix("data: "))
        assert isinstance(data, dict)
        return int(lines[0].removeprefix("id: ")), data


@contextmanager
def stream(
    server: Running, path: str = STREAM, headers: dict[str, str] | None = None
) -> Iterator[Events]:
    """Open the stream and wait for its first block (``retry:``): from then on the server
    has subscribed this client, so any later change reaches it."""
    timeout = httpx.Timeout(30.0, read=10.0)  # per line: heartbeats come every 0.3 s
    with (
        httpx.Client(base_url=server.url, timeout=timeout) as client,
        client.stream("GET", path, headers=headers or {}) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
        assert response.headers["cache-control"] == "no-cache"
        events = Events(response)
        assert events.block() == ["retry: 500"]
        yield events


def nova_regions(fragments: object) -> list[str]:
    assert isinstance(fragments, dict)
    return sorted(key for key, html in fragments.items() if TOPIC in html)


def test_stream_delivers_a_change_from_another_store(
    server: Running, store: Store, other_store: Store
) -> None:
    before = render_fragments(store.state(SLUG), store.clock())
    with stream(server) as events:
        result = other_store.run(f"#nova now {TOPIC}", NOVA_CHAIR, event=SLUG)
        event_id, data = events.change()
    assert result is not None and result.audit_id is not None
    assert event_id == result.audit_id
    assert data["id"] == result.audit_id
    assert data["version"] == store.version(SLUG)
    after = render_fragments(store.state(SLUG), store.clock())
    # Only the regions that changed travel; the page keeps the others.
    assert data["fragments"] == {k: v for k, v in after.items() if before[k] != v}
    assert nova_regions(data["fragments"]) == NOVA_REGIONS


def test_stream_delivers_a_change_made_by_the_cli_in_another_process(
    server: Running, store: Store, database_url: str
) -> None:
    command = [sys.executable, "-m", "ptghub", "--database-url", database_url]
    command += ["cmd", f"#nova now {TOPIC}", "--as", "nchair", "--event", SLUG]
    with stream(server) as events:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        event_id, data = events.change()
    assert (done.returncode, done.stderr) == (0, "")
    assert event_id == store.audit(SLUG, limit=1)[0].id
    assert nova_regions(data["fragments"]) == NOVA_REGIONS


def test_stream_fans_one_change_out_to_every_client(server: Running, other_store: Store) -> None:
    received: list[int] = []
    ready = threading.Barrier(11)

    def client() -> None:
        with stream(server) as events:
            ready.wait(DEADLINE)
            received.append(events.change()[0])

    threads = [threading.Thread(target=client) for _ in range(10)]
    for thread in threads:
        thread.start()
    ready.wait(DEADLINE)
    result = other_store.run(f"#nova now {TOPIC}", NOVA_CHAIR, event=SLUG)
    for thread in threads:
        thread.join(DEADLINE)
    assert result is not None
    assert received == [result.audit_id] * 10


def test_stream_resumed_with_an_older_last_event_id_catches_up_at_once(
    server: Running, store: Store
) -> None:
    result = store.run(f"#nova now {TOPIC}", NOVA_CHAIR, event=SLUG)
    assert result is not None and result.audit_id is not None
    with stream(server, headers={"Last-Event-ID": str(result.audit_id - 1)}) as events:
        event_id, data = events.change()
    assert event_id == result.audit_id
    # Every region, whole: one message brings the page up to date whatever it missed.
    assert data["fragments"] == render_fragments(store.state(SLUG), store.clock())
    assert nova_regions(data["fragments"]) == NOVA_REGIONS


def test_stream_resumed_with_an_older_last_event_id_in_the_address_catches_up(
    server: Running, store: Store
) -> None:
    result = store.run(f"#nova now {TOPIC}", NOVA_CHAIR, event=SLUG)
    assert result is not None and result.audit_id is not None
    with stream(server, f"{STREAM}?lastEventId={result.audit_id - 1}") as events:
        assert events.change()[0] == result.audit_id


def test_stream_opened_with_an_older_page_version_catches_up(server: Running, store: Store) -> None:
    version = store.version(SLUG)
    result = store.run(f"#nova now {TOPIC}", NOVA_CHAIR, event=SLUG)
    assert result is not None
    with stream(server, f"{STREAM}?version={version}") as events:
        assert events.change()[0] == result.audit_id


def test_stream_resumed_with_the_newest_id_sends_only_heartbeats(
    server: Running, store: Store
) -> None:
    result = store.run(f"#nova now {TOPIC}", NOVA_CHAIR, event=SLUG)
    assert result is not None and result.audit_id is not None
    newest = str(result.audit_id)
    # The header wins over an older id left in the address by the first page load.
    path = f"{STREAM}?lastEventId=1&version=1"
    with stream(server, path, headers={"Last-Event-ID": newest}) as events:
        assert [events.block(), events.block()] == [[": ping"], [": ping"]]


def test_stream_without_last_event_id_sends_nothing_until_a_change(
    server: Running, store: Store
) -> None:
    store.run(f"#nova now {TOPIC}", NOVA_CHAIR, event=SLUG)
    with stream(server) as events:
        started = time.monotonic()
        assert [events.block(), events.block()] == [[": ping"], [": ping"]]
        elapsed = time.monotonic() - started
    # Paced by the test's 0.3 s heartbeat (a slow machine only adds to it); each block
    # waits at most the client's read timeout.
    assert elapsed > 0.25


def refusal(server: Running, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    """The answer to a request the server must refuse, read only once it is known not to
    be a stream (an endless body, had the server accepted it)."""
    with httpx.stream("GET", server.url + path, headers=headers or {}, timeout=30) as response:
        kind = response.headers.get("content-type", "")
        assert not kind.startswith("text/event-stream"), f"{path}: a stream, not a refusal"
        response.read()
    return response


def test_stream_of_an_unknown_event_is_a_json_404(server: Running) -> None:
    response = refusal(server, "/events/no-such-ptg/stream")
    assert response.status_code == 404
    assert response.json() == {
        "error": "Unknown event 'no-such-ptg'; 'ptghub event list' shows the events."
    }


def test_stream_with_a_last_event_id_that_is_not_a_number_is_a_json_400(server: Running) -> None:
    response = refusal(server, STREAM, {"Last-Event-ID": "12a"})
    assert response.status_code == 400
    assert response.json() == {"error": "Last-Event-ID must be a whole number, not '12a'."}


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("lastEventId=-3", "lastEventId must be a whole number, not '-3'."),
        ("version=v12", "version must be a whole number, not 'v12'."),
    ],
)
def test_stream_with_an_address_id_or_version_that_is_not_a_number_is_a_json_400(
    server: Running, query: str, error: str
) -> None:
    response = refusal(server, f"{STREAM}?{query}")
    assert response.status_code == 400
    assert response.json() == {"error": error}


def test_stream_client_that_disconnects_leaves_the_bus(server: Running) -> None:
    with stream(server):
        assert server.live.bus.count(SLUG) == 1
    deadline = time.monotonic() + DEADLINE
    while server.live.bus.count(SLUG) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.live.bus.count(SLUG) == 0


def test_server_shutdown_stops_the_watcher(store: Store) -> None:
    app = create_app(store)
    with serving(app) as running:
        live = running.live
        assert live.watcher.running is True
    assert live.watcher.running is False
