"""The JSON API's OpenAPI description: every path and operation, the bodies, answers and
tokens it documents; and every read it lists, which shows no private data."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ptghub.commands.needs import set_team
from ptghub.store import plan_workflow
from ptghub.store.store import Store
from tests.support import ALICE, ORGANIZER
from tests.web.api_client import API


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
        ("POST", "/api/v1/events/{slug}/update"),
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
