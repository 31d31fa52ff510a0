"""The organizers' plan page in a real browser: axe-core finds no serious or critical
violation, and the page runs no script of its own that fails."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from tests.browser.conftest import EVENT, LiveServer, TabFactory, _hermetic_env, _ptghub
from tests.browser.test_accessibility import BLOCKING, RUN_AXE


def test_plan_page_has_no_serious_accessibility_violations(
    axe_js: Path, live_server: LiveServer, new_tab: TabFactory
) -> None:
    # The server's clock is today's: the demo event is over, so the draft keeps every
    # cell as it is (all frozen), which still shows the page's grid, tables and marks.
    made = subprocess.run(
        _ptghub(live_server.database_url, "plan", "run", "--time-limit", "2"),
        capture_output=True,
        text=True,
        env=_hermetic_env(),
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    tab = new_tab(bypass_csp=True)
    page = tab.open(f"/events/{EVENT}/plan")
    assert page.locator("table.plan-grid").count() == 5  # one per day
    page.add_script_tag(path=axe_js)
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE, list(BLOCKING))
    assert (violations, tab.errors) == ([], [])
