"""PostgreSQL restarts under a running ``ptghub serve``: while it is down every request
gets a quick 503 with Retry-After (JSON for programs, a page for people), and once it is
back ptghub serves again by itself, and an open live stream sees the next change.

On a PostgreSQL server of the test's own (``tests/own_postgres``), never the shared one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ptghub.core.model import Actor
from ptghub.store.store import Store
from tests.own_postgres import OwnPostgres, own_postgres
from tests.support import small_event
from tests.web.served import CLIENT_TIMEOUT, Served, Stream, until

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

SLUG = "test-ptg"


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
        until("ptghub serve answers", lambda: served.answers(f"/api/v1/events/{SLUG}"))
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
        # Under way once its first line came: a stream still starting needs the database
        # for its first message, and ends if it is gone (the browser then reconnects).
        assert stream.wait_for("retry:") == ["status 200", "retry: 2000"]

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
        until("the board answers again", lambda: served.answers(f"/api/v1/events/{SLUG}/board"))
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
