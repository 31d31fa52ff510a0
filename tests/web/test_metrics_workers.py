"""Several workers, one ``PROMETHEUS_MULTIPROC_DIR``: whichever worker is scraped, its
``/metrics`` add up what every worker counted (requests, commands) and the viewers of
the workers that live; a worker that stops takes its viewers with it. Two real
``ptghub serve`` processes on one database."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from ptghub.store.store import Store
from tests.web.api_client import token
from tests.web.scraping import value
from tests.web.server_process import ServerProcess, serve_process

DEADLINE = 60.0  # a worker reads its gauges every 5 s; a loaded machine may take longer


def scrape(server: ServerProcess) -> str:
    response = httpx.get(f"{server.url}/metrics", timeout=30.0)
    assert response.status_code == 200, response.text
    return response.text


def wait_for(server: ServerProcess, name: str, expected: float, **labels: str) -> str:
    deadline = time.monotonic() + DEADLINE
    while True:
        text = scrape(server)
        if value(text, name, **labels) == expected:
            return text
        assert time.monotonic() < deadline, (
            f"{name}{labels} is {value(text, name, **labels)}, never {expected}"
        )
        time.sleep(0.2)


@pytest.mark.slow
def test_every_worker_answers_with_the_sum_of_all_workers(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    shared = tmp_path / "prometheus"
    shared.mkdir()
    env = {"PROMETHEUS_MULTIPROC_DIR": str(shared)}
    headers = token(store, "alice")
    healthz = {"route": "/healthz", "method": "GET", "status": "200"}
    commands = {"kind": "run", "frontend": "api", "outcome": "applied"}
    with serve_process(database_url, **env) as one, serve_process(database_url, **env) as two:
        before = value(scrape(one), "ptghub_http_requests_total", **healthz)
        for server, times in ((one, 3), (two, 4)):
            for _ in range(times):
                assert httpx.get(f"{server.url}/healthz", timeout=30.0).status_code == 200
        answer = two.command("#nova now Placement API", headers)
        assert answer.status_code == 200, answer.text
        for server in (one, two):
            text = scrape(server)
            assert value(text, "ptghub_http_requests_total", **healthz) == before + 7
            assert value(text, "ptghub_command_duration_seconds_count", **commands) == 1

        timeout = httpx.Timeout(30.0, read=30.0)
        with (
            httpx.Client(base_url=one.url, timeout=timeout) as to_one,
            httpx.Client(base_url=two.url, timeout=timeout) as to_two,
            to_one.stream("GET", "/events/test-ptg/stream") as first,
        ):
            assert first.status_code == 200
            with to_two.stream("GET", "/events/test-ptg/stream") as second:
                assert second.status_code == 200
                wait_for(one, "ptghub_viewers", 2, event="test-ptg")
                wait_for(two, "ptghub_viewers", 2, event="test-ptg")
            two.stop()  # its lifespan ends: its live gauges leave the sums
            wait_for(one, "ptghub_viewers", 1, event="test-ptg")
