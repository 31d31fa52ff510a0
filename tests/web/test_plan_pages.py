"""The organizers' plan page: the draft's grid with broken rules, changes and unmet wishes
marked, in words as well as colour."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import lxml.html
import pytest
from fastapi.testclient import TestClient
from httpx import Response

from ptghub.core.events import CellChanged, DomainEvent, NeedsChanged, TeamAdded
from ptghub.core.model import FREE, Actor, Cell, CellStatus, EventState, Team
from ptghub.core.team_needs import TeamNeeds
from ptghub.planner.publish import cell_namer
from ptghub.store import plan_workflow
from ptghub.store.plan_versions import PlanRecord
from ptghub.store.store import Store
from tests.support import ORGANIZER, Clock

PAGE = "/events/test-ptg/plan"
EVIL = Team("evil", "<script>alert(1)</script> & Co")


def page(response: Response) -> lxml.html.HtmlElement:
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return lxml.html.fromstring(response.text)


def texts(doc: lxml.html.HtmlElement, xpath: str) -> list[str]:
    return [" ".join(el.text_content().split()) for el in doc.xpath(xpath)]


def cell(doc: lxml.html.HtmlElement, code: str) -> lxml.html.HtmlElement:
    (found,) = doc.xpath(f'//td[@data-cell="{code}"]')
    return found


@pytest.fixture
def client(client: TestClient, store: Store) -> TestClient:
    """The app's client as olivia, an organizer: drafts are the organizers' (who else may
    read them: tests/web/test_plan_drafts.py)."""
    client.headers["Authorization"] = f"Bearer {store.tokens.create('olivia')[1]}"
    return client


@pytest.fixture
def draft(store: Store, clock: Clock) -> PlanRecord:
    """A draft of the small event, made on the Friday before; one team's name is HTML,
    and cinder asks for more hours than the free cells next to nova's can give."""
    clock.now = datetime(2022, 4, 1, 9, 0, tzinfo=UTC)
    needs = (
        TeamNeeds("nova", 180),
        TeamNeeds("evil", 60),
        TeamNeeds("cinder", 60 * 8, avoid=frozenset({"nova"})),
    )

    def build(state: EventState, actor: Actor) -> Sequence[DomainEvent]:
        return [TeamAdded(EVIL), *(NeedsChanged(n.team, None, n) for n in needs)]

    store.change(build, ORGANIZER, "needs")
    return plan_workflow.run(store, ORGANIZER, work_limit=3)


def test_the_latest_draft_is_shown_with_its_grid_and_figures(
    client: TestClient, store: Store, draft: PlanRecord
) -> None:
    doc = page(client.get(PAGE))
    assert texts(doc, "//h1") == ["Plan #1 (draft)"]
    assert texts(doc, '//p[contains(@class, "plan-verdict")]') == [
        "Every hard rule holds against the event as it is now. Publish it with "
        "ptghub plan publish 1."
    ]
    name = cell_namer(store.state())
    for where, placement in draft.schedule.items():
        badges = texts(cell(doc, name(where)), './/a[@class="badge"]')
        assert badges == [placement.team], where
    assert texts(doc, '//table[contains(@class, "plan-grid")]/caption') == [
        "Plan #1 on Monday 4 April 2022",
        "Plan #1 on Tuesday 5 April 2022",
    ]
    # Bexar is not bookable: the planner does not plan it, and the page does not show it
    assert "Bexar" not in texts(doc, '//table[contains(@class, "plan-grid")]//th[@scope="row"]')
    assert texts(doc, '//table[@class="plan-hours"]/tbody/tr/td[1]')[0].endswith("(short)")
    assert texts(doc, '//table[@class="plan-stages"]//th[@scope="row"]')[0] == "hours"
    unmet = texts(doc, '//ul[@class="plan-unmet"]/li')
    assert unmet == list(draft.report.unmet) and unmet  # cinder is short
    assert unmet[0].startswith("Cinder got 6 of 8 hours")  # display names, not keys


def test_changes_against_the_board_are_marked(
    client: TestClient, store: Store, draft: PlanRecord
) -> None:
    doc = page(client.get(PAGE))
    kept = cell(doc, "Austin-Mon-A1")  # nova's, planned already
    assert "changed" not in kept.get("class")
    name = cell_namer(store.state())
    added = {
        name(move.new)
        for team in draft.report.changes.teams
        for move in team.moves
        if move.new is not None
    }
    assert set(doc.xpath('//td[contains(@class, " changed")]/@data-cell')) == added
    assert (
        texts(doc, '//td[contains(@class, " changed")]//span[contains(@class, "changed-mark")]')[0]
        == "new"
    )
    assert texts(doc, '//pre[@class="plan-changes"]')[0].startswith("cinder: +")


def test_cells_that_break_a_rule_now_are_marked(
    client: TestClient, store: Store, draft: PlanRecord
) -> None:
    """relmgt booked one of the draft's cells after it was made: the checker, run against
    the event as it is now, finds the draft broken there."""
    where = next(w for w, p in draft.schedule.items() if p.team == "cinder")
    store.change(
        lambda s, a: [CellChanged(*where, FREE, Cell(CellStatus.BOOKED, "relmgt"))],
        ORGANIZER,
        "booking",
    )
    doc = page(client.get(PAGE))
    # one message: it cannot be published, why, in plain words; no publish command
    assert texts(doc, '//p[contains(@class, "plan-verdict")]') == [
        "It cannot be published as it is: it breaks 1 hard rule(s) against the event as it is now."
    ]
    assert "plan publish" not in texts(doc, "//main")[0]
    broken = doc.xpath('//td[contains(@class, " broken")]')
    assert len(broken) == 1
    assert "breaks a rule" in texts(broken[0], ".")[0]
    name = cell_namer(store.state())(where)
    slot = store.state().slots[where[1]]
    room = store.state().rooms[where[0]].name
    assert texts(doc, '//ul[@class="plan-violations"]/li') == [
        f"{room} on {slot.day:%a} {slot.day.day} {slot.day:%b} {slot.start:%H:%M} UTC is fixed "
        "to Release Management but holds Cinder."
    ]
    # the day shown first is the one to fix
    (shown,) = doc.xpath('//section[contains(@class, "day") and contains(@class, "selected")]')
    assert shown.xpath(f'.//td[@data-cell="{name}"]')


def test_without_any_plan_the_page_says_how_to_make_one(client: TestClient) -> None:
    missing = client.get(PAGE)
    assert missing.status_code == 404
    message = texts(page(missing), "//main")[0]
    assert "There is no plan yet; 'ptghub plan run' makes one." in message


def test_user_text_is_escaped(client: TestClient, draft: PlanRecord) -> None:
    response = client.get(PAGE)
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in response.text
    assert response.headers["content-security-policy"].startswith("default-src 'self'")


def test_a_number_shows_that_plan_and_mistakes_are_named(
    client: TestClient, store: Store, draft: PlanRecord
) -> None:
    plan_workflow.publish(store, ORGANIZER)
    doc = page(client.get(PAGE, params={"n": "1"}))
    assert texts(doc, "//h1") == ["Plan #1 (published, on the board)"]
    # no draft left: the page shows the newest plan
    assert texts(page(client.get(PAGE)), "//h1") == ["Plan #1 (published, on the board)"]
    assert client.get(PAGE, params={"n": "9"}).status_code == 404
    bad = client.get(PAGE, params={"n": "first"})
    assert bad.status_code == 400
    assert "n must be a plan's number such as 3, not 'first'." in texts(page(bad), "//main")[0]
    assert client.get("/events/nope/plan").status_code == 404


def test_times_follow_the_chosen_zone(client: TestClient, draft: PlanRecord) -> None:
    doc = page(client.get(PAGE, params={"tz": "Asia/Tokyo"}))
    first = doc.xpath('//table[contains(@class, "plan-grid")]//thead//time')[0]
    assert (first.get("datetime"), first.text) == ("2022-04-04T13:00:00+00:00", "22:00")


def test_one_day_at_a_time_chosen_by_the_day_tabs(client: TestClient, draft: PlanRecord) -> None:
    """Like the board: every day's grid is in the page (for print), one is selected (the
    others hidden by the stylesheet), and the tabs link ?day= keeping the plan's number."""
    doc = page(client.get(PAGE, params={"n": "1", "tz": "Asia/Tokyo"}))

    def selected(doc: lxml.html.HtmlElement) -> list[str]:
        xpath = '//section[contains(@class, "day") and contains(@class, "selected")]/h3'
        return texts(doc, xpath)

    assert selected(doc) == ["Monday 4 April 2022"]
    tabs = doc.xpath('//nav[@class="day-tabs"]//a')
    assert [" ".join(a.text_content().split()) for a in tabs] == [
        "Monday 4 April 2022",
        "Tuesday 5 April 2022",
    ]
    assert [a.get("aria-current") for a in tabs] == ["true", None]
    assert tabs[1].get("href") == "?n=1&day=2022-04-05&tz=Asia%2FTokyo#plan-2022-04-05"
    doc = page(client.get(PAGE, params={"day": "2022-04-05"}))
    assert selected(doc) == ["Tuesday 5 April 2022"]
    assert client.get(PAGE, params={"day": "2022-04-09"}).status_code == 404
    bad = client.get(PAGE, params={"day": "Tuesday"})
    assert bad.status_code == 400
    assert "The day must be a date such as 2022-04-04" in texts(page(bad), "//main")[0]


def test_a_draft_overtaken_by_time_says_so_in_one_sentence(
    client: TestClient, clock: Clock, draft: PlanRecord
) -> None:
    """Once the event is under way, the slots the draft changes have begun: the page says
    which, and how to publish it as of when it was planned, not one line per cell."""
    clock.now = datetime(2022, 4, 5, 18, 0, tzinfo=UTC)
    doc = page(client.get(PAGE))
    (first, *rest) = texts(doc, '//ul[@class="plan-violations"]/li')
    assert first.startswith("These slots have begun: Mon 4 Apr 15:00 UTC, Mon 4 Apr 16:00 UTC, ")
    assert first.endswith(
        "plan as of an earlier time with --at: ptghub plan publish 1 --at "
        "2022-04-01T09:00:00+00:00 publishes it as of when it was planned."
    )
    assert not [line for line in rest if "fixed to" in line or "has begun" in line]
