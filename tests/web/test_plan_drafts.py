"""Plan drafts are the organizers' working copy: the API and the plan page show them to
the event's organizers and the chairs of its teams only; published versions stay public."""

from __future__ import annotations

from datetime import UTC, datetime

import lxml.html
import pytest
from fastapi.testclient import TestClient
from httpx import Response

from ptghub.store import plan_workflow
from ptghub.store.store import Store
from tests.support import ORGANIZER, Clock

API = "/api/v1/events/test-ptg/plans"
PAGE = "/events/test-ptg/plan"
DRAFT_1 = (
    "Plan #1 is a draft: only the organizers of the event and the chairs of its teams may read it"
)
ANONYMOUS_1 = (
    f"{DRAFT_1}. Send one of their tokens as 'Authorization: Bearer TOKEN' ('ptghub token "
    "create --for NICK' makes one), or run 'ptghub plan show 1' on the server."
)
CHALLENGE = 'Bearer realm="ptghub"'


def token(store: Store, nick: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {store.tokens.create(nick)[1]}"}


def page_message(response: Response) -> tuple[int, str, str]:
    """Status, heading and message of an HTML page that refuses."""
    doc = lxml.html.fromstring(response.text)
    (heading,) = doc.xpath("//main//h1")
    (message,) = doc.xpath('//p[@class="error-message"]')
    return response.status_code, heading.text_content(), message.text_content()


@pytest.fixture
def draft(store: Store, clock: Clock) -> None:
    """Plan #1, a draft, made by olivia (an organizer) the Friday before the event."""
    clock.now = datetime(2022, 4, 1, 9, 0, tzinfo=UTC)
    plan_workflow.run(store, ORGANIZER, work_limit=3)


def test_plan_drafts_api_needs_a_token_to_read_a_draft(client: TestClient, draft: None) -> None:
    for path in (f"{API}/1", f"{API}/1/diff"):
        response = client.get(path)
        assert (response.status_code, response.headers["www-authenticate"], response.json()) == (
            401,
            CHALLENGE,
            {"error": ANONYMOUS_1},
        )


def test_plan_drafts_api_refuses_a_reader_without_a_role(
    client: TestClient, store: Store, draft: None
) -> None:
    response = client.get(f"{API}/1", headers=token(store, "alice"))
    assert (response.status_code, response.json()) == (
        403,
        {"error": f"{DRAFT_1}, and alice is neither."},
    )


@pytest.mark.parametrize("nick", ["olivia", "nchair"])  # an organizer, a chair of nova
def test_plan_drafts_api_shows_drafts_to_organizers_and_chairs(
    client: TestClient, store: Store, draft: None, nick: str
) -> None:
    reader = token(store, nick)
    listed = client.get(API, headers=reader).json()
    shown = client.get(f"{API}/1", headers=reader)
    diff = client.get(f"{API}/1/diff", headers=reader)
    assert ([p["status"] for p in listed["plans"]], shown.status_code, diff.status_code) == (
        ["draft"],
        200,
        200,
    )


def test_plan_drafts_api_lists_drafts_to_their_readers_only(
    client: TestClient, store: Store, draft: None
) -> None:
    assert client.get(API).json() == {"plans": [], "current": None}
    assert client.get(API, headers=token(store, "alice")).json() == {"plans": [], "current": None}


def test_plan_drafts_api_unknown_token_is_401(client: TestClient, draft: None) -> None:
    response = client.get(f"{API}/1", headers={"Authorization": "Bearer ptg_nope"})
    assert (response.status_code, response.headers["www-authenticate"]) == (
        401,
        'Bearer realm="ptghub", error="invalid_token"',
    )


def test_plan_drafts_api_published_plan_is_public(
    client: TestClient, store: Store, draft: None
) -> None:
    plan_workflow.publish(store, ORGANIZER)
    plan_workflow.run(store, ORGANIZER, work_limit=3)  # plan #2, a draft
    listed = client.get(API).json()
    assert ([(p["number"], p["status"]) for p in listed["plans"]], listed["current"]) == (
        [(1, "published")],
        1,
    )
    assert client.get(f"{API}/1").status_code == 200
    against_draft = client.get(f"{API}/1/diff", params={"against": "2"})
    assert (against_draft.status_code, against_draft.json()["error"]) == (
        401,
        ANONYMOUS_1.replace("#1", "#2").replace("show 1", "show 2"),
    )


def test_plan_drafts_page_needs_a_token_and_says_how_to_see_drafts(
    client: TestClient, store: Store, draft: None
) -> None:
    anonymous = client.get(PAGE)
    assert page_message(anonymous) == (401, "This plan is a draft", ANONYMOUS_1)
    assert anonymous.headers["www-authenticate"] == CHALLENGE
    refused = client.get(PAGE, params={"n": "1"}, headers=token(store, "alice"))
    assert page_message(refused) == (
        403,
        "This plan is a draft",
        f"{DRAFT_1}, and alice is neither.",
    )


def test_plan_drafts_page_shows_drafts_to_a_chair(
    client: TestClient, store: Store, draft: None
) -> None:
    response = client.get(PAGE, headers=token(store, "nchair"))
    doc = lxml.html.fromstring(response.text)
    assert (response.status_code, [h.text_content() for h in doc.xpath("//h1")]) == (
        200,
        ["Plan #1 (draft)"],
    )


def test_plan_drafts_page_shows_the_published_plan_to_anyone(
    client: TestClient, store: Store, draft: None
) -> None:
    plan_workflow.publish(store, ORGANIZER)
    plan_workflow.run(store, ORGANIZER, work_limit=3)  # plan #2, a draft
    doc = lxml.html.fromstring(client.get(PAGE).text)
    assert [h.text_content() for h in doc.xpath("//h1")] == ["Plan #1 (published, on the board)"]
    assert client.get(PAGE, params={"n": "2"}).status_code == 401
