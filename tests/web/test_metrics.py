"""``/metrics`` after real requests to the real app: requests by route template and
status, command latency by front end, database statements, viewers of an open stream,
the outbox's depth, the follower's lag, and the optional bearer token.

The metrics are the process's, shared by every app a test makes: each test compares
what it reads before and after what it does."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from ptghub.settings import Settings
from ptghub.store.store import Store
from ptghub.web.app import create_app
from tests.web.api_client import API, token
from tests.web.scraping import samples, value
from tests.web.serving import Running, serving

DEADLINE = 30.0  # generous: the gauges are read every few seconds and at each scrape


def scrape(client: TestClient | httpx.Client) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return response.text


def test_requests_are_counted_by_route_template_and_status(client: TestClient) -> None:
    before = scrape(client)
    for slug in ("test-ptg", "no-such-event", "another-one"):
        client.get(f"/events/{slug}/board")
    client.get("/a/path/nothing/serves")
    after = scrape(client)

    def grew(route: str, status: str) -> float:
        labels = {"route": route, "method": "GET", "status": status}
        name = "ptghub_http_requests_total"
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("/events/{slug}/board", "200") == 1
    assert grew("/events/{slug}/board", "404") == 2
    assert grew("(none)", "404") == 1
    raw = ("route", "/events/test-ptg/board")
    assert not [labels for _, labels in samples(after) if raw in labels]
    timed = "ptghub_http_request_duration_seconds_count"
    board = {"route": "/events/{slug}/board", "method": "GET"}
    assert value(after, timed, **board) - value(before, timed, **board) == 3


def test_a_command_through_the_api_is_timed_under_its_front_end(
    client: TestClient, store: Store
) -> None:
    before = scrape(client)
    answer = client.post(
        f"{API}/commands", json={"text": "#nova now Placement API"}, headers=token(store, "al")
    )
    assert answer.status_code == 200, answer.text
    refused = client.post(
        f"{API}/commands", json={"text": "#nova book Nowhere-Z9"}, headers=token(store, "al")
    )
    assert refused.status_code >= 400
    after = scrape(client)
    name = "ptghub_command_duration_seconds_count"
    applied = {"kind": "run", "frontend": "api", "outcome": "applied"}
    failed = {"kind": "run", "frontend": "api", "outcome": "refused"}
    assert value(after, name, **applied) - value(before, name, **applied) == 1
    assert value(after, name, **failed) - value(before, name, **failed) == 1
    statements = "ptghub_db_queries_total"
    backend = {"backend": store.engine.dialect.name}
    assert value(after, statements, **backend) > value(before, statements, **backend)


def test_the_outbox_depth_is_read_at_each_scrape(client: TestClient, store: Store) -> None:
    depth = "ptghub_outbox_depth"
    before = value(scrape(client), depth, state="queued")
    for n in range(3):
        store.outbox.enqueue(to=f"p{n}@example.org", subject="Hello", text="Hi", kind="test")
    assert value(scrape(client), depth, state="queued") == before + 3


def test_metrics_want_the_token_when_one_is_set(store: Store) -> None:
    settings = Settings.model_construct(metrics_token="s3cret-scrape")
    with TestClient(create_app(store, settings)) as client:
        missing = client.get("/metrics")
        wrong = client.get("/metrics", headers={"Authorization": "Bearer guess"})
        right = client.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape"})
    assert (missing.status_code, wrong.status_code, right.status_code) == (401, 401, 200)
    assert missing.headers["www-authenticate"] == 'Bearer realm="metrics"'
    assert "PTGHUB_METRICS_TOKEN" in missing.json()["error"]
    assert "ptghub_http_requests_total" in right.text


@pytest.fixture
def server(store: Store) -> Iterator[Running]:
    with serving(create_app(store)) as running:
        yield running


def wait_for(client: httpx.Client, name: str, expected: float, **labels: str) -> str:
    deadline = time.monotonic() + DEADLINE
    while True:
        text = scrape(client)
        if value(text, name, **labels) == expected:
            return text
        assert time.monotonic() < deadline, f"{name}{labels} never became {expected}"
        time.sleep(0.1)


def test_viewers_of_an_event_are_its_open_streams(server: Running) -> None:
    timeout = httpx.Timeout(30.0, read=10.0)
    with httpx.Client(base_url=server.url, timeout=timeout) as client:
        wait_for(client, "ptghub_viewers", 0, event="test-ptg")
        with (
            client.stream("GET", "/events/test-ptg/stream") as one,
            client.stream("GET", "/events/test-ptg/stream") as two,
        ):
            assert (one.status_code, two.status_code) == (200, 200)
            text = wait_for(client, "ptghub_viewers", 2, event="test-ptg")
            # The follower reads the viewed event: its lag is a small number of seconds.
            lag = value(text, "ptghub_follower_lag_seconds", event="test-ptg")
            assert 0 <= lag < DEADLINE
            opened = {"route": "/events/{slug}/stream", "method": "GET", "status": "200"}
            assert value(text, "ptghub_http_requests_total", **opened) >= 2
        wait_for(client, "ptghub_viewers", 0, event="test-ptg")


def test_process_metrics_come_with_prometheus_client_defaults(client: TestClient) -> None:
    text = scrape(client)
    assert value(text, "process_resident_memory_bytes") > 0
