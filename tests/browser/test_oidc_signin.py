"""Signing in with OpenID Connect in headless Chromium: ptghub served by uvicorn with the
test provider (oidc-provider under Node.js, tests/oidc/) as its provider; the person fills
the provider's login form and comes back signed in, on the page they started from."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from ptghub.store.oidc_identities import identities
from ptghub.store.store import Store
from ptghub.web.session import SESSION_COOKIE
from tests.oidc.provider import ALICE, RunningProvider, served_with_provider
from tests.web.serving import Running


@pytest.fixture
def site(store: Store) -> Iterator[tuple[Running, RunningProvider]]:
    with served_with_provider(store) as site:
        yield site


def test_a_person_signs_in_with_openid_connect_in_a_browser(
    browser: Browser, store: Store, site: tuple[Running, RunningProvider]
) -> None:
    running, provider = site
    alice = store.accounts.sign_up(ALICE.email)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{running.url}/signin/oidc?next=/events/")
        expect(page).to_have_url(re.compile(re.escape(provider.issuer) + "/interaction/"))
        page.get_by_label("User name").fill(ALICE.login)
        page.get_by_label("Password").fill(ALICE.password)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(f"{running.url}/events/")
        [cookie] = [c for c in context.cookies(running.url) if c["name"] == SESSION_COOKIE]
        assert (cookie["httpOnly"], cookie["sameSite"]) == (True, "Lax")
        session = store.accounts.session(cookie["value"])
        assert session is not None
        assert (session.person_id, session.via) == (alice.person_id, "oidc")
        assert identities(store.accounts, alice.person_id) == [
            (provider.issuer, ALICE.sub, ALICE.email)
        ]
    finally:
        context.close()
