"""Malformed addresses and bodies are a 4xx with a message that says what was wrong and
what is expected, never a 500, and they change nothing."""

from __future__ import annotations

from typing import Any

import lxml.html
import pytest
from fastapi.testclient import TestClient

from ptghub.store import plan_workflow
from ptghub.store.plan_versions import MAX_PLAN_NUMBER
from ptghub.store.store import Store
from tests.support import ORGANIZER, snapshot

API = "/api/v1/events/test-ptg"
HUGE = "99999999999999999999"  # more than a 64-bit integer holds
ZONE_HELP = "use an IANA name such as UTC, Europe/Paris or America/Los_Angeles."


def token(store: Store, nick: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {store.tokens.create(nick)[1]}"}


def error_page(response: Any) -> tuple[int, str]:
    """The status and the message of an HTML error page."""
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    doc = lxml.html.fromstring(response.text)
    (message,) = doc.xpath('//p[@class="error-message"]')
    return response.status_code, message.text_content()


@pytest.fixture
def client(client: TestClient) -> TestClient:
    """The app's client, answering 500s rather than raising, as a server would."""
    client.raise_server_exceptions = False
    return client


@pytest.mark.parametrize(
    ("tz", "shown"),
    [
        ("Europe", "Europe"),  # a directory of the zone database
        ("America", "America"),
        ("Etc/", "Etc/"),
        ("a" * 300, "a" * 60),  # longer than a file name may be
        ("UTC\x00", "UTC?"),
    ],
)
def test_page_zone_that_is_not_a_zone_is_400(client: TestClient, tz: str, shown: str) -> None:
    response = client.get("/events/test-ptg/board", params={"tz": tz})
    assert error_page(response) == (400, f"Unknown time zone '{shown}'; {ZONE_HELP}")


@pytest.mark.parametrize("number", [HUGE, str(2**31)])  # 2**31: past PostgreSQL's INTEGER
def test_plan_number_beyond_the_column_is_404(client: TestClient, number: str) -> None:
    response = client.get(f"{API}/plans/{number}")
    assert (response.status_code, response.json()) == (
        404,
        {"error": f"There is no plan #{number}; 'ptghub plan versions' lists them."},
    )


def test_plan_diff_against_a_number_beyond_64_bits_is_404(client: TestClient, store: Store) -> None:
    plan_workflow.run(store, ORGANIZER, work_limit=3)
    olivia = token(store, "olivia")
    response = client.get(f"{API}/plans/1/diff", params={"against": HUGE}, headers=olivia)
    assert (response.status_code, response.json()) == (
        404,
        {"error": f"There is no plan #{HUGE}; 'ptghub plan versions' lists them."},
    )


def test_plan_diff_against_a_superscript_digit_is_400(client: TestClient, store: Store) -> None:
    plan_workflow.run(store, ORGANIZER, work_limit=3)
    response = client.get(f"{API}/plans/1/diff", params={"against": "²"})
    assert (response.status_code, response.json()) == (
        400,
        {"error": "against='²' is not a plan: expected 'published' or a plan's number."},
    )


def test_plan_page_number_beyond_64_bits_is_404(client: TestClient, store: Store) -> None:
    plan_workflow.run(store, ORGANIZER, work_limit=3)
    response = client.get(
        "/events/test-ptg/plan", params={"n": HUGE}, headers=token(store, "olivia")
    )
    assert error_page(response) == (
        404,
        f"There is no plan #{HUGE}; 'ptghub plan versions' lists them.",
    )


def test_plan_page_superscript_number_is_400(client: TestClient) -> None:
    response = client.get("/events/test-ptg/plan", params={"n": "²"})
    assert error_page(response) == (400, "n must be a plan's number such as 3, not '²'.")


def test_plan_numbers_are_bounded_in_the_store(store: Store) -> None:
    from ptghub.core.errors import NotFound
    from ptghub.store.plan_versions import Plans

    for number in (0, -1, MAX_PLAN_NUMBER + 1):
        with pytest.raises(NotFound) as error:
            Plans(store.engine).get(None, number)
        assert error.value.message == (
            f"There is no plan #{number}; 'ptghub plan versions' lists them."
        )


def test_publish_by_an_attendee_is_403_whatever_the_number(
    client: TestClient, store: Store
) -> None:
    for number in ("1", str(2**31), HUGE):
        response = client.post(f"{API}/plans/{number}/publish", headers=token(store, "alice"))
        assert (response.status_code, response.json()) == (
            403,
            {"error": "Publishing a plan needs an organizer; alice is not one."},
        )


@pytest.mark.parametrize(
    ("path", "body", "error"),
    [
        (
            "needs/nova",
            {"hours": 1e308},
            "Invalid request: hours: Input should be less than or equal to 8784.",
        ),
        ("needs/nova", {"hours": True}, "Invalid request: hours: Input should be a valid number."),
        ("needs/nova", {"hours": "16"}, "Invalid request: hours: Input should be a valid number."),
        (
            "needs/nova",
            {"hours": 1, "room_size": "3"},
            "Invalid request: room_size: Input should be a valid integer.",
        ),
        (
            "needs/nova",
            {"hours": 1, "onboarding": 1},
            "Invalid request: onboarding: Input should be a valid boolean.",
        ),
        (
            "needs/nova",
            {"hours": 1, "rather_not": {"cinder": True}},
            "Invalid request: rather_not.cinder: Input should be a valid integer.",
        ),
        (
            "plan-rules",
            {"max_hours": True},
            "Invalid request: max_hours: Input should be a valid number.",
        ),
        (
            "plan-rules",
            {"max_hours": "16"},
            "Invalid request: max_hours: Input should be a valid number.",
        ),
    ],
)
def test_needs_numbers_must_be_json_numbers_within_bounds(
    client: TestClient, store: Store, path: str, body: dict[str, Any], error: str
) -> None:
    before = (snapshot(store.state()), len(store.audit()))
    response = client.put(f"{API}/{path}", json=body, headers=token(store, "olivia"))
    assert (response.status_code, response.json()) == (422, {"error": error})
    assert (snapshot(store.state()), len(store.audit())) == before


def test_plan_run_seed_and_time_limit_are_strict(client: TestClient, store: Store) -> None:
    organizer = token(store, "olivia")
    seed = client.post(f"{API}/plans", json={"seed": 2**40}, headers=organizer)
    assert (seed.status_code, seed.json()) == (
        422,
        {"error": "Invalid request: seed: Input should be less than or equal to 2147483647."},
    )
    limit = client.post(f"{API}/plans", json={"time_limit": "3"}, headers=organizer)
    assert (limit.status_code, limit.json()) == (
        422,
        {"error": "Invalid request: time_limit: Input should be a valid number."},
    )
