"""The organizers' forms in a real browser, signed in as an organizer of the demo event:
with JavaScript a form updates its page in place and the board of another browser shows
the change live; without JavaScript the same form posts, comes back, and says the reply.

Each test removes the message it adds (the board test expects the demo's two messages).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from ptghub.core.model import Actor
from ptghub.store.store import Store
from ptghub.web.session import SESSION_COOKIE
from tests.browser.conftest import (
    BOARD,
    EVENT,
    LIVE_WAIT,
    LiveServer,
    TabFactory,
    mark_document,
    same_document,
)

MESSAGES = f"/events/{EVENT}/organize/messages"
ROOT = Actor("root", operator=True)


@pytest.fixture(scope="module")
def session_cookie(live_server: LiveServer) -> dict[str, str]:
    """A signed-in organizer's session cookie, made in the server's database."""
    store = Store.open(live_server.database_url)
    try:
        account = store.accounts.sign_up("browser-organizer@example.org")
        store.run(f"~role grant {account.web_nick} organizer", ROOT, event=EVENT)
        secret = store.accounts.start_session(account.person_id, via="email")
    finally:
        store.close()
    return {"name": SESSION_COOKIE, "value": secret, "url": live_server.url}


@pytest.fixture
def cleanup(live_server: LiveServer) -> Iterator[list[str]]:
    """Messages (texts) a test adds: removed afterwards, whatever happened."""
    added: list[str] = []
    yield added
    store = Store.open(live_server.database_url)
    try:
        for text in added:
            texts = [m.text for m in store.state(EVENT).motd]
            if text in texts:
                store.run(f"~motd del {texts.index(text) + 1}", ROOT, event=EVENT)
    finally:
        store.close()


def test_with_javascript_a_message_is_added_in_place_and_shown_live(
    new_tab: TabFactory, session_cookie: dict[str, str], cleanup: list[str]
) -> None:
    text = "Coffee in the lobby (browser test)"
    cleanup.append(text)
    viewer = new_tab()
    board = viewer.open_live(BOARD)
    tab = new_tab()
    tab.page.context.add_cookies([session_cookie])  # type: ignore[list-item]
    page = tab.open(MESSAGES)
    mark_document(page)
    page.select_option("#motd-level", "success")
    page.fill("#motd-text", text)
    page.get_by_role("button", name="Add").click()
    expect(page.locator("main [data-flash]")).to_have_text("OK, message added.")
    expect(page.locator(".organize-list .motd").last).to_have_text(f"success: {text}")
    expect(board.locator("[data-live='motd'] .motd").last).to_have_text(
        f"success: {text}", timeout=LIVE_WAIT
    )
    assert same_document(page)

    page.get_by_role("button", name="Remove message 3").click()
    expect(page.locator("main [data-flash]")).to_have_text("OK, message 3 deleted.")
    expect(page.locator(".organize-list .motd")).to_have_count(2)
    assert (same_document(page), tab.errors, viewer.errors) == (True, [], [])


def test_without_javascript_the_form_comes_back_with_the_reply(
    new_tab: TabFactory, session_cookie: dict[str, str], cleanup: list[str]
) -> None:
    text = "Lunch at noon (browser test)"
    cleanup.append(text)
    tab = new_tab(java_script_enabled=False)
    tab.page.context.add_cookies([session_cookie])  # type: ignore[list-item]
    page = tab.open(MESSAGES)
    page.fill("#motd-text", text)
    page.get_by_role("button", name="Add").click()
    expect(page).to_have_url(f"{session_cookie['url']}{MESSAGES}")
    expect(page.locator("main [data-flash]")).to_have_text("OK, message added.")
    page.reload()  # shown once
    expect(page.locator("main [data-flash]")).to_be_hidden()
    page.get_by_role("button", name="Remove message 3").click()
    expect(page.locator("main [data-flash]")).to_have_text("OK, message 3 deleted.")
    assert tab.errors == []
