"""The organizers' plan page in a real browser: axe-core finds no serious or critical
violation, and the page runs no script of its own that fails."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from ptghub.store.store import Store
from tests.browser.conftest import EVENT, LiveServer, TabFactory, _hermetic_env, _ptghub
from tests.browser.test_accessibility import BLOCKING, RUN_AXE


def test_plan_page_has_no_serious_accessibility_violations(
    axe_js: Path, live_server: LiveServer, new_tab: TabFactory
) -> None:
    # The demo event is over: plan it as it was before it began, so that the draft fills
    # the grid (wider than the page: it must scroll by keyboard too) and marks changes.
    made = subprocess.run(
        _ptghub(live_server.database_url, "plan", "run", "--work-limit", "2", "--at", "2022-04-01"),
        capture_output=True,
        text=True,
        env=_hermetic_env(),
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    # Drafts are for organizers and chairs: the page is read with an organizer's token.
    granted = subprocess.run(
        _ptghub(live_server.database_url, "role", "grant", "planner", "organizer"),
        capture_output=True,
        text=True,
        env=_hermetic_env(),
        timeout=60,
    )
    assert granted.returncode == 0, granted.stderr
    store = Store.open(live_server.database_url)
    try:
        secret = store.tokens.create("planner")[1]
    finally:
        store.close()
    tab = new_tab(bypass_csp=True, extra_http_headers={"Authorization": f"Bearer {secret}"})
    page = tab.open(f"/events/{EVENT}/plan")
    assert page.locator("table.plan-grid").count() == 5  # one per day, in the page
    # one day at a time, like the board: the others are hidden, the tabs switch
    assert page.locator("table.plan-grid:visible").count() == 1
    page.get_by_role("link", name="Wednesday 6 April 2022").click()
    page.wait_for_url("**day=2022-04-06**")
    assert page.locator("section.day:visible h3").all_inner_texts() == ["Wednesday 6 April 2022"]
    page.add_script_tag(path=axe_js)
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE, list(BLOCKING))
    assert (violations, tab.errors) == ([], [])
    # a phone: the page is no wider than the screen (the grid scrolls in its own box)
    phone = new_tab(
        bypass_csp=True,
        extra_http_headers={"Authorization": f"Bearer {secret}"},
        viewport={"width": 390, "height": 844},
    )
    small = phone.open(f"/events/{EVENT}/plan")
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.errors == []
