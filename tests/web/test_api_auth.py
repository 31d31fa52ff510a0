"""The JSON API's writes: bearer tokens, the command endpoint, the typed endpoints, bad
requests, private data kept out, and the OpenAPI description."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from ptghub.commands.needs import set_team
from ptghub.core.events import EventCreated
from ptghub.core.model import Actor, Topics
from ptghub.store import plan_workflow
from ptghub.store.store import Store
from ptghub.web.auth import MISSING, UNKNOWN
from tests.support import ALICE, ORGANIZER, Clock, small_event

API = "/api/v1/events/test-ptg"
# (method, path, body) of every write, each a change that olivia, an organizer, may make.
WRITES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("POST", f"{API}/commands", {"text": "#nova now Placement API"}),
    ("PUT", f"{API}/teams/nova/now", {"topic": "Placement API"}),
    ("POST", f"{API}/teams/nova/next", {"topic": "Quotas"}),
    ("POST", f"{API}/teams/cinder/bookings", {"cell": "Austin-Tue-A1"}),
    ("DELETE", f"{API}/teams/nova/bookings/Austin-Mon-A1", None),
]


def token(store: Store, nick: str) -> dict[str, str]:
    """Authorization headers with a new token of ``nick``."""
    return {"Authorization": f"Bearer {store.tokens.create(nick)[1]}"}


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def write(
    client: TestClient, method: str, path: str, body: dict[str, Any] | None, headers: Any
) -> Any:
    return client.request(method, path, json=body, headers=headers)


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
        "color, etherpad, location, next, now, unbook, url.",
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


def test_api_reads_never_show_private_data(client: TestClient, store: Store) -> None:
    _, secret = store.tokens.create("alice")
    store.run("subscribe secret-pattern-[0-9]+", ALICE)
    store.run("in #nova", ALICE)
    store.change(set_team("nova", {"hours": 1}), ORGANIZER, "needs set nova")
    plan_workflow.run(store, ORGANIZER, work_limit=2)  # plan #1, for the plan reads
    plan_workflow.publish(store, ORGANIZER)  # published: public (a draft is the organizers')
    paths = [
        path.replace("{slug}", "test-ptg").replace("{team}", "nova").replace("{number}", "1")
        for path, item in client.get("/openapi.json").json()["paths"].items()
        if path.startswith("/api/") and "get" in item
    ]
    responses = [client.get(path) for path in [*paths, "/openapi.json"]]
    bodies = [r.text for r in responses]
    leaks = [
        (path, word)
        for path, body in zip([*paths, "/openapi.json"], bodies, strict=True)
        for word in ("secret-pattern", "alice", secret)
        if word in body
    ]
    checkins = client.get(f"{API}/board").json()["checkins"]
    assert ({r.status_code for r in responses}, len(paths), leaks, checkins) == (
        {200},
        13,
        [],
        [{"location": "#nova", "count": 1}],
    )


def test_api_openapi_lists_every_path_and_operation(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operations = {
        (method.upper(), path)
        for path, item in spec["paths"].items()
        if path.startswith("/api/")
        for method in item
    }
    assert operations == {
        ("GET", "/api/v1/events"),
        ("GET", "/api/v1/events/{slug}"),
        ("GET", "/api/v1/events/{slug}/teams"),
        ("GET", "/api/v1/events/{slug}/rooms"),
        ("GET", "/api/v1/events/{slug}/slots"),
        ("GET", "/api/v1/events/{slug}/schedule"),
        ("GET", "/api/v1/events/{slug}/board"),
        ("POST", "/api/v1/events/{slug}/commands"),
        ("PUT", "/api/v1/events/{slug}/teams/{team}/now"),
        ("POST", "/api/v1/events/{slug}/teams/{team}/next"),
        ("POST", "/api/v1/events/{slug}/teams/{team}/bookings"),
        ("DELETE", "/api/v1/events/{slug}/teams/{team}/bookings/{cell}"),
        ("GET", "/api/v1/events/{slug}/needs"),
        ("GET", "/api/v1/events/{slug}/needs/{team}"),
        ("PUT", "/api/v1/events/{slug}/needs/{team}"),
        ("DELETE", "/api/v1/events/{slug}/needs/{team}"),
        ("GET", "/api/v1/events/{slug}/plan-rules"),
        ("PUT", "/api/v1/events/{slug}/plan-rules"),
        ("POST", "/api/v1/events/{slug}/plans"),
        ("GET", "/api/v1/events/{slug}/plans"),
        ("GET", "/api/v1/events/{slug}/plans/{number}"),
        ("GET", "/api/v1/events/{slug}/plans/{number}/diff"),
        ("POST", "/api/v1/events/{slug}/plans/{number}/publish"),
    }


def test_api_openapi_documents_bodies_answers_and_tokens(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    command = spec["paths"]["/api/v1/events/{slug}/commands"]["post"]
    ref = "#/components/schemas/"
    assert (
        command["requestBody"]["content"]["application/json"]["schema"],
        command["responses"]["200"]["content"]["application/json"]["schema"],
        command["responses"]["409"]["content"]["application/json"]["schema"],
        sorted(command["responses"]),
        command["security"],
        spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"],
    ) == (
        {"$ref": ref + "CommandIn"},
        {"$ref": ref + "CommandOut"},
        {"$ref": ref + "ErrorOut"},
        ["200", "400", "401", "403", "404", "409", "413", "422", "429"],
        [{"HTTPBearer": []}],
        "bearer",
    )
    board = spec["paths"]["/api/v1/events/{slug}/board"]["get"]
    assert (sorted(board["responses"]), "security" in board) == (
        ["200", "304", "404", "422"],
        False,
    )
