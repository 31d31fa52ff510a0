"""The event's pages in a browser: they load cleanly and show the demo event, the team
page follows changes live, and the time-zone switch shows every time in the chosen zone.

The board and home page are photographed into tests/artifacts/ on every run. The
viewer's browser is in Australia/Sydney (see conftest); the event is in UTC.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    BOARD,
    EVENT,
    HOME,
    LIVE_WAIT,
    VIEWER_ZONE,
    LiveServer,
    Tab,
    TabFactory,
    choose_my_zone,
    mark_document,
    same_document,
)

TEAM = f"/events/{EVENT}/teams/nova"
PAGES = {
    "events": "/events/",
    "home": HOME,
    "board": BOARD,
    "team": TEAM,
    "etherpads": f"/events/{EVENT}/etherpads",
    "signage": f"/events/{EVENT}/signage",
    "signage-room": f"/events/{EVENT}/signage?room=Austin",
}
SLOT_TIMES = "[data-live='grid-2022-04-04'] thead th time"
# The start of Monday's twelve slots, in the event's zone; in Sydney (UTC+10 then), where
# 14:00 UTC is already Tuesday, Monday (a day of its own there) has the first five.
MONDAY_SLOTS_UTC = [f"{hour:02d}:00" for hour in (0, 1, 2, 3, *range(13, 21))]
SYDNEY_SLOT_TIMES = f"[data-live='grid@{VIEWER_ZONE}@2022-04-04'] thead th time"
MONDAY_SLOTS_SYDNEY = [f"{hour:02d}:00" for hour in (10, 11, 12, 13, 23)]


def _times(page: Page, selector: str) -> list[list[str]]:
    """[instant, format, text] of every ``<time>`` matching ``selector``, in page order."""
    times: list[list[str]] = page.locator(selector).evaluate_all(
        "times => times.map(t => [t.getAttribute('datetime'), t.dataset.format, t.textContent])"
    )
    return times


def _choose_zone(page: Page, label: str) -> None:
    page.locator("#tz-select").select_option(label=label)


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_loads_without_console_errors(tab: Tab, path: str) -> None:
    tab.open(path).wait_for_load_state("networkidle")

    assert tab.errors == []


def test_page_icon_exists(tab: Tab) -> None:
    page = tab.open(HOME)
    icon = page.locator("link[rel~='icon']")
    href = icon.get_attribute("href") if icon.count() == 1 else "/favicon.ico"
    assert href is not None

    assert page.request.get(href).status == 200


def test_board_page_shows_messages_topics_and_the_schedule(
    new_tab: TabFactory, artifacts: Path
) -> None:
    # A desktop-wide window: the page (main is at most 110rem wide) at its widest.
    tab = new_tab(viewport={"width": 1920, "height": 1080})
    page = tab.open(BOARD)
    tc_badge = page.locator(f'a.badge[href="/events/{EVENT}/teams/tc"]')
    tc = page.locator("[data-live='now-next'] tbody tr").filter(has=tc_badge)
    page.screenshot(path=artifacts / "board.png", full_page=True)

    assert (
        page.locator("h1").inner_text(),
        page.locator("[data-live='motd'] .motd").all_text_contents(),
        tc.locator("td.topic-now").inner_text(),
        tc.locator("td.topic-next li").all_inner_texts(),
        page.locator(".day-tabs a").all_inner_texts(),
        [day.get_attribute("id") for day in page.locator(".days > .day").all() if day.is_visible()],
        page.locator("[data-live='checkins'] li").all_inner_texts(),
        tab.errors,
    ) == (
        "Live board",
        [
            "info: Welcome to the virtual PTG! All times are UTC.",
            "warning: Happy hour on Tuesday at 22:00 UTC, game night Thursday",
        ],
        "Zed cycle goals and community-wide goals",
        ["Release cadence, then the PTL-less projects"],
        [
            "Monday 4 April 2022",
            "Tuesday 5 April 2022",
            "Wednesday 6 April 2022",
            "Thursday 7 April 2022",
            "Friday 8 April 2022",
        ],
        ["grid-2022-04-04"],  # the event is over: the board opens on its first day
        # Those checked in by Tuesday 15:10, when `ptghub demo` loaded the event's past
        # (demo.history), and the sample commands' demo-attendee in #nova.
        [
            "#cinder: 6 people",
            "#neutron: 6 people",
            "#nova: 6 people",
            "#ironic: 4 people",
            "#kolla: 4 people",
            "#edge: 3 people",
            "#manila: 3 people",
            "#interop: 2 people",
            "#large-scale: 2 people",
            "#openstack-ansible: 2 people",
            "#qa: 2 people",
            "#starlingx: 2 people",
            "#tacker: 2 people",
            "#tc: 2 people",
            "#tripleo: 2 people",
            "#swift: 1 person",
        ],
        [],
    )


def test_home_page_shows_the_event_and_its_teams(tab: Tab, artifacts: Path) -> None:
    page = tab.open(HOME)
    page.screenshot(path=artifacts / "home.png", full_page=True)
    cinder = page.locator("#teams li").filter(has=page.get_by_role("link", name="Cinder"))

    assert (
        page.locator("h1").inner_text(),
        page.locator("h2").all_inner_texts(),
        page.locator("#teams h3").all_inner_texts(),
        cinder.locator(".tag.onboarding").inner_text(),
        page.locator(".contact a").get_attribute("href"),
        tab.errors,
    ) == (
        "Project Teams Gathering, April 2022",
        [
            "About this event",
            "Calendars",
            "Where the chat is",
            "How to ask for a track",
            "Teams",
            "Links",
        ],
        [
            "Project teams",
            "Special interest groups",
            "Working groups",
            "Committees",
        ],
        "Onboarding",
        "mailto:ptg@openinfra.dev",
        [],
    )


def test_team_page_shows_a_topic_set_from_another_process(
    tab: Tab, live_server: LiveServer
) -> None:
    page = tab.open_live(TEAM)
    mark_document(page)
    topic = f"Unified limits, part two {uuid.uuid4().hex[:8]}"

    live_server.cmd("nova-chair", f"#nova now {topic}")
    live = page.locator("[data-live='team-nova']")
    expect(live.locator("dd.topic-now")).to_have_text(topic, timeout=LIVE_WAIT)

    assert (
        live.locator("dd.topic-next").inner_text(),  # a new 'now' empties 'next'
        page.locator("h1").inner_text(),
        same_document(page),
        tab.errors,
    ) == ("Nothing planned.", "Nova/Placement", True, [])


def test_time_zone_switch_shows_times_in_the_viewers_zone_and_is_remembered(
    tab: Tab,
) -> None:
    page = tab.open(BOARD)
    event_time = _times(page, SLOT_TIMES)
    label_before = page.locator("footer [data-tz-label]").inner_text()

    with page.expect_navigation():  # the server renders the board in the new zone
        _choose_zone(page, f"My time zone ({VIEWER_ZONE})")
    viewer_time = _times(page, SYDNEY_SLOT_TIMES)
    page.goto(page.url.split("?")[0])  # no ?tz=: the cookie keeps the choice
    after_reload = _times(page, SYDNEY_SLOT_TIMES)
    home = tab.open(HOME)
    home_dates = [text for _, _, text in _times(home, ".dates time")]
    with home.expect_navigation():
        _choose_zone(home, "Event time (UTC)")
    home_back = [text for _, _, text in _times(home, ".dates time")]

    # The event ran in UTC: Monday 13:00 is 23:00 in Sydney, 14:00 is Tuesday there.
    assert (
        label_before,
        [text for _, _, text in event_time],
        [text for _, _, text in viewer_time],
        after_reload == viewer_time,
        home_dates,
        home_back,
        home.locator("footer [data-tz-label]").inner_text(),
        tab.errors,
    ) == (
        "UTC",
        MONDAY_SLOTS_UTC,
        MONDAY_SLOTS_SYDNEY,
        True,
        ["Mon 4 Apr 10:00", "Sat 9 Apr 07:00"],
        ["Mon 4 Apr 00:00", "Fri 8 Apr 21:00"],
        "UTC",
        [],
    )


# A half-hour offset, and a zone behind UTC where early slots fall on the day before
# (Sydney, ahead of UTC, is the default viewer's zone of the test above).
@pytest.mark.parametrize("zone", ["Asia/Kolkata", "America/Los_Angeles"])
def test_time_zone_switch_shows_what_the_server_renders_for_that_zone(
    new_tab: TabFactory, zone: str
) -> None:
    # The browser rewrites times with time.js; without JavaScript, ?tz=ZONE has the
    # server render them. Both must read the same, including the weekday when the day
    # shifts. Times of "now" (the board's "as of") are left out: they differ per render.
    selector = "main time:not(.as-of time):not(caption time)"
    browser = new_tab(timezone_id=zone)
    server = new_tab(java_script_enabled=False)
    rewritten, rendered = {}, {}
    for path in (HOME, BOARD, TEAM):
        page = browser.open(path)
        if path == HOME:
            with page.expect_navigation():
                choose_my_zone(page)  # remembered for the other pages
        rewritten[path] = _times(page, selector)
        rendered[path] = _times(server.open(f"{path}?tz={zone}"), selector)

    assert (
        [len(times) > 0 for times in rewritten.values()],
        rewritten,
        browser.errors,
    ) == ([True, True, True], rendered, [])


def test_time_zone_switch_works_without_javascript(new_tab: TabFactory) -> None:
    tab = new_tab(java_script_enabled=False)
    page = tab.open(f"{BOARD}?day=2022-04-04&tz={VIEWER_ZONE}")
    in_sydney = [text for _, _, text in _times(page, SYDNEY_SLOT_TIMES)]
    page.locator("#tz-select").select_option(label="Event time (UTC)")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(f"**{BOARD}?tz=event")  # a day of Sydney need not be one in UTC

    assert (
        in_sydney,
        [text for _, _, text in _times(page, SLOT_TIMES)],
        page.locator("footer [data-tz-label]").inner_text(),
    ) == (MONDAY_SLOTS_SYDNEY, MONDAY_SLOTS_UTC, "UTC")
