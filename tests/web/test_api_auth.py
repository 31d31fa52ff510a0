"""The JSON API's bearer tokens: a write without one, or with an unknown, revoked, expired
or other event's token, is refused and says why; with one it acts with the roles of the
token's owner. The write endpoints themselves: test_api_writes.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from ptghub.core.events import EventCreated
from ptghub.core.model import Actor, Topics
from ptghub.store.store import Store
from ptghub.web.auth import MISSING, UNKNOWN
from tests.support import ORGANIZER, Clock, small_event
from tests.web.api_client import API, token, write

# (method, path, body) of every write, each a change that olivia, an organizer, may make.
WRITES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("POST", f"{API}/commands", {"text": "#nova now Placement API"}),
    ("PUT", f"{API}/teams/nova/now", {"topic": "Placement API"}),
    ("POST", f"{API}/teams/nova/next", {"topic": "Quotas"}),
    ("POST", f"{API}/teams/cinder/bookings", {"cell": "Austin-Tue-A1"}),
    ("DELETE", f"{API}/teams/nova/bookings/Austin-Mon-A1", None),
]


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_api_write_without_token_is_401_with_challenge(
    client: TestClient, store: Store, method: str, path: str, body: dict[str, Any] | None
) -> None:
    response = write(client, method, path, body, {})
    assert (response.status_code, response.json(), response.headers["www-authenticate"]) == (
        401,
        {"error": MISSING},
        'Bearer realm="ptghub"',
    )
    assert len(store.audit()) == 1  # only the event's creation


def test_api_write_with_unknown_token_is_401(client: TestClient) -> None:
    response = client.post(
        f"{API}/commands", json={"text": "~list"}, headers={"Authorization": "Bearer ptg_nope"}
    )
    assert (response.status_code, response.json(), response.headers["www-authenticate"]) == (
        401,
        {"error": UNKNOWN},
        'Bearer realm="ptghub", error="invalid_token"',
    )


def test_api_write_with_revoked_token_is_401(client: TestClient, store: Store) -> None:
    token_id, secret = store.tokens.create("olivia")
    store.tokens.revoke(token_id)
    response = client.put(
        f"{API}/teams/nova/now",
        json={"topic": "Quotas"},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert (response.status_code, response.json()) == (401, {"error": UNKNOWN})
    assert store.state().topics_of("nova") == Topics()


def test_api_write_with_expired_token_is_401_and_says_when(
    client: TestClient, store: Store, clock: Clock
) -> None:
    token_id, secret = store.tokens.create("olivia", expires=clock.now + timedelta(days=1))
    clock.advance(days=1, seconds=1)
    response = client.put(f"{API}/teams/nova/now", json={"topic": "Quotas"}, headers=bearer(secret))
    assert (response.status_code, response.json(), response.headers["www-authenticate"]) == (
        401,
        {
            "error": f"This token (#{token_id}) expired on 2022-04-05 13:30 UTC; ask an "
            "organizer for a new one ('ptghub token create --for NICK')."
        },
        'Bearer realm="ptghub", error="invalid_token"',
    )
    assert store.state().topics_of("nova") == Topics()


def test_api_write_with_token_of_another_event_is_403(client: TestClient, store: Store) -> None:
    created, *rest = small_event()
    assert isinstance(created, EventCreated)
    other = [EventCreated(replace(created.info, slug="other-ptg")), *rest]
    store.create_event(other, Actor("loader", operator=True), "load other")
    token_id, secret = store.tokens.create("olivia", event="other-ptg")
    response = client.put(f"{API}/teams/nova/now", json={"topic": "Quotas"}, headers=bearer(secret))
    assert (response.status_code, response.json(), response.headers["www-authenticate"]) == (
        403,
        {
            "error": f"This token (#{token_id}) acts only on event 'other-ptg', not on "
            "'test-ptg'; use a token made for that event or for every event."
        },
        'Bearer realm="ptghub", error="insufficient_scope"',
    )
    assert store.state().topics_of("nova") == Topics()
    ok = client.put(
        "/api/v1/events/other-ptg/teams/nova/now", json={"topic": "Q"}, headers=bearer(secret)
    )
    assert (ok.status_code, store.state("other-ptg").topics_of("nova").now) == (200, "Q")


def test_api_token_last_use_is_written_at_most_once_a_minute(
    client: TestClient, store: Store, clock: Clock
) -> None:
    token_id, secret = store.tokens.create("olivia", label="laptop")
    updates: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("UPDATE tokens"):
            updates.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        first = clock.now
        for topic in ("A", "B", "C"):
            client.put(f"{API}/teams/nova/now", json={"topic": topic}, headers=bearer(secret))
            clock.advance(seconds=20)
        assert (len(updates), store.tokens.list()[0].last_used_at) == (1, first)
        client.put(f"{API}/teams/nova/now", json={"topic": "D"}, headers=bearer(secret))
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    (info,) = store.tokens.list()
    assert (len(updates), info.id, info.last_used_at) == (2, token_id, first + timedelta(minutes=1))


def test_api_messages_name_the_token_command() -> None:
    assert (MISSING, UNKNOWN) == (
        "This request changes the event and needs a token: send 'Authorization: Bearer "
        "TOKEN'. An organizer makes one with 'ptghub token create --for NICK'.",
        "The bearer token is unknown or revoked; ask an organizer for a new one "
        "('ptghub token create --for NICK').",
    )


def test_api_write_without_role_on_closed_event_is_403(client: TestClient, store: Store) -> None:
    store.run("~requirevoice", ORGANIZER)
    response = client.put(
        f"{API}/teams/nova/now", json={"topic": "Quotas"}, headers=token(store, "alice")
    )
    assert (response.status_code, response.json()) == (
        403,
        {"error": "Only a chair of nova or an organizer can change it; alice is neither."},
    )
    assert store.state().topics_of("nova") == Topics()


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_api_write_by_organizer_on_closed_event_succeeds(
    client: TestClient, store: Store, method: str, path: str, body: dict[str, Any] | None
) -> None:
    store.run("~requirevoice", ORGANIZER)
    response = write(client, method, path, body, token(store, "olivia"))
    last = store.audit()[-1]
    assert (response.status_code, response.json()["changed"], response.json()["audit_id"]) == (
        200,
        True,
        last.id,
    )
    assert (last.actor, last.frontend, last.text) == ("olivia", "api", response.json()["command"])


def test_api_write_by_chair_acts_with_the_chairs_roles(client: TestClient, store: Store) -> None:
    store.run("~requirevoice", ORGANIZER)
    response = client.put(
        f"{API}/teams/nova/now", json={"topic": "Quotas"}, headers=token(store, "NChair")
    )
    assert (response.status_code, response.json()) == (
        200,
        {
            "command": "#nova now Quotas",
            "reply": "OK, nova now discusses: Quotas",
            "changed": True,
            "audit_id": store.audit()[-1].id,
        },
    )
