"""The planner in the JSON API: organizers run and publish plans; anyone reads them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from ptghub.core.events import DomainEvent, NeedsChanged
from ptghub.core.model import Actor, EventState
from ptghub.core.team_needs import TeamNeeds
from ptghub.store.store import Store
from tests.support import ORGANIZER, Clock

API = "/api/v1/events/test-ptg/plans"
RUN = {"work_limit": 3}


def token(store: Store, nick: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {store.tokens.create(nick)[1]}"}


@pytest.fixture
def organizer(store: Store, clock: Clock) -> dict[str, str]:
    """The Friday before the event, needs stated; olivia's token."""
    clock.now = datetime(2022, 4, 1, 9, 0, tzinfo=UTC)
    needs = (TeamNeeds("nova", 180), TeamNeeds("cinder", 120, avoid=frozenset({"nova"})))

    def build(state: EventState, actor: Actor) -> Sequence[DomainEvent]:
        return [NeedsChanged(n.team, None, n) for n in needs]

    store.change(build, ORGANIZER, "needs")
    return token(store, "olivia")


def test_running_needs_an_organizers_token(
    client: TestClient, store: Store, organizer: dict[str, str]
) -> None:
    assert client.post(API, json=RUN).status_code == 401
    refused = client.post(API, json=RUN, headers=token(store, "alice"))
    assert (refused.status_code, refused.json()) == (
        403,
        {"error": "Planning needs an organizer; alice is not one."},
    )
    assert client.get(API).json() == {"plans": [], "current": None}


def test_a_run_answers_with_the_draft_and_its_report(
    client: TestClient, organizer: dict[str, str]
) -> None:
    response = client.post(API, json=RUN, headers=organizer)
    assert response.status_code == 200
    plan = response.json()
    assert (plan["number"], plan["status"], plan["created_by"], plan["on_board"]) == (
        1,
        "draft",
        "olivia",
        False,
    )
    report = plan["report"]
    assert report["at"] == "2022-04-01T09:00:00+00:00"
    assert report["violations"] == [] and report["unmet"] == []
    assert {h["team"]: (h["placed"], h["wanted"]) for h in report["hours"]} == {
        "nova": (180, 180),
        "cinder": (120, 120),
    }
    assert report["stages"][0]["name"] == "hours"
    assert report["changes"]["published_minutes"] == 120  # nova's two planned hours
    cells = {(c["room"], c["slot"]): c["team"] for c in plan["schedule"]}
    assert sum(1 for team in cells.values() if team == "nova") == 3
    assert client.get(f"{API}/1", headers=organizer).json() == plan


def test_bad_run_bodies_and_unknown_plans_are_named(
    client: TestClient, organizer: dict[str, str]
) -> None:
    bad = client.post(API, json={"time_limit": 0}, headers=organizer)
    assert bad.status_code == 422
    assert bad.json()["error"].startswith("Invalid request: time_limit: ")
    missing = client.get(f"{API}/4")
    assert (missing.status_code, missing.json()) == (
        404,
        {"error": "There is no plan #4; 'ptghub plan versions' lists them."},
    )
    assert client.get("/api/v1/events/nope/plans").status_code == 404


def test_diff_against_the_board_or_another_plan(
    client: TestClient, organizer: dict[str, str]
) -> None:
    plan = client.post(API, json=RUN, headers=organizer).json()
    client.post(API, json=RUN, headers=organizer)
    changes = client.get(f"{API}/1/diff", headers=organizer).json()
    assert changes == plan["report"]["changes"]
    same = client.get(f"{API}/1/diff", params={"against": "1"}, headers=organizer)
    assert same.json()["teams"] == []
    against_first = client.get(f"{API}/2/diff", params={"against": "1"}, headers=organizer)
    assert against_first.json()["published_minutes"] == 60 * len(plan["schedule"])
    wrong = client.get(f"{API}/2/diff", params={"against": "last"}, headers=organizer)
    assert (wrong.status_code, wrong.json()) == (
        400,
        {"error": "against='last' is not a plan: expected 'published' or a plan's number."},
    )


def test_publish_puts_the_plan_on_the_board_once(
    client: TestClient, store: Store, organizer: dict[str, str]
) -> None:
    plan = client.post(API, json=RUN, headers=organizer).json()
    assert client.post(f"{API}/1/publish").status_code == 401
    response = client.post(f"{API}/1/publish", headers=organizer)
    assert response.status_code == 200
    body = response.json()
    assert body["changed"] is True
    assert body["audit_id"] == store.audit()[-1].id
    assert (body["plan"]["status"], body["plan"]["on_board"]) == ("published", True)
    schedule = client.get("/api/v1/events/test-ptg/schedule").json()
    planned = {
        (cell["room"], cell["slot"], cell["team"])
        for cell in schedule["cells"]
        if cell["status"] == "planned"
    }
    assert len(planned) == len(plan["schedule"])
    again = client.post(f"{API}/1/publish", headers=organizer)
    assert (again.status_code, again.json()["error"]) == (
        409,
        "Plan #1 is published, not a draft; 'ptghub plan run' makes a new draft.",
    )
    listed = client.get(API).json()
    assert listed["current"] == 1
    assert [p["status"] for p in listed["plans"]] == ["published"]
    assert "schedule" not in listed["plans"][0]
