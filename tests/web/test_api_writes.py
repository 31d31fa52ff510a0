"""The JSON API's write endpoints: the command endpoint (the bot's language) and the typed
ones, and the answers to refused, unknown or malformed requests."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ptghub.core.model import Topics
from ptghub.store.store import Store
from tests.web.api_client import API, token, write


def test_api_command_runs_the_bot_language(client: TestClient, store: Store) -> None:
    response = client.post(
        f"{API}/commands", json={"text": "#nova now Placement API"}, headers=token(store, "alice")
    )
    assert (response.status_code, response.json()) == (
        200,
        {
            "command": "#nova now Placement API",
            "reply": "OK, nova now discusses: Placement API",
            "changed": True,
            "audit_id": store.audit()[-1].id,
        },
    )
    assert store.state().topics_of("nova") == Topics(now="Placement API")


def test_api_command_that_changes_nothing_has_no_audit_id(client: TestClient, store: Store) -> None:
    response = client.post(f"{API}/commands", json={"text": "seen bob"}, headers=token(store, "a"))
    assert (response.status_code, response.json()) == (
        200,
        {
            "command": "seen bob",
            "reply": "bob never checked in anywhere.",
            "changed": False,
            "audit_id": None,
        },
    )


def test_api_command_refused_booking_is_409(client: TestClient, store: Store) -> None:
    response = client.post(
        f"{API}/commands",
        json={"text": "#cinder book Austin-Mon-A1"},
        headers=token(store, "alice"),
    )
    assert (response.status_code, response.json()) == (
        409,
        {"error": "Austin-Mon-A1 is already planned for nova."},
    )


def test_api_command_unknown_is_400_with_hint(client: TestClient, store: Store) -> None:
    response = client.post(
        f"{API}/commands", json={"text": "#nova nwo Quotas"}, headers=token(store, "alice")
    )
    assert (response.status_code, response.json()["error"]) == (
        400,
        "Unknown command '#nova nwo'. Did you mean 'now'? Expected one of: book, clean, clear, "
        "color, etherpad, location, next, now, outcome, recording, unbook, url.",
    )


def test_api_command_for_unknown_event_is_404(client: TestClient, store: Store) -> None:
    response = client.post(
        "/api/v1/events/nope/commands", json={"text": "~list"}, headers=token(store, "alice")
    )
    assert (response.status_code, response.json()) == (
        404,
        {"error": "Unknown event 'nope'; 'ptghub event list' shows the events."},
    )


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (
            b'{"text": "~list"',
            "Invalid request: the body is not valid JSON (Expecting ',' delimiter at "
            "character 16).",
        ),
        (b"{}", "Invalid request: text: Field required."),
        (b'{"text": 3}', "Invalid request: text: Input should be a valid string."),
        (
            b'["~list"]',
            "Invalid request: the body: Input should be a valid dictionary or object to "
            "extract fields from.",
        ),
    ],
)
def test_api_command_malformed_body_is_422_with_message(
    client: TestClient, store: Store, content: bytes, error: str
) -> None:
    headers = {**token(store, "alice"), "Content-Type": "application/json"}
    response = client.post(f"{API}/commands", content=content, headers=headers)
    assert (response.status_code, response.json()) == (422, {"error": error})


@pytest.mark.parametrize(
    ("method", "path", "body", "error"),
    [
        (
            "PUT",
            f"{API}/teams/nova%20now/now",
            {"topic": "x"},
            "'nova now' is not a valid team name: use 1 to 40 letters, digits, '.', '_' or "
            "'-', starting with a letter or digit (for example 'nova').",
        ),
        (
            "POST",
            f"{API}/teams/nova/next",
            {"topic": "Quotas\n~emptydb"},
            "The topic contains a non-printable character (U+000A) at position 7; use "
            "printable text only.",
        ),
        (
            "POST",
            f"{API}/teams/nova/bookings",
            {"cell": "Austin-Tue-A1\u2028~emptydb"},
            "The cell (ROOM-SLOT) contains a non-printable character (U+2028) at position 14; "
            "use printable text only.",
        ),
        ("PUT", f"{API}/teams/nova/now", {"topic": "  "}, "Missing topic."),
    ],
)
def test_api_typed_write_with_unsafe_field_is_400(
    client: TestClient,
    store: Store,
    method: str,
    path: str,
    body: dict[str, Any],
    error: str,
) -> None:
    response = write(client, method, path, body, token(store, "olivia"))
    assert (response.status_code, response.json()) == (400, {"error": error})
    assert len(store.audit()) == 1


def test_api_typed_book_then_unbook_frees_the_cell(client: TestClient, store: Store) -> None:
    headers = token(store, "alice")
    booked = client.post(
        f"{API}/teams/cinder/bookings", json={"cell": "Coiste Bainisti-Tue-P1"}, headers=headers
    )
    freed = client.delete(f"{API}/teams/cinder/bookings/Coiste%20Bainisti-Tue-P1", headers=headers)
    assert [(r.status_code, r.json()["reply"]) for r in (booked, freed)] == [
        (200, "OK, Coiste Bainisti-Tue-P1 is now booked for cinder."),
        (200, "OK, Coiste Bainisti-Tue-P1 (previously booked for cinder) is now free."),
    ]


def test_api_typed_next_appends_a_topic(client: TestClient, store: Store) -> None:
    headers = token(store, "alice")
    client.put(f"{API}/teams/nova/now", json={"topic": "Quotas"}, headers=headers)
    response = client.post(f"{API}/teams/nova/next", json={"topic": "Limits"}, headers=headers)
    assert (response.json()["command"], store.state().topics_of("nova")) == (
        "#nova next Limits",
        Topics(now="Quotas", next=("Limits",)),
    )
