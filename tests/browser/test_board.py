"""The live board in a browser: changes made by another process appear without a reload.

Every change here is made with ``ptghub cmd`` in a separate process, as an organizer or
a chair would from a shell, and touches teams and cells no other browser test looks at,
so the tests do not depend on their order.
"""

from __future__ import annotations

import uuid

from playwright.sync_api import Locator, Page, Request, Route, expect

from tests.browser.conftest import (
    BOARD,
    EVENT,
    LIVE_WAIT,
    VIEWER_ZONE,
    LiveServer,
    Tab,
    TabFactory,
    choose_my_zone,
    mark_document,
    same_document,
)

MONDAY = "grid-2022-04-04"


def _topic(words: str) -> str:
    """A topic no other test (or run) uses, so that seeing it proves this change arrived."""
    return f"{words} {uuid.uuid4().hex[:8]}"


def _now_cell(page: Page, team: str) -> Locator:
    """The 'Now' cell of ``team``'s row in the board's now-and-next table."""
    badge = page.locator(f'a.badge[href="/events/{EVENT}/teams/{team}"]')
    return page.locator("[data-live='now-next'] tbody tr").filter(has=badge).locator("td.topic-now")


def _grid_cell(page: Page, grid: str, room: str, slot: str) -> Locator:
    """The cell of ``room`` during ``slot`` (a code such as Mon-13h) in the grid region."""
    table = page.locator(f"[data-live='{grid}'] table.grid")
    codes = table.locator("thead th").evaluate_all(
        "ths => ths.map(th => (th.querySelector('.slot-code code') || {}).textContent || '')"
    )
    column = codes.index(slot)
    row = table.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=room, exact=True))
    return row.locator("td").nth(column - 1)  # the first column is the room's header


def test_board_shows_a_topic_set_from_another_process(tab: Tab, live_server: LiveServer) -> None:
    page = tab.open_live(BOARD)
    mark_document(page)
    topic = _topic("Secret consumers API")
    expect(page.locator("[data-live='now-next']")).not_to_contain_text(topic)

    live_server.cmd("ptg-organizer", f"#barbican now {topic}")
    expect(_now_cell(page, "barbican")).to_have_text(topic, timeout=LIVE_WAIT)

    assert (same_document(page), tab.errors) == (True, [])


def test_board_grid_shows_a_booking_and_its_release_from_another_process(
    tab: Tab, live_server: LiveServer
) -> None:
    page = tab.open_live(BOARD)
    mark_document(page)
    cell = _grid_cell(page, MONDAY, "Diablo", "Mon-13h")
    expect(cell).to_have_class("cell free")
    expect(cell.locator("code")).to_have_text("Diablo-Mon-13h")

    live_server.cmd("cinder-chair", "#cinder book Diablo-Mon-13h")
    expect(cell).to_have_class("cell booked", timeout=LIVE_WAIT)
    booked = (cell.locator("a.badge").inner_text(), cell.locator(".status").inner_text())

    live_server.cmd("cinder-chair", "#cinder unbook Diablo-Mon-13h")
    expect(cell).to_have_class("cell free", timeout=LIVE_WAIT)

    assert (
        booked,
        cell.locator("code").inner_text(),
        same_document(page),
        tab.errors,
    ) == (("cinder", "booked"), "Diablo-Mon-13h", True, [])


def test_board_catches_up_on_a_change_made_before_its_stream_connected(
    tab: Tab, live_server: LiveServer
) -> None:
    # Hold the page's stream request back, change the event meanwhile, then let the
    # request through: the page must catch up from the version it was rendered at.
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)

    tab.page.route("**/stream*", hold)
    page = tab.open(BOARD)
    page.wait_for_timeout(200)
    assert len(held) == 1
    topic = _topic("Certificate rotation")
    live_server.cmd("ptg-organizer", f"#designate now {topic}")
    mark_document(page)
    held[0].continue_()

    expect(_now_cell(page, "designate")).to_have_text(topic, timeout=LIVE_WAIT)

    assert (same_document(page), tab.errors) == (True, [])


def test_board_catches_up_after_its_connection_dropped_by_last_event_id_alone(
    tab: Tab, live_server: LiveServer
) -> None:
    # The server dies (SIGKILL drops the stream at once), a change is made meanwhile,
    # the server comes back: the browser reconnects by itself, sends the id of the last
    # change it saw (Last-Event-ID), and gets the change it missed. The reconnections
    # go out without their address's ?version= (older than the change missed, so it
    # would trigger the catch-up by itself): only the header can.
    streams: list[Request] = []
    routed: list[str] = []

    def watch(request: Request) -> None:
        if request.url.split("?")[0].endswith("/stream"):
            streams.append(request)

    def header_alone(route: Route) -> None:
        routed.append(route.request.url)
        if len(routed) == 1:
            route.continue_()
        else:
            route.continue_(url=route.request.url.split("?")[0])

    tab.page.on("request", watch)
    tab.page.route("**/stream*", header_alone)
    page = tab.open_live(BOARD)
    mark_document(page)
    seen = _topic("Zone transfers")
    live_server.cmd("ptg-organizer", f"#designate now {seen}")
    expect(_now_cell(page, "designate")).to_have_text(seen, timeout=LIVE_WAIT)

    live_server.stop(crash=True)
    missed = _topic("Catalog zones")
    live_server.cmd("ptg-organizer", f"#designate now {missed}")
    live_server.start()
    expect(_now_cell(page, "designate")).to_have_text(missed, timeout=LIVE_WAIT)

    # The reconnection went out with no address parameter, so the catch-up came from the
    # Last-Event-ID header alone (Playwright does not list that header under routing).
    assert (
        len(routed) >= 2,
        streams[-1].url.split("/")[-1],
        same_document(page),
        # The dropped stream itself logs net::ERR_INCOMPLETE_CHUNKED_ENCODING: expected.
        [error for error in tab.errors if "/stream" not in error],
    ) == (True, "stream", True, [])


def test_board_without_javascript_shows_a_change_after_a_reload(
    new_tab: TabFactory, live_server: LiveServer
) -> None:
    tab = new_tab(java_script_enabled=False)
    page = tab.open(BOARD)
    topic = _topic("Zone migration")
    live_server.cmd("ptg-organizer", f"#octavia now {topic}")
    stale = page.locator("[data-live='now-next']").inner_text()
    page.reload()

    assert (topic in stale, _now_cell(page, "octavia").inner_text(), tab.errors) == (
        False,
        topic,
        [],
    )


def test_board_marks_the_slot_happening_now_from_the_viewers_clock(tab: Tab) -> None:
    # The server's clock is real (the demo event is long over); the browser's clock is
    # set to Monday 4 April 2022, 13:30 UTC, in the middle of slot Mon-13h.
    tab.page.clock.set_fixed_time("2022-04-04T13:30:00Z")
    page = tab.open(BOARD)
    headers = page.locator(f"[data-live='{MONDAY}'] thead th.now")
    expect(headers).to_have_count(1)

    assert (
        headers.locator(".slot-code code").inner_text(),
        headers.get_attribute("aria-current"),
        headers.locator(".now-label").text_content(),
        _grid_cell(page, MONDAY, "Austin", "Mon-13h").get_attribute("class"),
        _grid_cell(page, MONDAY, "Austin", "Mon-14h").get_attribute("class"),
        tab.errors,
    ) == ("Mon-13h", "time", " (now)", "cell planned now", "cell planned", [])


def test_board_keeps_the_viewers_zone_and_now_mark_in_regions_swapped_live(
    tab: Tab, live_server: LiveServer
) -> None:
    # The server marks no slot (for its clock the event is over); the browser's clock is
    # in slot Mon-15h, which is Tuesday 01:00 in Sydney: a column of Sydney's Tuesday.
    # After a live swap of that grid the page must still show the viewer's zone and now.
    tab.page.clock.set_fixed_time("2022-04-04T15:30:00Z")
    page = tab.open_live(BOARD)
    with page.expect_navigation():
        choose_my_zone(page)
    page = tab.open_live(f"{BOARD}?day=2022-04-05")  # the zone is kept; Tuesday in view
    tuesday = f"grid@{VIEWER_ZONE}@2022-04-05"
    expect(page.locator(f"[data-live='{tuesday}']")).to_have_count(1)
    mark_document(page)
    cell = _grid_cell(page, tuesday, "Kilo", "Mon-15h")

    live_server.cmd("cinder-chair", "#cinder book Kilo-Mon-15h")
    expect(cell).to_have_class("cell booked now", timeout=LIVE_WAIT)
    grid = page.locator(f"[data-live='{tuesday}']")

    assert (
        grid.locator("thead th time").all_text_contents()[:3],
        grid.locator("thead th.now .slot-code code").all_text_contents(),
        same_document(page),
        tab.errors,
    ) == (["00:00", "01:00", "02:00"], ["Mon-15h"], True, [])


def test_board_day_tab_shows_that_days_grid_only(tab: Tab) -> None:
    page = tab.open(BOARD)
    # The event is over, so the board opens on its first day.
    expect(page.locator(f"#{MONDAY}")).to_be_visible()
    page.get_by_role("link", name="Wednesday 6 April 2022").click()
    page.wait_for_url(f"**{BOARD}?day=2022-04-06#grid-2022-04-06")
    visible = [
        day.get_attribute("id")
        for day in page.locator(".days > section.day").all()
        if day.is_visible()
    ]
    current = page.locator(".day-tabs a[aria-current='true']").inner_text()

    assert (visible, current, tab.errors) == (["grid-2022-04-06"], "Wednesday 6 April 2022", [])
