"""A room's screen (``signage?room=NAME``) as it hangs beside a door for days: a kiosk
(no site menu, no zone switch) with a large clock; it comes back after its stream is
refused, and an hour of changes and clock ticks leaves its memory where it was."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, Route, expect

from ptghub.core.model import Actor
from ptghub.store.store import Store
from tests.browser.conftest import (
    EVENT,
    LIVE_WAIT,
    LiveServer,
    Tab,
    TabFactory,
    mark_document,
    same_document,
)
from tests.browser.rehearsal import serve_on_clock

ROOM_SCREEN = f"/events/{EVENT}/signage?room=Mitaka"
# tripleo meets in Mitaka during Tuesday afternoon's slots: its topic is the sign's
# topic (no other browser test reads or changes either).
TEAM = "tripleo"
ORGANIZER = Actor("ptg-organizer", frontend="test")
_numbers = itertools.count(1)
# An hour of a busy event: a few topic changes a minute, each pushed to the screen.
CHANGES_PER_MINUTE = 5
# Generous bounds: a screen that kept what it replaced, even one element a change,
# would hold hundreds of nodes more after the hour.
HEAP_GROWTH = 1_000_000
NODE_GROWTH = 50


def _topic(text: str) -> str:
    return f"{text} {next(_numbers)}"


@pytest.fixture(scope="module")
def rehearsal(live_server: LiveServer) -> Iterator[str]:
    # Tuesday 15:00:30: the next slot boundary (and the screen's reload) is almost an
    # hour of simulated time away.
    with serve_on_clock(live_server, "2022-04-05T15:00:30Z") as url:
        yield url


def _screen(new_tab: TabFactory, url: str, width: int = 1366) -> Tab:
    return new_tab(base_url=url, viewport={"width": width, "height": 900})


@pytest.mark.parametrize("width", [390, 1366])
def test_room_screen_is_a_kiosk_with_a_large_clock(
    new_tab: TabFactory, rehearsal: str, width: int
) -> None:
    tab = _screen(new_tab, rehearsal, width)
    page = tab.page
    page.clock.install()  # the browser's timers move when the test says so
    tab.open_live(ROOM_SCREEN)
    clock = page.locator("[data-kiosk-clock] time")
    expect(clock).to_have_text("15:00")
    page.clock.run_for(61_000)
    expect(clock).to_have_text("15:01")
    size = clock.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    body_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert (
        page.locator("header.site nav").is_visible(),
        page.locator("#tz-select").is_visible(),
        size >= 2 * body_size,
        page.locator(".sign h2").all_inner_texts(),
        tab.errors,
    ) == (False, False, True, ["Mitaka"], [])


def test_all_rooms_signage_keeps_the_menu(new_tab: TabFactory, rehearsal: str) -> None:
    tab = _screen(new_tab, rehearsal)
    page = tab.open(f"/events/{EVENT}/signage")
    assert (
        page.locator("header.site nav").is_visible(),
        page.locator("[data-kiosk-clock]").count(),
    ) == (True, 0)


def _wait_for(condition: Callable[[], bool], page: Page, what: str) -> None:
    deadline = time.monotonic() + LIVE_WAIT / 1000
    while not condition():
        assert time.monotonic() < deadline, f"waited {LIVE_WAIT} ms for {what}"
        page.wait_for_timeout(200)


def test_room_screen_comes_back_after_its_stream_is_refused(
    new_tab: TabFactory, rehearsal: str, live_server: LiveServer
) -> None:
    # A proxy answering 503 while the server restarts (or the server's own 429 for too
    # many streams) makes EventSource give up for good; live.js then opens a new one.
    refused: list[str] = []

    def refuse_twice(route: Route) -> None:
        if len(refused) < 2:
            refused.append(route.request.url)
            route.fulfill(status=503, body="restarting")
        else:
            route.continue_()

    tab = _screen(new_tab, rehearsal)
    tab.page.route("**/stream*", refuse_twice)
    page = tab.open(ROOM_SCREEN)
    mark_document(page)
    _wait_for(lambda: len(refused) == 2, page, "a second try after the first refusal")
    topic = _topic("Release cadence")
    live_server.cmd(ORGANIZER.nick, f"#{TEAM} now {topic}")
    expect(page.locator(".sign-now .sign-topic")).to_have_text(topic, timeout=LIVE_WAIT)
    # The browser logs each refused request (503): expected here, nothing else.
    assert (same_document(page), [e for e in tab.errors if "503" not in e]) == (True, [])


@pytest.mark.timeout(900)
def test_room_screen_runs_an_hour_of_changes_without_growing(
    new_tab: TabFactory, rehearsal: str, live_server: LiveServer
) -> None:
    tab = _screen(new_tab, rehearsal)
    page = tab.page
    page.clock.install()  # an hour of the page's timers (the clock ticks) in seconds
    tab.open_live(ROOM_SCREEN)
    mark_document(page)
    topic = page.locator(".sign-now .sign-topic")
    cdp = page.context.new_cdp_session(page)

    def memory() -> tuple[int, int, int]:
        """After a full garbage collection: the JS heap's bytes in use, the DOM nodes
        alive (in the page or detached but still held) and the JS event listeners."""
        cdp.send("HeapProfiler.collectGarbage")
        counters = cdp.send("Memory.getDOMCounters")
        heap = cdp.send("Runtime.getHeapUsage")["usedSize"]
        return int(heap), int(counters["nodes"]), int(counters["jsEventListeners"])

    store = Store.open(live_server.database_url)
    try:

        def minutes(count: int) -> str:
            """``count`` simulated minutes, each with a few changes shown on the screen."""
            last = ""
            for _ in range(count):
                for _ in range(CHANGES_PER_MINUTE):
                    last = _topic("Hour of changes")
                    store.run(f"#{TEAM} now {last}", ORGANIZER)
                page.clock.run_for(60_000)
            return last

        expect(topic).to_have_text(minutes(5), timeout=LIVE_WAIT)  # warmed up
        before = memory()
        expect(topic).to_have_text(minutes(50), timeout=LIVE_WAIT)
        after = memory()
    finally:
        store.close()
    # 15:00:30 + 55 minutes: the clock kept time, and the page was never reloaded
    # (the next slot starts at 16:00).
    grew = [a - b for a, b in zip(after, before, strict=True)]
    assert (
        page.locator("[data-kiosk-clock] time").inner_text(),
        same_document(page),
        grew[0] <= HEAP_GROWTH,
        grew[1] <= NODE_GROWTH,
        grew[2] <= 0,
        tab.errors,
    ) == ("15:55", True, True, True, True, []), f"heap, nodes, listeners: {before} -> {after}"


def test_room_screen_reloads_at_the_next_slot_only_when_the_server_answers(
    new_tab: TabFactory, live_server: LiveServer
) -> None:
    # A screen reloads itself when the next slot starts (its now/next change). If the
    # server is away just then, a plain reload would leave the browser's error page up
    # for good: the screen waits, asks again, and reloads once the page answers.
    with serve_on_clock(live_server, "2022-04-05T15:59Z") as url:
        tab = _screen(new_tab, url)
        page = tab.page
        page.clock.install()
        asked: list[str] = []

        def away(route: Route) -> None:
            asked.append(route.request.url)
            route.abort()

        tab.open_live(ROOM_SCREEN)
        mark_document(page)
        page.route("**/signage?room=*", away)
        page.clock.run_for(65_000)  # past 16:00: time to reload
        _wait_for(lambda: len(asked) == 1, page, "the screen to ask for its page")
        still_up = same_document(page)
        page.unroute("**/signage?room=*")
        with page.expect_navigation(timeout=LIVE_WAIT):
            page.clock.run_for(31_000)  # it asks again, and reloads
        # The server's own clock has not reached 16:00 (the test moved the browser's
        # only): the new page is the same screen, rendered afresh.
        expect(page.locator(".sign h2")).to_have_text("Mitaka")
    # The browser logs the refused request, and the stream that the reload cut.
    expected = ("net::ERR_FAILED", "/stream")
    errors = [e for e in tab.errors if not any(text in e for text in expected)]
    assert (still_up, same_document(page), errors) == (
        True,
        False,
        [],
    )
