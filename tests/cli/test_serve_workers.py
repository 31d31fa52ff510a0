"""`ptghub serve --workers N`: every worker serves everything, a change made anywhere
reaches the viewers of every worker, and Ctrl-C or SIGTERM ends them all.

Real processes on a real database (SQLite, and PostgreSQL when configured). A viewer is
attributed to a worker by the kernel's account of who holds its connection (``served``).
How long a change took is printed (``-s`` shows it): a figure, not an assertion.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from ptghub.cli import app
from ptghub.core.model import Actor
from ptghub.store.store import Store
from tests.cli.served import (
    DEADLINE,
    SLUG,
    Served,
    Viewer,
    alive,
    open_viewer,
    serving,
    set_now_through_api,
    set_now_through_cli,
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


def _environment(pid: int) -> dict[str, str]:
    with open(f"/proc/{pid}/environ", "rb") as file:
        pairs = [entry.partition(b"=") for entry in file.read().split(b"\0") if entry]
    return {name.decode(): value.decode() for name, _, value in pairs}


def test_serve_with_two_workers_runs_two_processes_sharing_a_private_metrics_directory(
    database_url: str, token: str, tmp_path: Path
) -> None:
    """prometheus-client's multiprocess mode needs one directory for all the workers:
    made for the run when PROMETHEUS_MULTIPROC_DIR is not set, removed at the end."""
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    with serving(database_url, tmp_path, "--workers", "2", env=env) as served:
        workers = served.workers()
        directories = {_environment(pid).get("PROMETHEUS_MULTIPROC_DIR") for pid in workers}
        assert len(workers) == 2 and served.process.pid not in workers
        assert "with 2 workers (Ctrl-C stops them)" in served.text()
        assert len(directories) == 1
        (directory,) = directories
        assert directory is not None and Path(directory).is_dir()
    assert not Path(directory).exists()


@contextmanager
def two_workers(
    database_url: str, tmp_path: Path
) -> Iterator[tuple[Served, ExitStack, list[Viewer]]]:
    """`ptghub serve --workers 2`, what closes the test's clients, and its open streams."""
    with (
        serving(database_url, tmp_path, "--workers", "2") as served,
        ExitStack() as stack,
        viewers(served) as opened,
    ):
        yield served, stack, opened


def test_every_worker_serves_the_board_page_its_json_and_its_stream(
    database_url: str, token: str, tmp_path: Path
) -> None:
    with two_workers(database_url, tmp_path) as (served, stack, opened):
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
    with two_workers(database_url, tmp_path) as (served, stack, opened):
        viewers_on_every_worker(served, opened)
        started = time.monotonic()
        from_cli = set_now_through_cli(database_url, "Via the CLI")
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


def test_a_simulated_clock_reads_the_same_moment_in_every_worker_even_a_replacement(
    database_url: str, token: str, tmp_path: Path
) -> None:
    """Each page puts the clock's reading on <body data-clock>. The one clock of the
    command travels to every worker, so all read the same moment, even a worker started
    later in place of one killed: a clock of its own would be off by the real seconds in
    between, times the speed (100,000: far more than a request lasts)."""
    speed = 100_000
    with (
        serving(database_url, tmp_path, "--workers", "2", "--clock-speed", str(speed)) as served,
        ExitStack() as stack,
    ):
        first = time.monotonic()
        originals = served.workers()
        pinned = clients_on_every_worker(served, stack)
        bounds = [_clock_constant(pinned[pid], speed) for pid in originals]
        # Long enough that a clock of the replacement's own would not fit the bounds.
        longest = max(high - low for low, high in bounds) / speed
        time.sleep(max(0.0, first + 2 * longest + 1 - time.monotonic()))
        os.kill(originals[0], signal.SIGKILL)
        deadline = time.monotonic() + 2 * DEADLINE
        while len(new := set(served.workers()) - set(originals)) != 1:
            assert time.monotonic() < deadline, "the killed worker was not replaced"
            time.sleep(0.1)
        pinned = clients_on_every_worker(served, stack)
        bounds.append(_clock_constant(pinned[new.pop()], speed))
    lows, highs = zip(*bounds, strict=True)
    print(f"\nsimulated clocks' constants (s): {bounds}")
    assert max(lows) <= min(highs), "the workers' simulated clocks disagree"


def _clock_constant(client: httpx.Client, speed: int) -> tuple[float, float]:
    """What the worker's clock reads minus the real (monotonic) seconds times the speed:
    a constant of the clock, known within the request's duration."""
    before = time.monotonic()
    page = client.get(f"/events/{SLUG}/board").text
    after = time.monotonic()
    moment = re.search(r'data-clock="([^"]+)"', page)
    assert moment is not None
    read = datetime.fromisoformat(moment[1]).timestamp()
    return read - after * speed, read - before * speed


def test_serve_refuses_fewer_than_one_worker(tmp_path: Path) -> None:
    answer = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "serve", "--workers", "0"])
    assert answer.exit_code == 2
    assert "Invalid value for '--workers': Input should be greater than or equal to 1" in (
        " ".join(answer.stderr.replace("│", " ").split())
    )
