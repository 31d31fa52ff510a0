"""`ptghub serve --workers N`: every worker serves everything, a change made anywhere
reaches the viewers of every worker, and Ctrl-C or SIGTERM ends them all.

Real processes on a real database (SQLite, and PostgreSQL when configured). A viewer is
attributed to a worker by the kernel's account of who holds its connection (``served``).
How long a change took is printed (``-s`` shows it): a figure, not an assertion.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from ptghub.core.model import Actor
from ptghub.store.store import Store
from tests.cli.served import (
    DEADLINE,
    SLUG,
    Served,
    alive,
    open_viewer,
    ptghub,
    serving,
    set_now_through_api,
    viewers,
    viewers_on_every_worker,
)
from tests.support import small_event

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


@pytest.fixture
def token(database_url: str) -> str:
    """The test event in the database, and an API token of nova's chair."""
    store = Store.open(database_url)
    try:
        store.create_event(small_event(), Actor("loader", operator=True), "test setup")
        return store.tokens.create("nchair")[1]
    finally:
        store.close()


def _last_audit_id(database_url: str) -> int:
    store = Store.open(database_url)
    try:
        return store.audit(SLUG, limit=1)[0].id
    finally:
        store.close()


def clients_on_every_worker(served: Served, stack: ExitStack) -> dict[int, httpx.Client]:
    """A keep-alive client per worker: its one connection is held by that worker (one
    that lands on a worker already counted is closed again)."""
    pinned: dict[int, httpx.Client] = {}
    deadline = time.monotonic() + 2 * DEADLINE
    while set(pinned) != set(served.workers()):
        assert time.monotonic() < deadline, f"every connection on workers {sorted(pinned)}"
        client = httpx.Client(base_url=served.url, timeout=DEADLINE)
        response = client.get("/api/v1/events")
        assert response.status_code == 200
        port = response.extensions["network_stream"].get_extra_info("client_addr")[1]
        holder = served.wait_for_holder(port)
        if holder in pinned:
            client.close()
            time.sleep(0.1)
        else:
            stack.callback(client.close)
            pinned[holder] = client
    return pinned


def test_serve_with_two_workers_runs_two_worker_processes(
    database_url: str, token: str, tmp_path: Path
) -> None:
    with serving(database_url, tmp_path, "--workers", "2") as served:
        assert len(served.workers()) == 2
        assert served.process.pid not in served.workers()
        assert "with 2 workers (Ctrl-C stops them)" in served.text()


def test_every_worker_serves_the_board_page_its_json_and_its_stream(
    database_url: str, token: str, tmp_path: Path
) -> None:
    with (
        serving(database_url, tmp_path, "--workers", "2") as served,
        ExitStack() as stack,
        viewers(served) as opened,
    ):
        pinned = clients_on_every_worker(served, stack)
        answers = {
            pid: (
                client.get(f"/events/{SLUG}/board").status_code,
                client.get(f"/api/v1/events/{SLUG}/board").json()["event"],
            )
            for pid, client in pinned.items()
        }
        streaming = viewers_on_every_worker(served, opened)
        workers = served.workers()
    assert answers == {pid: (200, SLUG) for pid in workers}
    assert sorted(streaming) == sorted(answers)


def test_a_change_through_the_cli_or_any_worker_reaches_the_viewers_of_every_worker(
    database_url: str, token: str, tmp_path: Path
) -> None:
    with (
        serving(database_url, tmp_path, "--workers", "2") as served,
        ExitStack() as stack,
        viewers(served) as opened,
    ):
        viewers_on_every_worker(served, opened)
        started = time.monotonic()
        done = subprocess.run(
            ptghub(database_url, "cmd", "#nova now Via the CLI", "--as", "nchair", "-e", SLUG),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert (done.returncode, done.stderr) == (0, "")
        from_cli = _last_audit_id(database_url)
        arrived = [viewer.wait(from_cli) for viewer in opened]
        print(f"\nCLI change on {len(opened)} streams: {_latest(arrived) - started:.3f} s")
        print("  (from the CLI's start: a Python process starting included)")
        for pid, client in clients_on_every_worker(served, stack).items():
            started = time.monotonic()
            response = client.put(
                f"/api/v1/events/{SLUG}/teams/nova/now",
                json={"topic": f"Through worker {pid}"},
                headers={"Authorization": f"Bearer {token}"},
            )
            answered = time.monotonic() - started
            assert response.status_code == 200, response.text
            arrived = [viewer.wait(response.json()["audit_id"]) for viewer in opened]
            took = _latest(arrived) - started
            print(f"API change via worker {pid}: answered in {answered:.3f} s, ", end="")
            print(f"on every stream after {took:.3f} s")


def _latest(arrivals: list[float | None]) -> float:
    return max(moment for moment in arrivals if moment is not None)


def test_a_change_through_one_server_reaches_the_viewers_of_another(
    database_url: str, token: str, tmp_path: Path
) -> None:
    """Two `ptghub serve` on two ports over one database: two machines, as far as the
    database can tell."""
    with (
        serving(database_url, tmp_path) as first,
        serving(database_url, tmp_path) as second,
        viewers(second) as opened,
    ):
        viewer = open_viewer(second, opened)
        started = time.monotonic()
        audit_id = set_now_through_api(first, token, "Across servers")
        arrived = viewer.wait(audit_id)
        assert arrived is not None
        print(f"\nchange through one server, seen on the other's stream: {arrived - started:.3f} s")


@pytest.fixture(params=["sigint-to-the-group", "sigint", "sigterm"])
def stop(request: pytest.FixtureRequest) -> tuple[str, signal.Signals, bool]:
    """How the server is stopped: Ctrl-C in a terminal (SIGINT to the process group), or
    a signal to the server process alone (a process manager's SIGTERM)."""
    return {
        "sigint-to-the-group": ("Ctrl-C", signal.SIGINT, True),
        "sigint": ("SIGINT", signal.SIGINT, False),
        "sigterm": ("SIGTERM", signal.SIGTERM, False),
    }[request.param]


def test_a_signal_ends_every_worker_and_the_server_exits_0(
    tmp_path: Path, stop: tuple[str, signal.Signals, bool]
) -> None:
    database_url = f"sqlite:///{tmp_path / 'ptghub.sqlite3'}"
    store = Store.open(database_url)
    store.create_event(small_event(), Actor("loader", operator=True), "test setup")
    store.close()
    with serving(database_url, tmp_path, "--workers", "2") as served, viewers(served) as opened:
        viewers_on_every_worker(served, opened)  # open streams never end by themselves
        workers = served.workers()
        _, signum, group = stop
        if group:
            os.killpg(served.process.pid, signum)
        else:
            served.process.send_signal(signum)
        code = served.process.wait(timeout=DEADLINE)
    assert code == 0, served.text()
    # The supervisor waits for its workers before it exits: none is left behind.
    assert [pid for pid in workers if alive(pid)] == []
