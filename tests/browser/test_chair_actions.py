"""A chair acts from the board in a browser (web/actions.py, web/chair_panel.py,
static/chair.js), and every other viewer's board shows it on the live stream.

The chair signs in through a real session made in the server's own database (the sign-in
pages are tested on their own); its cookie is put in the browser context. The team and
the cell are used by no other browser test.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from ptghub.store.store import Store
from ptghub.web.session import SESSION_COOKIE
from tests.browser.conftest import BOARD, EVENT, LIVE_WAIT, LiveServer, Tab, TabFactory
from tests.browser.rehearsal import serve_on_clock
from tests.browser.test_accessibility import BLOCKING, RUN_AXE
from tests.browser.test_layout import VIEWPORTS, WIDER

TEAM = "designate"
CELL = "Grizzly-Mon-19h"
MONDAY = "grid-2022-04-04"
SignedInTab = Callable[..., Tab]


def _session(live_server: LiveServer, address: str) -> tuple[str, str]:
    """A person with ``address`` and a session of theirs: (web nick, session secret)."""
    store = Store.open(live_server.database_url)
    try:
        account = store.accounts.sign_up(address)
        return account.web_nick, store.accounts.start_session(account.person_id, via="email")
    finally:
        store.close()


@pytest.fixture
def chair_tab(new_tab: TabFactory, live_server: LiveServer) -> SignedInTab:
    """``chair_tab(url=..., **context options)``: a browser signed in as a person an
    organizer made chair of TEAM (``url``: the server whose address the cookie is for)."""

    def open_tab(url: str = live_server.url, **options: Any) -> Tab:
        nick, secret = _session(live_server, f"chair-{uuid.uuid4().hex[:8]}@example.org")
        live_server.cmd("ptg-organizer", f"~role grant {nick} chair {TEAM}")
        tab = new_tab(base_url=url, **options)
        tab.page.context.add_cookies([{"name": SESSION_COOKIE, "value": secret, "url": url}])
        return tab

    return open_tab


def _cell(page: Page, code: str) -> Locator:
    return page.locator(f"[data-live='{MONDAY}'] td[data-cell='{code}']")


def _now_cell(page: Page) -> Locator:
    badge = page.locator(f'a.badge[href="/events/{EVENT}/teams/{TEAM}"]')
    return page.locator("[data-live='now-next'] tbody tr").filter(has=badge).locator("td.topic-now")


def test_a_chair_books_a_cell_and_sets_now_from_the_board_and_others_see_it(
    chair_tab: SignedInTab, new_tab: TabFactory
) -> None:
    viewer = new_tab()
    seen = viewer.open_live(BOARD)
    chair = chair_tab()
    page = chair.open_live(BOARD)
    topic = f"Zone transfers {uuid.uuid4().hex[:8]}"
    expect(_cell(seen, CELL)).to_have_class("cell free")

    _cell(page, CELL).click()
    dialog = page.get_by_role("dialog", name=f"Book {CELL}")
    expect(dialog.get_by_label("For team")).to_have_value(TEAM)
    dialog.get_by_role("button", name="Book").click()
    expect(page.locator("#act-reply")).to_have_text(f"OK, {CELL} is now booked for {TEAM}.")

    page.get_by_label("Now", exact=True).fill(topic)
    page.get_by_role("button", name="Set now").click()
    expect(page.locator("#act-reply")).to_contain_text(f"OK, {TEAM} now discusses: {topic}")

    expect(_cell(seen, CELL)).to_have_class("cell booked", timeout=LIVE_WAIT)
    expect(_now_cell(seen)).to_have_text(topic, timeout=LIVE_WAIT)
    expect(_now_cell(page)).to_have_text(topic, timeout=LIVE_WAIT)

    # The panel was read again: the booked cell is now one the team can free.
    expect(page.locator(f"#act-unbook option[value='{CELL}']")).to_have_count(1)
    page.get_by_label("Booked cell").select_option(CELL)
    page.get_by_role("button", name="Unbook").click()
    expect(page.locator("#act-reply")).to_have_text(
        f"OK, {CELL} (previously booked for {TEAM}) is now free."
    )
    expect(_cell(seen, CELL)).to_have_class("cell free", timeout=LIVE_WAIT)
    assert (viewer.errors, chair.errors) == ([], [])


def test_without_javascript_the_page_comes_back_with_the_reply(chair_tab: SignedInTab) -> None:
    chair = chair_tab(java_script_enabled=False)
    page = chair.open(BOARD)
    topic = f"Catalog zones {uuid.uuid4().hex[:8]}"

    page.get_by_label("Next", exact=True).fill(topic)
    with page.expect_navigation():
        page.get_by_role("button", name="Add next").click()

    assert page.url.endswith(BOARD)
    expect(page.locator(".flash")).to_contain_text(f"OK, {TEAM} next: {topic}")
    page.reload()
    expect(page.locator(".flash")).to_have_count(0)
    assert chair.errors == []


def test_a_refusal_is_shown_in_place(chair_tab: SignedInTab) -> None:
    chair = chair_tab()
    page = chair.open(BOARD)

    page.get_by_label("Badge colour").fill("not a colour")
    page.get_by_role("button", name="Set colour").click()

    expect(page.locator("#act-reply.error")).to_have_text(
        "'not a colour' is not a CSS colour; use a name (red), #rgb, #rrggbb or rgb(r, g, b)."
    )
    # The browser itself logs the refused request (400) to the console; nothing else.
    assert [e for e in chair.errors if not e.endswith(f"/events/{EVENT}/commands:0)")] == []


@pytest.fixture(scope="module")
def rehearsal(live_server: LiveServer) -> Iterator[str]:
    """The demo while it runs (a simulated clock): cells left to book, a slot running."""
    with serve_on_clock(live_server) as url:
        yield url


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
@pytest.mark.parametrize("path", [BOARD, f"/events/{EVENT}/teams/{TEAM}"], ids=["board", "team"])
def test_the_chairs_pages_fit_the_screen_and_are_accessible(
    axe_js: Path, chair_tab: SignedInTab, rehearsal: str, path: str, viewport: dict[str, int]
) -> None:
    tab = chair_tab(url=rehearsal, viewport=viewport, bypass_csp=True)
    page = tab.open(path)
    expect(page.locator("#act form[data-command-form]").first).to_be_visible()
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    wider: list[str] = page.evaluate(WIDER) if widths[0] > widths[1] else []
    page.add_script_tag(path=axe_js)
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE, list(BLOCKING))

    assert (widths[0], wider, violations, tab.errors) == (viewport["width"], [], [], [])


def test_the_booking_dialog_is_used_with_the_keyboard(
    chair_tab: SignedInTab, rehearsal: str
) -> None:
    tab = chair_tab(url=rehearsal)
    page = tab.open(f"{BOARD}?day=2022-04-04")
    _cell(page, "Folsom-Mon-20h").click()

    dialog = page.get_by_role("dialog", name="Book Folsom-Mon-20h")
    expect(dialog.get_by_label("For team")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    assert tab.errors == []
