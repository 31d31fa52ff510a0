"""Finding a team on the board in a browser: the server's filter (?q=), filtering as one
types, and the filter kept when a live change swaps the region in.

The teams here (keystone, manila, swift) are ones no other browser test changes; the
topics carry a word no other test (or run) uses, so only these rows can match it."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import (
    BOARD,
    EVENT,
    LIVE_WAIT,
    LiveServer,
    Tab,
    mark_document,
    same_document,
)


def _row(page: Page, team: str) -> Locator:
    badge = page.locator(f'a.badge[href="/events/{EVENT}/teams/{team}"]')
    return page.locator("[data-live='now-next'] tbody tr").filter(has=badge)


def test_find_filters_the_board_as_one_types_and_across_live_changes(
    tab: Tab, live_server: LiveServer
) -> None:
    word = f"findable{uuid.uuid4().hex[:8]}"
    live_server.cmd("ptg-organizer", f"#keystone now Tokens {word}")
    live_server.cmd("ptg-organizer", "#manila now Shares, not what is searched")

    page = tab.open_live(f"{BOARD}?q={word.upper()}")  # case does not matter
    mark_document(page)
    rows = page.locator("[data-live='now-next'] tbody tr:visible")
    expect(rows).to_have_count(1)
    expect(_row(page, "keystone")).to_be_visible()
    expect(_row(page, "manila")).to_be_hidden()
    expect(page.locator("[data-filter-status]")).to_contain_text("1 of ")

    # A change swaps the whole region in, rendered for everyone: the filter holds.
    live_server.cmd("ptg-organizer", f"#swift now Rings {word}")
    expect(_row(page, "swift")).to_be_visible(timeout=LIVE_WAIT)
    expect(rows).to_have_count(2)
    expect(_row(page, "manila")).to_be_hidden()

    # Typing filters at once, without a round trip, and the address keeps the search.
    page.get_by_label("Find a team or topic").fill("SHARES, NOT")
    expect(_row(page, "manila")).to_be_visible()
    expect(rows).to_have_count(1)
    expect(page.locator("[data-filter-status]")).to_contain_text("teams match “SHARES, NOT”")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["SHARES, NOT"]
    page.get_by_label("Find a team or topic").fill("")
    expect(_row(page, "keystone")).to_be_visible()
    expect(page.locator("[data-filter-status]")).to_have_text("")
    assert (same_document(page), tab.errors) == (True, [])
