"""The API of team needs and planning rules: public reads with ETags, writes with a
person's token (a team's chair or an organizer; the rules, organizers only), the errors
as ``{"error": ...}``, and each write one audited change."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ptghub.core.team_needs import PlanRules
from ptghub.store.store import Store
from tests.support import snapshot
from tests.web.api_client import token

API = "/api/v1/events/test-ptg"
NOVA: dict[str, Any] = {
    "hours": 2.5,
    "max_hours_per_day": 2,
    "days": ["Tue"],
    "windows": ["13:00-15:00"],
    "avoid": ["cinder"],
    "rather_not": {"relmgt": 2},
    "joint": {"first-contact": 0.5},
    "room_size": 20,
    "onboarding": True,
    "cross_project": False,
}


def test_put_then_get_a_teams_needs(client: TestClient, store: Store) -> None:
    response = client.put(f"{API}/needs/Nova", json=NOVA, headers=token(store, "nchair"))
    last = store.audit()[-1]
    assert (response.status_code, response.json()) == (
        200,
        {"reply": f"OK, 1 change(s) recorded as #{last.id}.", "changed": True, "audit_id": last.id},
    )
    assert (last.actor, last.frontend, last.text) == ("nchair", "api", "needs set Nova (API)")
    assert store.state().needs["nova"].joint == (("first-contact", 30),)
    got = client.get(f"{API}/needs/nova")
    assert got.status_code == 200
    assert got.json() == {**NOVA, "team": "nova", "days": ["2022-04-05"]}
    listed = client.get(f"{API}/needs").json()
    assert [t["team"] for t in listed["teams"]] == ["nova"]
    assert listed["rules"] == {
        "max_hours_per_day": None,
        "max_hours": None,
        "cross_project_days": [],
        "onboarding_hours": 1,
        "windows": [],
    }
    again = client.put(f"{API}/needs/nova", json=NOVA, headers=token(store, "olivia"))
    assert again.json() == {"reply": "Nothing to change.", "changed": False, "audit_id": None}


def test_reads_answer_304_while_nothing_changed(client: TestClient, store: Store) -> None:
    for path in (f"{API}/needs", f"{API}/plan-rules"):
        first = client.get(path)
        same = client.get(path, headers={"If-None-Match": first.headers["etag"]})
        assert same.status_code == 304
    client.put(f"{API}/needs/nova", json=NOVA, headers=token(store, "olivia"))
    changed = client.get(f"{API}/needs", headers={"If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200


def test_unknown_team_or_no_needs_is_404(client: TestClient) -> None:
    assert client.get(f"{API}/needs/swift").status_code == 404
    response = client.get(f"{API}/needs/cinder")
    assert (response.status_code, response.json()) == (
        404,
        {"error": "cinder has no needs stated; PUT them to this address."},
    )


@pytest.mark.parametrize(
    ("method", "path", "body", "nick", "status", "error"),
    [
        ("PUT", "needs/cinder", {"hours": 1}, None, 401, "needs a token"),
        (
            "PUT",
            "needs/cinder",
            {"hours": 1},
            "nchair",
            403,
            "Only a chair of cinder or an organizer can change its needs; nchair is neither.",
        ),
        ("DELETE", "needs/nova", None, "alice", 403, "alice is neither"),
        (
            "PUT",
            "plan-rules",
            {"max_hours": 4},
            "nchair",
            403,
            "Changing the planning rules needs an organizer; nchair is not one.",
        ),
        ("PUT", "needs/swift", {"hours": 1}, "olivia", 404, "Unknown team '#swift'"),
        (
            "PUT",
            "needs/nova",
            {"hours": 20, "avoid": ["nova"]},
            "olivia",
            400,
            "The needs of nova are wrong:\navoid[0]: a team cannot name itself in avoid\n"
            "hours: 20 h is more than the event has in all its slots (8 h)",
        ),
        ("PUT", "needs/nova", {"hours": 1, "size": 3}, "olivia", 422, "size: Extra inputs"),
        ("PUT", "needs/nova", {"days": []}, "olivia", 422, "hours: Field required"),
        ("PUT", "plan-rules", {"cross_project_days": ["Fri"]}, "olivia", 400, "has no Fri"),
    ],
)
def test_refused_writes_change_nothing(
    client: TestClient,
    store: Store,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    nick: str | None,
    status: int,
    error: str,
) -> None:
    before = (snapshot(store.state()), len(store.audit()))
    headers = token(store, nick) if nick else {}
    response = client.request(method, f"{API}/{path}", json=body, headers=headers)
    assert response.status_code == status
    assert error in response.json()["error"]
    assert (snapshot(store.state()), len(store.audit())) == before


def test_delete_clears_a_teams_needs(client: TestClient, store: Store) -> None:
    client.put(f"{API}/needs/nova", json={"hours": 1}, headers=token(store, "olivia"))
    response = client.delete(f"{API}/needs/nova", headers=token(store, "nchair"))
    assert response.json()["changed"] is True and store.state().needs == {}
    again = client.delete(f"{API}/needs/nova", headers=token(store, "nchair"))
    assert again.json()["changed"] is False


def test_plan_rules_are_replaced_by_organizers(client: TestClient, store: Store) -> None:
    body = {
        "max_hours_per_day": 3,
        "max_hours": 6.5,
        "cross_project_days": ["Mon"],
        "windows": ["13:00-21:00"],
    }
    response = client.put(f"{API}/plan-rules", json=body, headers=token(store, "olivia"))
    assert response.status_code == 200 and response.json()["changed"] is True
    assert client.get(f"{API}/plan-rules").json() == {
        "max_hours_per_day": 3,
        "max_hours": 6.5,
        "cross_project_days": ["2022-04-04"],
        "onboarding_hours": 1,
        "windows": ["13:00-21:00"],
    }
    client.put(f"{API}/plan-rules", json={}, headers=token(store, "olivia"))
    assert store.state().plan_rules == PlanRules()
    assert snapshot(store.replay()) == snapshot(store.state())
