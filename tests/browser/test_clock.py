"""A server on a simulated clock, in a browser: the notice says so, and the grid's "now"
mark and the notice's time move with the server's clock, not with the browser's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import BOARD, LiveServer, Tab
from tests.browser.rehearsal import serve_on_clock

MONDAY = "grid-2022-04-04"


@pytest.fixture
def rehearsal(live_server: LiveServer) -> Iterator[str]:
    """``ptghub serve --clock`` on the demo's database: two minutes before Monday 14:00
    (a margin for a slow start: the clock runs from the moment the server starts)."""
    with serve_on_clock(live_server, "2022-04-04T13:58Z") as url:
        yield url


def test_the_now_mark_follows_the_simulated_clock(tab: Tab, rehearsal: str) -> None:
    page = tab.page
    page.clock.install()  # the browser's clock: real date, moved by the test only
    tab.open(rehearsal + BOARD)
    notice = page.locator(".clock-notice")
    now = page.locator(f"[data-live='{MONDAY}'] thead th.now .slot-code code")
    expect(notice).to_contain_text("Simulated clock: Monday 4 April 2022, 13:5")
    expect(notice).to_contain_text("running at 1x")
    expect(now).to_have_text("Mon-13h")

    page.clock.run_for(125_000)  # the page's timer has run: the simulated clock is past 14:00
    expect(now).to_have_text("Mon-14h")
    expect(notice).to_contain_text("Monday 4 April 2022, 14:0")
    assert tab.errors == []
