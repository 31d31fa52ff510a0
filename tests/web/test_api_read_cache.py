"""Reads that depend on the event's state alone keep their encoded answer until the
event's version moves (api._event_read): a change, from this process or another one,
is in the next answer, and a client with the current ETag still gets 304."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ptghub.store.store import Store
from tests.support import NOVA_CHAIR, ORGANIZER

API = "/api/v1/events/test-ptg"
CACHED = ("", "/teams", "/rooms", "/slots", "/schedule", "/needs")


def _cell(client: TestClient, code: str) -> dict[str, object]:
    cells = client.get(f"{API}/schedule").json()["cells"]
    return next(c for c in cells if c["cell"] == code)


@pytest.mark.parametrize("path", CACHED)
def test_a_second_read_is_the_same_answer_and_a_current_etag_gets_304(
    client: TestClient, path: str
) -> None:
    first = client.get(f"{API}{path}")
    second = client.get(f"{API}{path}")
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["content-type"] == "application/json"
    again = client.get(f"{API}{path}", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_a_booking_is_in_the_next_schedule_read(client: TestClient, store: Store) -> None:
    assert _cell(client, "Austin-Tue-A1")["status"] == "free"
    store.run("#nova book Austin-Tue-A1", NOVA_CHAIR)
    assert _cell(client, "Austin-Tue-A1") == {
        "room": "Austin",
        "slot": "Tue-A1",
        "cell": "Austin-Tue-A1",
        "status": "booked",
        "team": "nova",
    }


def test_a_change_made_by_another_process_is_in_the_next_read(
    client: TestClient, store: Store, database_url: str
) -> None:
    before = client.get(f"{API}/teams").json()["teams"]
    assert "swift" not in {team["slug"] for team in before}
    other = Store.open(database_url, clock=store.clock)  # another process's store
    try:
        other.run("~add swift", ORGANIZER)
    finally:
        other.close()
    after = client.get(f"{API}/teams").json()["teams"]
    assert "swift" in {team["slug"] for team in after}
