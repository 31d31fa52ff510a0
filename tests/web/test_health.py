"""``/healthz`` and ``/readyz`` on the real app around a real database: ready when the
database answers at the newest schema and the change follower runs; 503 naming each
check that fails otherwise."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ptghub.store.engine import HEAD, make_engine, migrate
from ptghub.store.store import Store
from ptghub.web.app import create_app
from tests.web.serving import serving

DEADLINE = 30.0


def test_healthz_says_ok_without_reading_the_database(client: TestClient) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_is_ready_when_database_schema_and_follower_are(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "follower": "ok"},
    }


def test_health_routes_are_not_in_the_api_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not {"/healthz", "/readyz", "/metrics"} & set(paths)


@pytest.fixture
def older_store(tmp_path: Path) -> Iterator[Store]:
    """A store on a database whose schema is one revision behind this ptghub's."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    older = f"{int(HEAD) - 1:04d}"
    migrate(engine, older)
    store = Store(engine)  # not Store.open, which would bring it up to date
    yield store
    store.close()


def test_readyz_is_not_ready_on_a_schema_behind_head(older_store: Store) -> None:
    with TestClient(create_app(older_store)) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["failed"] == ["migrations"]
    older = f"{int(HEAD) - 1:04d}"
    assert body["checks"]["migrations"] == (
        f"the schema is at revision {older}; this ptghub needs {HEAD} ('ptghub init' upgrades it)"
    )
    assert body["checks"]["database"] == "ok"


def test_readyz_is_not_ready_when_the_database_does_not_answer() -> None:
    pytest.importorskip("psycopg")
    with socket_nobody_listens_on() as port:
        store = Store(make_engine(f"postgresql://ptghub@127.0.0.1:{port}/ptghub"))
        try:
            with TestClient(create_app(store)) as client:
                response = client.get("/readyz")
                health = client.get("/healthz")
        finally:
            store.close()
    assert health.status_code == 200  # up, though not ready
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["database", "migrations"]
    assert body["checks"]["database"].startswith("the database does not answer: ")
    assert body["checks"]["follower"] == "ok"


def test_readyz_is_not_ready_when_the_change_follower_stopped(store: Store) -> None:
    app = create_app(store)
    with TestClient(app) as client:
        assert client.get("/readyz").status_code == 200
        feed = app.state.live.watcher.feed
        feed.close()  # the follower's last feed: its thread ends
        deadline = time.monotonic() + DEADLINE
        while feed.follower.running:
            assert time.monotonic() < deadline, "the follower's thread did not end"
            time.sleep(0.02)
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["follower"]
    assert response.json()["checks"]["follower"] == "the change follower's thread is not running"


def test_readyz_is_not_ready_before_the_live_feed_starts(store: Store) -> None:
    client = TestClient(create_app(store))  # outside ``with``: no lifespan, nothing started
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["follower"] == "the live feed has not started"


def test_health_routes_answer_on_a_real_server_beside_an_open_stream(store: Store) -> None:
    import httpx

    with serving(create_app(store)) as running, httpx.Client(base_url=running.url) as client:
        with client.stream("GET", "/events/test-ptg/stream") as stream:
            assert stream.status_code == 200
            ready = client.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert client.get("/healthz").json() == {"status": "ok"}


class socket_nobody_listens_on:
    """A loopback port bound but not listening while the block runs: a connection to it
    is refused at once."""

    def __enter__(self) -> int:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return int(self.sock.getsockname()[1])

    def __exit__(self, *_: object) -> None:
        self.sock.close()
