"""A request that finds no database connection in time gets 503 with Retry-After (JSON
for programs, a page for people), and the log says so once, not once per request."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ptghub.core.model import Actor
from ptghub.store.pool import PoolLimits
from ptghub.store.store import Store
from ptghub.web.app import create_app
from tests.support import small_event

MESSAGE = "The database cannot be reached just now; try again in a few seconds."


@pytest.fixture
def one_connection(database_url: str) -> Iterator[Store]:
    """A store whose pool holds one connection, and waits a tenth of a second for it."""
    store = Store.open(database_url, pool=PoolLimits(size=1, max_overflow=0, timeout=0.1))
    store.create_event(small_event(), Actor("loader", operator=True), "test setup")
    yield store
    store.close()


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_requests_get_503_while_every_connection_is_busy_and_200_once_one_is_free(
    one_connection: Store, caplog: pytest.LogCaptureFixture
) -> None:
    with TestClient(create_app(one_connection)) as client:
        with (
            one_connection.engine.connect(),  # the pool's only connection, taken
            caplog.at_level(logging.WARNING, logger="ptghub.web.unavailable"),
        ):
            api = client.get("/api/v1/events/test-ptg/board")
            page = client.get("/events/test-ptg/board?tz=UTC")
            client.cookies.set("ptghub_session", "s")  # a session to look up
            form = client.post("/events/test-ptg/commands", data={"text": "x"})
            client.cookies.clear()
        for answer in (api, page, form):
            assert (answer.status_code, answer.headers["retry-after"]) == (503, "5")
        assert api.json() == {"error": MESSAGE}
        assert page.headers["content-type"].startswith("text/html")
        assert MESSAGE in page.text
        assert 'href="/events/test-ptg/board?tz=UTC">Try again' in page.text
        assert 'href="/events/">See the list of events' in form.text  # not a GET to repeat
        # One warning for the three, without a traceback.
        warnings = [
            (r.getMessage().partition(", connection")[0], r.exc_info) for r in caplog.records
        ]
        assert warnings == [
            (
                "database unavailable, answering 503 (0 more since the last warning): "
                "QueuePool limit of size 1 overflow 0 reached",
                None,
            )
        ]
        assert client.get("/api/v1/events/test-ptg/board").status_code == 200


def test_a_query_that_is_wrong_is_a_500_not_a_503(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'broken.sqlite3'}")
    try:
        with store.engine.begin() as conn:  # SQLite calls "no such table" operational
            conn.exec_driver_sql("DROP TABLE event_info")
        with TestClient(create_app(store), raise_server_exceptions=False) as client:
            assert client.get("/api/v1/events").status_code == 500
    finally:
        store.close()
