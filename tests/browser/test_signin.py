"""Signing in in a real browser: ask for a link, open the link read from the mail the
server queued, press "Sign in", land on the page one came from with one's name in the
header; the personal page fits a phone and passes axe-core; signing out works."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from ptghub.store.store import Store
from tests.browser.conftest import BOARD, LiveServer, TabFactory
from tests.browser.test_accessibility import BLOCKING, RUN_AXE
from tests.browser.test_layout import PHONE, WIDER
from tests.web.mailed_links import local, mailed_link


@pytest.fixture
def server_store(live_server: LiveServer) -> Iterator[Store]:
    """The live server's database, read by the test (the mails it queued)."""
    store = Store.open(live_server.database_url)
    yield store
    store.close()


def test_a_person_signs_in_by_mailed_link_and_out_again(
    new_tab: TabFactory, server_store: Store, axe_js: Path
) -> None:
    tab = new_tab(viewport=PHONE, bypass_csp=True)
    page = tab.open(f"/signin?next={BOARD}")
    page.get_by_label("Email address").fill("browser.person@example.org")
    page.get_by_role("button", name="Mail me a sign-in link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your mail")

    page.goto(local(mailed_link(server_store, "browser.person@example.org")))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{BOARD}")
    expect(page.locator("header.site .account a")).to_have_text("browser.person")

    page.locator("header.site .account a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.locator(".sessions li")).to_have_count(1)
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    wider: list[str] = page.evaluate(WIDER) if widths[0] > widths[1] else []
    page.add_script_tag(path=axe_js)
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE, list(BLOCKING))
    assert (widths[0], wider, violations) == (PHONE["width"], [], [])

    page.locator("header.site .account").get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/events/")
    expect(page.locator("header.site .account a")).to_have_text("Sign in")
    assert tab.errors == []
