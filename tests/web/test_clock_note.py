"""The demo served on a simulated clock shows a running event, and every page says the
clock is simulated; an event that is over says when it ended instead of showing "now"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from fastapi.testclient import TestClient

from ptghub import demo
from ptghub.core.clock import SimulatedClock
from ptghub.store.store import Store
from ptghub.web.app import create_app
from tests.support import Clock, load_demo
from tests.web.serving import serving

TUESDAY = datetime(2022, 4, 5, 15, 10, tzinfo=UTC)
BOARD = f"/events/{demo.SLUG}/board"
PAGES = (
    "/events/",
    f"/events/{demo.SLUG}/",
    BOARD,
    f"/events/{demo.SLUG}/teams/nova",
    f"/events/{demo.SLUG}/etherpads",
    f"/events/{demo.SLUG}/signage",
    "/events/no-such-event/board",  # an HTML error page
)
NOTICE = re.compile(
    r'<p class="clock-notice" role="note"><strong>Simulated clock:</strong> <span '
    r"data-clock-tick>.*>Tuesday 5 April 2022</time>, .*>\d\d:\d\d</time></span> .*running "
    r"at (\S+): a demo or a rehearsal, not the real time.</p>"
)


def _demo_store(database_url: str, clock: object) -> Store:
    store = Store.open(database_url, clock=clock)  # type: ignore[arg-type]
    load_demo(store)
    return store


@pytest.fixture
def simulated(database_url: str) -> Iterator[TestClient]:
    """The demo as ``ptghub demo`` serves it: Tuesday 15:10, at 1x."""
    store = _demo_store(database_url, SimulatedClock(TUESDAY))
    with TestClient(create_app(store)) as client:
        yield client
    store.close()


def test_the_demo_on_its_clock_shows_a_running_slot_and_topics_now(
    simulated: TestClient,
) -> None:
    page = simulated.get(BOARD).text
    assert re.search(
        r"As of <time[^>]*>Tue 5 Apr 15:1\d</time>, during the slot <time[^>]*>15:00</time>"
        r'–<time[^>]*>16:00</time> \(<span class="current-slot">.*<code>Tue-15h</code>',
        page,
    )
    assert '<th scope="col">Now</th><th scope="col">Next</th>' in page
    now = "Unified limits: what is left for Zed"
    assert f'<td class="topic-now" data-label="Now">{now}</td>' in page
    assert '<td class="where" data-label="Where">Icehouse</td>' in page  # nova's room then
    assert "ended" not in page


@pytest.mark.parametrize("path", PAGES)
def test_every_page_says_the_clock_is_simulated(simulated: TestClient, path: str) -> None:
    response = simulated.get(path)
    assert response.headers["content-type"].startswith("text/html")
    notice = NOTICE.search(response.text)
    assert notice is not None and notice.group(1) == "1x"
    # time.js moves the grid's "now" with the simulated clock, not the browser's.
    assert re.search(
        r'data-clock="2022-04-05T15:1\d:[0-9.]+\+00:00" data-clock-speed="1.0"', response.text
    )


def test_the_notice_gives_the_speed(database_url: str) -> None:
    store = _demo_store(database_url, SimulatedClock(TUESDAY, 60))
    try:
        with TestClient(create_app(store)) as client:
            notice = NOTICE.search(client.get("/events/").text)
    finally:
        store.close()
    assert notice is not None and notice.group(1) == "60x"


def test_on_the_real_clock_no_page_mentions_a_simulated_one(demo_client: TestClient) -> None:
    for path in PAGES:
        page = demo_client.get(path).text
        assert "Simulated clock" not in page and "data-clock" not in page


def test_an_event_that_is_over_says_when_it_ended_and_shows_its_last_topics(
    database_url: str,
) -> None:
    store = _demo_store(database_url, Clock(datetime(2026, 12, 2, 18, 36, tzinfo=UTC)))
    try:
        with TestClient(create_app(store)) as client:
            pages = {path: client.get(path).text for path in PAGES[1:-1]}
    finally:
        store.close()
    ended = '<p class="ended-notice" role="note">This event ended on Friday 8 April 2022.'
    assert all(ended in page for page in pages.values())
    board, team = pages[BOARD], pages[f"/events/{demo.SLUG}/teams/nova"]
    assert "</time>: the event is over.</p>" in board
    assert '<h2 id="h-now">Last topics</h2>' in board
    assert '<th scope="col">Last topic</th><th scope="col">Was next</th>' in board
    assert '<th scope="col">Now</th>' not in board and "no slot running" not in board
    assert "<dt>Last topic</dt>" in team and "<dt>Now</dt>" not in team


def test_the_last_day_of_an_event_is_not_over(database_url: str) -> None:
    store = _demo_store(database_url, Clock(datetime(2022, 4, 8, 23, 59, tzinfo=UTC)))
    try:
        with TestClient(create_app(store)) as client:
            page = client.get(BOARD).text
    finally:
        store.close()
    assert "ended-notice" not in page and '<th scope="col">Now</th>' in page


def test_a_served_demo_shows_the_simulated_clock(database_url: str) -> None:
    store = _demo_store(database_url, SimulatedClock(TUESDAY))
    try:
        with serving(create_app(store)) as server:
            page = httpx.get(server.url + BOARD, timeout=10).text
    finally:
        store.close()
    assert NOTICE.search(page) is not None
    assert re.search(r'<span class="current-slot">.*<code>Tue-15h</code>', page)
