"""Following a team from the board on a phone, and finding it on My PTG (web/follow_box.py,
static/follow.js, web/my_pages.py), in Chromium at 390 px.

The person signs in through a real session made in the server's own database (the sign-in
pages are tested on their own); its cookie is put in the browser context. Each test has a
person of its own, so the follows of one never show in another.
"""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from ptghub.store.store import Store
from ptghub.web.session import SESSION_COOKIE
from tests.browser.conftest import BOARD, EVENT, LiveServer, Tab, TabFactory
from tests.browser.test_layout import PHONE, WIDER

TEAM, NAME = "tacker", "Tacker"


def _signed_in_tab(new_tab: TabFactory, live_server: LiveServer, **options: object) -> Tab:
    store = Store.open(live_server.database_url)
    try:
        account = store.accounts.sign_up(f"follower-{uuid.uuid4().hex[:8]}@example.org")
        secret = store.accounts.start_session(account.person_id, via="email")
    finally:
        store.close()
    tab = new_tab(viewport=PHONE, **options)
    tab.page.context.add_cookies(
        [{"name": SESSION_COOKIE, "value": secret, "url": live_server.url}]
    )
    return tab


def _fits(tab: Tab) -> tuple[int, list[str]]:
    """The page's scroll width, and what sticks out past the screen."""
    page = tab.page
    width = page.evaluate("document.documentElement.scrollWidth")
    return width, page.evaluate(WIDER) if width > PHONE["width"] else []


def test_a_person_follows_a_team_from_the_board_and_sees_it_on_my_ptg(
    new_tab: TabFactory, live_server: LiveServer
) -> None:
    tab = _signed_in_tab(new_tab, live_server)
    page = tab.open(BOARD)
    follow = page.locator("#follow")
    follow.get_by_label("Team to follow").select_option(TEAM)
    follow.get_by_role("button", name="Follow", exact=True).click()
    # follow.js sent it with fetch: the part is redrawn, the page not reloaded.
    expect(page.locator("#follow-reply")).to_have_text(
        f"You follow {NAME} now: its sessions are on My PTG."
    )
    expect(page.locator("#follow").get_by_role("button", name=f"Unfollow {NAME}")).to_be_visible()
    assert _fits(tab) == (PHONE["width"], [])

    page.get_by_role("navigation", name="Event").get_by_role("link", name="My PTG").click()
    expect(page).to_have_url(f"{live_server.url}/events/{EVENT}/my")
    card = page.locator(".my-card").filter(has=page.get_by_role("link", name=NAME))
    expect(card).to_have_count(1)
    expect(card.locator("dd.etherpad a")).to_have_text("Etherpad")
    sessions = page.locator(".my-session").filter(has=page.get_by_role("link", name=NAME))
    expect(sessions.first).to_be_visible()
    assert _fits(tab) == (PHONE["width"], [])
    assert tab.errors == []


def test_without_javascript_the_follow_button_posts_and_comes_back(
    new_tab: TabFactory, live_server: LiveServer
) -> None:
    tab = _signed_in_tab(new_tab, live_server, java_script_enabled=False)
    page = tab.open(f"/events/{EVENT}/teams/{TEAM}")
    page.get_by_role("button", name=f"Follow {NAME}").click()
    expect(page).to_have_url(f"{live_server.url}/events/{EVENT}/teams/{TEAM}")
    expect(page.locator("p.flash")).to_have_text(
        f"You follow {NAME} now: its sessions are on My PTG."
    )
    expect(page.get_by_role("button", name=f"Unfollow {NAME}")).to_be_visible()
