"""The plan page's buttons for a signed-in organizer: run the planner, compare, publish;
the same store functions as the API's, audited as the person with front end web."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from ptghub.core.events import DomainEvent, NeedsChanged
from ptghub.core.model import Actor, EventState
from ptghub.core.team_needs import TeamNeeds
from ptghub.store import plan_workflow
from ptghub.store.plan_versions import Plans, PlanStatus
from ptghub.store.store import Store
from tests.support import ORGANIZER, Clock
from tests.web.organizing import EVENT, audit_count, chair, organizer, post, post_json

PLAN = f"/events/{EVENT}/plan"


@pytest.fixture
def needs(store: Store, clock: Clock) -> Store:
    """The small event on the Friday before, with nova and cinder asking for hours."""
    clock.now = datetime(2022, 4, 1, 9, 0, tzinfo=UTC)

    def build(state: EventState, actor: Actor) -> Sequence[DomainEvent]:
        wanted = (TeamNeeds("nova", 120), TeamNeeds("cinder", 120))
        return [NeedsChanged(n.team, None, n) for n in wanted]

    store.change(build, ORGANIZER, "needs")
    return store


def test_an_organizer_runs_the_planner_from_the_page_and_publishes_the_draft(
    client: TestClient, needs: Store
) -> None:
    me = organizer(client, needs)
    empty = client.get(PLAN)
    assert empty.status_code == 200  # no plan yet: the button that makes one
    assert f'action="{PLAN}/run"' in empty.text

    ran = post(client, f"{PLAN}/run", **me.form(work="3"))
    assert (ran.status_code, ran.headers["location"]) == (303, f"{PLAN}?n=1")
    record = Plans(needs.engine).get(EVENT, 1)
    assert (record.status, record.created_by) == (PlanStatus.DRAFT, "olga@web")
    page = client.get(ran.headers["location"]).text
    assert (
        "OK, plan #1 is drafted; publish it with the button below "
        "(&#39;ptghub plan publish 1&#39;)."
    ) in page
    assert f'action="{PLAN}/1/publish"' in page
    assert f'action="{PLAN}/diff"' in page

    compared = client.get(f"{PLAN}/diff", params={"n": "1", "against": "published"})
    assert compared.status_code == 200
    assert "Plan #1 compared with the board" in compared.text

    published = post_json(client, f"{PLAN}/1/publish", **me.form())
    entry = needs.audit(EVENT)[-1]
    assert published.json() == {
        "reply": f"OK, plan #1 is published: {len(entry.events)} cell change(s), recorded as "
        f"change #{entry.id} ('ptghub undo {entry.id}' takes it back).",
        "changed": True,
        "audit_id": entry.id,
    }
    assert (entry.actor, entry.frontend, entry.text) == ("olga@web", "web", "plan publish 1")
    assert Plans(needs.engine).get(EVENT, 1).status is PlanStatus.PUBLISHED
    again = post_json(client, f"{PLAN}/1/publish", **me.form())
    assert (again.status_code, again.json()) == (
        409,
        {"error": "Plan #1 is published, not a draft; 'ptghub plan run' makes a new draft."},
    )


def test_a_chair_reads_drafts_by_session_but_gets_no_buttons(
    client: TestClient, needs: Store
) -> None:
    organizer_client = TestClient(client.app)
    organizer(organizer_client, needs)
    me = chair(client, needs)
    plan_workflow.run(needs, ORGANIZER, event=EVENT, work_limit=3)
    page = client.get(PLAN)
    assert page.status_code == 200
    assert "Plan #1" in page.text
    assert "/publish" not in page.text and f'action="{PLAN}/run"' not in page.text
    before = audit_count(needs)
    refused = post_json(client, f"{PLAN}/1/publish", **me.form())
    assert (refused.status_code, refused.json()) == (
        403,
        {"error": "Publishing a plan needs an organizer; chad@web is not one."},
    )
    assert audit_count(needs) == before


def test_a_bad_time_limit_is_refused_before_the_planner_runs(
    client: TestClient, needs: Store
) -> None:
    me = organizer(client, needs)
    answer = post_json(client, f"{PLAN}/run", **me.form(seconds="forever"))
    assert (answer.status_code, answer.json()) == (
        400,
        {"error": "The time limit 'forever' is not a number above 0 and at most 600."},
    )
    assert Plans(needs.engine).all(EVENT) == []


def test_visitors_see_no_buttons_and_no_plan_is_still_a_404(
    client: TestClient, store: Store
) -> None:
    assert client.get(PLAN).status_code == 404


def test_the_diff_of_a_draft_is_for_the_organizers_and_chairs_only(
    client: TestClient, needs: Store
) -> None:
    plan_workflow.run(needs, ORGANIZER, event=EVENT, work_limit=3)
    anonymous = client.get(f"{PLAN}/diff", params={"n": "1"})
    assert anonymous.status_code == 401
    assert "Plan #1 is a draft" in anonymous.text
    me = chair(client, needs)
    assert me.account.web_nick == "chad@web"
    assert client.get(f"{PLAN}/diff", params={"n": "1"}).status_code == 200
    bad = client.get(f"{PLAN}/diff", params={"n": "1", "against": "yesterday"})
    assert bad.status_code == 400
