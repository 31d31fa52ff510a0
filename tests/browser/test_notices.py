"""Personal notices in a real browser: a signed-in follower who chose the browser sees a
toast (role="status") on any open page when the team they follow goes now."""

from __future__ import annotations

import uuid

from playwright.sync_api import Response, expect

from ptghub.store.store import Store
from ptghub.web.notice_stream import PATH
from ptghub.web.session import SESSION_COOKIE
from tests.browser.conftest import EVENT, LiveServer, TabFactory
from tests.follows import choose, follow

TEAM = "barbican"


def _follower(live_server: LiveServer, **channels: bool) -> str:
    """A person following TEAM with ``channels``; their session's secret."""
    store = Store.open(live_server.database_url)
    try:
        person = store.accounts.sign_up(f"fan-{uuid.uuid4().hex[:8]}@example.org").person_id
        follow(store, person, "team", TEAM, event=EVENT)
        choose(store, person, **channels)
        return store.accounts.start_session(person, via="email")
    finally:
        store.close()


def _notices_stream(response: Response) -> bool:
    return response.url.endswith(PATH)


def test_a_follower_sees_a_toast_on_an_open_page_when_the_team_goes_now(
    new_tab: TabFactory, live_server: LiveServer
) -> None:
    secret = _follower(live_server, browser=True)
    tab = new_tab(viewport={"width": 390, "height": 844})
    tab.page.context.add_cookies(
        [{"name": SESSION_COOKIE, "value": secret, "url": live_server.url}]
    )
    with tab.page.expect_response(_notices_stream) as stream:
        page = tab.open(f"/events/{EVENT}/rooms")
    assert stream.value.status == 200
    topic = f"Toast {uuid.uuid4().hex[:6]}"

    live_server.cmd("ptg-organizer", f"#{TEAM} now {topic}")

    toast = page.get_by_role("status").get_by_text(topic)
    expect(toast).to_contain_text(f"Barbican (#{TEAM}) is now on: {topic}", timeout=20_000)
    link = page.get_by_role("status").get_by_role("link", name=f"Barbican (#{TEAM})")
    expect(link).to_have_attribute("href", f"/events/{EVENT}/teams/{TEAM}")
    assert tab.errors == []
