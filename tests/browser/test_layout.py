"""Every public page on a phone (390×844) and a laptop (1366×900): nothing is wider than
the screen (the page never scrolls sideways; a wide table scrolls inside its own box),
and axe-core finds no serious or critical violation at either width. The pages are
``test_accessibility.PAGES``: a page added there is checked here too.

They are served on the demo's simulated clock (Tuesday 15:10, slot Tue-15h running), so
that the board has topics now and next, the signs have teams, the grid a "now" column.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from ptghub.store.store import Store
from tests.browser.conftest import (
    BOARD,
    EVENT,
    LIVE_WAIT,
    LiveServer,
    Tab,
    TabFactory,
    _hermetic_env,
    _ptghub,
)
from tests.browser.rehearsal import serve_on_clock
from tests.browser.test_accessibility import BLOCKING, PAGES, RUN_AXE, STATUS

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
VIEWPORTS = {"phone": PHONE, "laptop": LAPTOP}
TODAY = "grid-2022-04-05"  # the simulated clock's day
RUNNING = "Tue-15h"
# Pages checked for their width only: the API docs are Swagger UI's, whose own styles
# axe-core faults (contrast, nested controls); ptghub only serves them.
WIDTH_ONLY = {"api-docs": "/docs"}
ALL_PAGES = {**PAGES, **WIDTH_ONLY}

# The elements that stick out past the right edge of the screen, for the failure message.
WIDER = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 0.5) {
      out.push(el.tagName.toLowerCase() + "." + el.className + " to " + Math.round(box.right));
    }
  }
  return out.slice(0, 5);
}"""


@pytest.fixture(scope="module")
def rehearsal(live_server: LiveServer) -> Iterator[str]:
    with serve_on_clock(live_server) as url:
        yield url


def _open(new_tab: TabFactory, url: str, viewport: dict[str, int]) -> tuple[Tab, Page]:
    # axe is injected by the test, so this context bypasses the pages' CSP.
    tab = new_tab(base_url=url, viewport=viewport, bypass_csp=True)
    return tab, tab.page


@pytest.mark.timeout(600)
@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
@pytest.mark.parametrize("path", ALL_PAGES.values(), ids=ALL_PAGES.keys())
def test_page_fits_the_screen_and_is_accessible(
    axe_js: Path, new_tab: TabFactory, rehearsal: str, path: str, viewport: dict[str, int]
) -> None:
    tab, page = _open(new_tab, rehearsal, viewport)
    tab.open(path, STATUS.get(path, 200))
    page.wait_for_load_state("load")
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    wider: list[str] = page.evaluate(WIDER) if widths[0] > widths[1] else []
    violations: list[dict[str, Any]] = []
    if path not in WIDTH_ONLY.values():
        page.add_script_tag(path=axe_js)
        violations = page.evaluate(RUN_AXE, list(BLOCKING))

    # A page answered with an error status is itself a "failed" resource to the console.
    errors = [e for e in tab.errors if not (path in STATUS and e.endswith(f"{path}:0)"))]
    assert (widths[0], wider, violations, errors) == (viewport["width"], [], [], [])


def test_board_on_a_phone_shows_cards_and_todays_list(new_tab: TabFactory, rehearsal: str) -> None:
    tab, page = _open(new_tab, rehearsal, PHONE)
    tab.open(BOARD)
    rows = page.locator("[data-live='now-next'] tbody tr")
    card = rows.filter(has=page.locator("td.where:not(:empty)")).first
    # A card: the team on top, then its now/where/... one under the other, labelled.
    team_box, where_box = card.locator("th").bounding_box(), card.locator("td.where").bounding_box()
    assert team_box and where_box and where_box["y"] >= team_box["y"] + team_box["height"] - 1
    label = card.locator("td.where").evaluate("td => getComputedStyle(td, '::before').content")

    today = page.locator(f"#{TODAY}")
    expect(page.locator(".day-tabs [aria-current='true']")).to_have_text("Tuesday 5 April 2022")
    expect(today.locator("table.grid")).to_be_hidden()
    running = today.locator(".grid-list li.now").first
    expect(running).to_be_visible()
    expect(running).to_contain_text(f"{RUNNING} (now)")
    # Only the slots a room can hold: no "unavailable" line in the list.
    assert (label, today.locator(".grid-list li.unavailable").count(), tab.errors) == (
        '"Where: "',
        0,
        [],
    )


def test_board_grid_opens_on_today_and_the_running_slot(
    new_tab: TabFactory, rehearsal: str
) -> None:
    tab, page = _open(new_tab, rehearsal, LAPTOP)
    tab.open(BOARD)
    wrap = page.locator(f"#{TODAY} .grid-wrap")
    now = wrap.locator("thead th.now")
    expect(now).to_contain_text(RUNNING)
    expect(wrap).not_to_have_js_property("scrollLeft", 0)
    # The running slot is in view right of the (sticky) room names; the night's
    # unavailable columns (Tue-00h...) are scrolled away behind them.
    boxes = page.evaluate(
        """(id) => {
          const wrap = document.querySelector("#" + id + " .grid-wrap");
          const head = wrap.querySelector("thead tr").cells;
          const now = wrap.querySelector("thead th.now").getBoundingClientRect();
          const view = wrap.getBoundingClientRect();
          return {rooms: head[0].getBoundingClientRect().right,
                  first: head[1].getBoundingClientRect().right,
                  left: now.left, right: now.right, end: view.right};
        }""",
        TODAY,
    )
    assert (
        boxes["first"] <= boxes["rooms"] + 1,
        boxes["rooms"] - 1 <= boxes["left"],
        boxes["right"] <= boxes["end"] + 1,
        tab.errors,
    ) == (True, True, True, [])


def test_signage_badges_fit_their_cards_at_every_width(new_tab: TabFactory, rehearsal: str) -> None:
    tab, page = _open(new_tab, rehearsal, PHONE)
    tab.open(f"/events/{EVENT}/signage")
    sticking_out = {}
    for width in (320, 390, 600, 768, 1024, 1366, 1920, 2560):
        page.set_viewport_size({"width": width, "height": 900})
        sticking_out[width] = page.evaluate(
            """() => [...document.querySelectorAll(".sign .badge")].filter(badge => {
              const card = badge.closest(".sign").getBoundingClientRect();
              const box = badge.getBoundingClientRect();
              return box.left < card.left - 0.5 || box.right > card.right + 0.5;
            }).map(badge => badge.textContent)"""
        )
    assert page.locator(".sign .badge").count() > 0
    assert (sticking_out, tab.errors) == ({key: [] for key in sticking_out}, [])


@pytest.fixture(scope="module")
def organizer_headers(live_server: LiveServer) -> dict[str, str]:
    """A draft plan of the demo event and an organizer's token to read it."""
    for args in (
        ("plan", "run", "--work-limit", "2", "--at", "2022-04-01"),
        ("role", "grant", "layout-planner", "organizer"),
    ):
        done = subprocess.run(
            _ptghub(live_server.database_url, *args),
            capture_output=True,
            text=True,
            env=_hermetic_env(),
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    store = Store.open(live_server.database_url)
    try:
        secret = store.tokens.create("layout-planner")[1]
    finally:
        store.close()
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_plan_page_fits_the_screen(
    new_tab: TabFactory, rehearsal: str, organizer_headers: dict[str, str], viewport: dict[str, int]
) -> None:
    # Its grids are wider than any screen: they scroll inside their own boxes.
    tab = new_tab(base_url=rehearsal, viewport=viewport, extra_http_headers=organizer_headers)
    page = tab.open(f"/events/{EVENT}/plan")
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    wider: list[str] = page.evaluate(WIDER) if widths[0] > widths[1] else []
    assert page.locator("table.plan-grid").count() > 0
    assert (widths[0], wider, tab.errors) == (viewport["width"], [], [])


def test_board_list_on_a_phone_shows_a_booking_made_elsewhere(
    new_tab: TabFactory, rehearsal: str, live_server: LiveServer
) -> None:
    # The list and the table are one live region: a change reaches the phone's list.
    tab, page = _open(new_tab, rehearsal, PHONE)
    tab.open_live(BOARD)
    cell = page.locator(f"#{TODAY} .grid-list li.free code").last.inner_text()
    room, slot = cell.rsplit("-", 2)[0], "-".join(cell.rsplit("-", 2)[1:])
    team = page.evaluate(
        """([id, slot]) => {
          const table = document.querySelector("#" + id + " table.day-table");
          const col = [...table.tHead.rows[0].cells].findIndex(
            th => th.querySelector(".slot-code code")?.textContent === slot);
          const busy = new Set([...table.tBodies[0].rows].map(
            row => row.cells[col].querySelector(".badge")?.textContent));
          const teams = [...table.querySelectorAll(".badge")].map(b => b.textContent);
          return teams.find(team => !busy.has(team));
        }""",
        [TODAY, slot],
    )
    line = (
        page.locator(f"#{TODAY} .room-day")
        .filter(has=page.locator("h4", has_text=room))
        .locator("li")
        .filter(has_text=slot)
    )
    live_server.cmd("ptg-organizer", f"#{team} book {cell}")
    try:
        expect(line).to_contain_text(f"{team} booked", timeout=LIVE_WAIT)
    finally:
        live_server.cmd("ptg-organizer", f"#{team} unbook {cell}")
    expect(line).to_contain_text(f"free {cell}", timeout=LIVE_WAIT)
    assert tab.errors == []
