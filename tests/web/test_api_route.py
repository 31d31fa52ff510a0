"""Errors that FastAPI answers before the endpoint keep the API's ``{"error": ...}`` shape,
and a 405 lists every method the address takes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ptghub.store.store import Store
from tests.support import snapshot

API = "/api/v1/events/test-ptg"


def token(store: Store, nick: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {store.tokens.create(nick)[1]}"}


@pytest.mark.parametrize(
    ("authorized", "status", "error"),
    [
        # The token is checked before the body is read (web.guard): no token, no parsing.
        (
            False,
            401,
            "This request changes the event and needs a token: send 'Authorization: Bearer "
            "TOKEN'. An organizer makes one with 'ptghub token create --for NICK'.",
        ),
        (
            True,
            400,
            "The body is not text in UTF-8 (byte 0xff at position 10); send JSON encoded as UTF-8.",
        ),
    ],
)
def test_api_route_body_not_utf8_is_refused_with_error(
    client: TestClient, store: Store, authorized: bool, status: int, error: str
) -> None:
    before = (snapshot(store.state()), len(store.audit()))
    headers = {"Content-Type": "application/json", **(token(store, "olivia") if authorized else {})}
    response = client.post(f"{API}/commands", content=b'{"text": "\xff"}', headers=headers)
    assert (response.status_code, response.json()) == (status, {"error": error})
    assert (snapshot(store.state()), len(store.audit())) == before


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PATCH", "/needs/nova", "GET, HEAD, PUT, DELETE"),
        ("OPTIONS", "/needs/nova", "GET, HEAD, PUT, DELETE"),
        ("PATCH", "/plan-rules", "GET, HEAD, PUT"),
        ("DELETE", "/plans", "GET, HEAD, POST"),
        ("GET", "/teams/nova/now", "PUT"),
        ("PUT", "/plans/1/publish", "POST"),
    ],
)
def test_api_route_405_allows_every_method_of_the_address(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    response = client.request(method, f"{API}{path}")
    assert (response.status_code, response.headers["allow"], response.json()) == (
        405,
        allow,
        {"error": f"This address does not take {method}; it takes {allow}."},
    )


def test_api_route_405_on_an_export_is_json(client: TestClient) -> None:
    response = client.post("/events/test-ptg/schedule.json")
    assert (response.status_code, response.headers["allow"], response.json()) == (
        405,
        "GET, HEAD",
        {"error": "This address does not take POST; it takes GET, HEAD."},
    )


def test_api_route_address_no_route_matches_is_404_with_error(client: TestClient) -> None:
    # A newline in a room's name: neither the room's feed nor the pages' catch-all match.
    response = client.get("/events/test-ptg/rooms/%0A.ics")
    assert (response.status_code, response.json()) == (
        404,
        {
            "error": "There is nothing at this address: the API is under /api/v1/events "
            "(described at /docs), an event's pages under /events/SLUG/."
        },
    )
