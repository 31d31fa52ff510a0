"""The live regions: their keys, their content, and that the pages show the same HTML."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from fastapi.testclient import TestClient

from ptghub.core.apply import apply_all
from ptghub.core.events import RoomAdded
from ptghub.core.model import Actor, EventState, Room
from ptghub.store.store import Store
from ptghub.web.fragments import render_fragments, room_region
from ptghub.web.templating import TIME_FORMATS, format_time
from tests.support import ALICE, NOVA_CHAIR, ORGANIZER, Clock, small_event

MONDAY_1330 = datetime(2022, 4, 4, 13, 30, tzinfo=UTC)


def fragment(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html, create_parent="div")


def texts(root: lxml.html.HtmlElement, xpath: str) -> list[str]:
    return [" ".join(el.text_content().split()) for el in root.xpath(xpath)]


def test_render_fragments_has_one_key_per_region(store: Store) -> None:
    keys = render_fragments(store.state(), MONDAY_1330).keys()
    assert sorted(keys) == [
        "checkins",
        "grid-2022-04-04",
        "grid-2022-04-05",
        "motd",
        "now-next",
        "signage",
        "signage-austin",
        "signage-bexar",
        "signage-coiste-bainisti",
        "team-cinder",
        "team-first-contact",
        "team-nova",
        "team-relmgt",
    ]


@pytest.mark.parametrize(
    ("path", "keys"),
    [
        ("/board", ["motd", "now-next", "checkins", "grid-2022-04-04", "grid-2022-04-05"]),
        ("/teams/nova", ["team-nova"]),
        ("/signage", ["motd", "signage"]),
        ("/signage?room=Coiste%20Bainisti", ["motd", "signage-coiste-bainisti"]),
    ],
)
def test_page_regions_hold_exactly_the_fragments(
    client: TestClient, store: Store, path: str, keys: list[str]
) -> None:
    store.run("~motd add info Welcome", ORGANIZER)
    store.run("#nova now Placement API", NOVA_CHAIR)
    html = client.get(f"/events/test-ptg{path}").text
    fragments = render_fragments(store.state(), MONDAY_1330)
    doc = lxml.html.fromstring(html)
    assert doc.xpath("//*[@data-live]/@data-live") == keys
    assert [html.count(f'data-live="{key}">{fragments[key]}</div>') for key in keys] == [1] * len(
        keys
    )


def test_motd_fragment_is_one_banner_per_message_with_its_level(store: Store) -> None:
    store.run("~motd add danger Fire drill at 15:00", ORGANIZER)
    store.run("~motd add success Lunch is served", ORGANIZER)
    root = fragment(render_fragments(store.state(), MONDAY_1330)["motd"])
    assert root.xpath("./p/@class") == ["motd motd-danger", "motd motd-success"]
    assert texts(root, "./p") == ["danger: Fire drill at 15:00", "success: Lunch is served"]


def test_grid_fragment_marks_the_slot_of_the_given_time(store: Store) -> None:
    at = datetime(2022, 4, 4, 14, 10, tzinfo=UTC)
    root = fragment(render_fragments(store.state(), at)["grid-2022-04-04"])
    assert texts(root, './/th[@aria-current="time"]') == ["14:00 (now) slot code Mon-A2"]
    assert texts(root, './/td[contains(@class, " now")]') == [
        "nova planned",
        "free, not bookable",
        "free Coiste Bainisti-Mon-A2",
    ]


def test_grid_fragment_of_other_day_marks_nothing(store: Store) -> None:
    root = fragment(render_fragments(store.state(), MONDAY_1330)["grid-2022-04-05"])
    assert root.xpath('.//*[contains(@class, "now")]') == []


def test_checkins_fragment_counts_people_per_place(store: Store, clock: Clock) -> None:
    store.run("in #nova", ALICE)
    store.run("in #nova", Actor("bob", frontend="test"))
    store.run("in Lobby", Actor("carol", frontend="test"))
    root = fragment(render_fragments(store.state(), clock.now)["checkins"])
    assert texts(root, ".//li") == ["#nova: 2 people", "Lobby: 1 person"]


def test_checkins_fragment_says_when_nobody_is_checked_in(store: Store) -> None:
    root = fragment(render_fragments(store.state(), MONDAY_1330)["checkins"])
    assert texts(root, "./p") == ["Nobody is checked in."]


def test_now_next_fragment_lists_only_active_teams(store: Store) -> None:
    store.run("#cinder now Backups", Actor("c", frontend="test"))
    root = fragment(render_fragments(store.state(), MONDAY_1330)["now-next"])
    # cinder has a topic; nova has none but meets in Austin now by the schedule.
    assert texts(root, ".//tbody/tr/th") == ["Cinder", "Nova/Placement Onboarding"]
    assert texts(root, './/td[@class="where"]') == ["", "Austin"]


def test_now_next_fragment_says_when_no_team_is_active(store: Store) -> None:
    at = datetime(2022, 4, 5, 13, 30, tzinfo=UTC)
    root = fragment(render_fragments(store.state(), at)["now-next"])
    assert texts(root, "./p") == ["No team has set a topic yet."]


def test_fragments_render_times_in_the_zone_asked(store: Store) -> None:
    fragments = render_fragments(store.state(), MONDAY_1330, zone="Asia/Kolkata")
    root = fragment(fragments["grid-2022-04-04"])
    assert texts(root, ".//thead//time") == ["18:30", "19:30", "20:30", "21:30"]


def test_room_regions_stay_distinct_when_names_make_one_key() -> None:
    state = apply_all(EventState(), [*small_event(), RoomAdded(Room("Austin!"))])
    keys = [k for k in render_fragments(state, MONDAY_1330) if k.startswith("signage-")]
    assert (room_region("Austin!"), keys) == (
        "signage-austin",
        ["signage-austin", "signage-bexar", "signage-coiste-bainisti", "signage-austin-2"],
    )


def test_signage_fragment_shows_the_whole_span_of_a_meeting(store: Store) -> None:
    at = datetime(2022, 4, 4, 14, 30, tzinfo=UTC)  # nova meets in Austin 13:00-15:00
    root = fragment(render_fragments(store.state(), at)["signage-austin"])
    assert texts(root, './/div[@class="sign-now"]/p') == ["Nova/Placement 13:00–15:00"]
    assert texts(root, './/div[@class="sign-next"]/p') == ["Nothing later today."]


CHROMIUM = Path(os.environ.get("PTGHUB_CHROMIUM") or "/usr/bin/chromium")
# Instants around daylight-saving changes: Auckland leaves it on 3 April 2022, Los Angeles
# enters it on 13 March 2022; Kolkata has a half-hour offset.
PARITY_INSTANTS = [
    datetime(2022, 4, 2, 13, 0, tzinfo=UTC),
    datetime(2022, 4, 3, 13, 0, tzinfo=UTC),
    datetime(2022, 3, 13, 9, 0, tzinfo=UTC),
    datetime(2022, 3, 13, 11, 0, tzinfo=UTC),
    datetime(2022, 4, 4, 23, 45, tzinfo=UTC),
]
PARITY_ZONES = ["UTC", "Pacific/Auckland", "America/Los_Angeles", "Asia/Kolkata"]


@pytest.fixture
def board_in_browser(client: TestClient) -> Iterator[Any]:
    """The small event's board in headless Chromium, served by the in-process client."""
    if not CHROMIUM.is_file():
        pytest.skip(f"needs Chromium at {CHROMIUM} (apt-get install chromium, or PTGHUB_CHROMIUM)")
    from playwright.sync_api import Route, sync_playwright

    def serve(route: Route) -> None:
        path = route.request.url.removeprefix("http://ptg.test")
        if "/stream" in path:  # the live stream is not under test here
            route.abort()
            return
        response = client.get(path)
        route.fulfill(
            status=response.status_code, headers=dict(response.headers), body=response.content
        )

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        context = browser.new_context(timezone_id="Pacific/Auckland")
        page = context.new_page()
        page.route("http://ptg.test/**", serve)
        page.goto("http://ptg.test/events/test-ptg/board")
        yield page
        browser.close()


@pytest.mark.browser
def test_time_js_formats_like_the_server_in_every_zone(board_in_browser: Any) -> None:
    cases = [
        (at.isoformat(), z, fmt, "2022-04-04")
        for at in PARITY_INSTANTS
        for z in PARITY_ZONES
        for fmt in TIME_FORMATS
    ]
    shown = board_in_browser.evaluate(
        "cases => cases.map(([at, z, f, d]) => window.ptghubTime.format(new Date(at), z, f, d))",
        cases,
    )
    expected = [
        format_time(datetime.fromisoformat(at), z, fmt, date.fromisoformat(day))
        for at, z, fmt, day in cases
    ]
    assert shown == expected


@pytest.mark.browser
def test_zone_menu_shows_the_board_in_the_viewers_own_zone_and_remembers_it(
    board_in_browser: Any,
) -> None:
    page = board_in_browser
    before = page.inner_text('[data-live="grid-2022-04-04"] thead th:nth-child(2) time')
    with page.expect_navigation():
        page.select_option("#tz-select", label="My time zone (Pacific/Auckland)")
    # Monday 13:00 UTC is Tuesday 01:00 in Auckland: a day of Auckland's own.
    header = '[data-live="grid@Pacific/Auckland@2022-04-05"] thead th:nth-child(2) time'
    after = page.inner_text(header)
    page.goto("http://ptg.test/events/test-ptg/board")  # no ?tz=: the cookie keeps it
    assert (before, after, page.inner_text(header), page.inner_text("footer [data-tz-label]")) == (
        "13:00",
        "01:00",
        "01:00",
        "Pacific/Auckland",
    )
