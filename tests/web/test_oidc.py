"""Sign-in with OpenID Connect, end to end: a real ptghub server (uvicorn), a real
certified provider (oidc-provider under Node.js, tests/oidc/), and an HTTP client acting
as the browser: it follows the redirects, fills the provider's login form and keeps both
sites' cookies."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from ptghub.settings import Settings
from ptghub.store.oidc_identities import identities
from ptghub.store.store import Store
from ptghub.web.app import create_app
from ptghub.web.oidc import same_site_path
from ptghub.web.session import SESSION_COOKIE
from tests.oidc.provider import (
    ALICE,
    BOB,
    CAROL,
    RunningProvider,
    User,
    running_provider,
    served_with_provider,
)
from tests.web.serving import bound_socket, serving


@dataclass(frozen=True, slots=True)
class Site:
    url: str
    provider: RunningProvider
    store: Store


@pytest.fixture
def site(store: Store) -> Iterator[Site]:
    """ptghub served with the test provider as its OpenID Connect provider."""
    with served_with_provider(store) as (running, provider):
        yield Site(running.url, provider, store)


@pytest.fixture
def browser() -> Iterator[httpx.Client]:
    with httpx.Client(follow_redirects=False, timeout=20) as client:
        yield client


def follow(browser: httpx.Client, answer: httpx.Response, *, until: str = "") -> httpx.Response:
    """Follow redirects from ``answer``; stop before one that leads to ``until``."""
    while answer.is_redirect:
        target = str(answer.next_request.url) if answer.next_request else ""
        if until and target.startswith(until):
            return answer
        answer = browser.get(target)
    return answer


def at_provider(browser: httpx.Client, site: Site, next_path: str = "/events/") -> httpx.Response:
    """Start signing in on ptghub; the provider's login page."""
    answer = browser.get(f"{site.url}/signin/oidc", params={"next": next_path})
    assert answer.status_code == 303
    assert answer.headers["location"].startswith(f"{site.provider.issuer}/auth?")
    page = follow(browser, answer)
    assert page.status_code == 200
    assert "Sign in to the test provider" in page.text
    return page


def form_action(page: httpx.Response, index: int = 0) -> str:
    return re.findall(r'<form method="post" action="([^"]+)"', page.text)[index]


def callback_url(browser: httpx.Client, site: Site, user: User, next_path: str = "/") -> str:
    """Sign ``user`` in at the provider; the address it sends the browser back to."""
    page = at_provider(browser, site, next_path)
    answer = browser.post(
        site.provider.issuer + form_action(page),
        data={"login": user.login, "password": user.password},
    )
    back = follow(browser, answer, until=site.url)
    assert back.is_redirect and back.next_request is not None
    return str(back.next_request.url)


def refusal(answer: httpx.Response) -> str:
    """The message of ptghub's error page."""
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    found = re.search(r'<p class="error-message">(.*?)</p>', answer.text, re.S)
    assert found is not None, answer.text
    return html.unescape(found.group(1))


def signed_in_person(site: Site, browser: httpx.Client) -> int | None:
    secret = browser.cookies.get(SESSION_COOKIE)
    session = site.store.accounts.session(secret) if secret else None
    return session.person_id if session else None


def test_first_oidc_sign_in_links_the_person_who_verified_the_same_address(
    site: Site, browser: httpx.Client
) -> None:
    alice = site.store.accounts.sign_up("alice@example.org")
    back = browser.get(callback_url(browser, site, ALICE, "/events/"))
    assert (back.status_code, back.headers["location"]) == (303, "/events/")
    assert signed_in_person(site, browser) == alice.person_id
    [session] = site.store.accounts.sessions(alice.person_id)
    assert session.via == "oidc"
    assert identities(site.store.accounts, alice.person_id) == [
        (site.provider.issuer, ALICE.sub, ALICE.email)
    ]


def test_a_later_oidc_sign_in_finds_the_person_by_subject(site: Site) -> None:
    alice = site.store.accounts.sign_up("alice@example.org")
    for _ in range(2):  # each time in a new browser: the provider asks again
        with httpx.Client(follow_redirects=False) as browser:
            assert browser.get(callback_url(browser, site, ALICE)).status_code == 303
            assert signed_in_person(site, browser) == alice.person_id
    assert len(site.store.accounts.sessions(alice.person_id)) == 2
    assert len(identities(site.store.accounts, alice.person_id)) == 1


def test_first_oidc_sign_in_with_a_new_verified_address_creates_the_person(
    site: Site, browser: httpx.Client
) -> None:
    back = browser.get(callback_url(browser, site, BOB))
    assert (back.status_code, back.headers["location"]) == (303, "/")
    person = site.store.accounts.person_of(BOB.email)
    assert person is not None and signed_in_person(site, browser) == person
    account = site.store.accounts.account(person)
    assert (account.display_name, account.addresses) == ("Bob Builder", (BOB.email,))


def test_oidc_sign_in_without_a_verified_address_is_refused(
    site: Site, browser: httpx.Client
) -> None:
    back = browser.get(callback_url(browser, site, CAROL))
    assert back.status_code == 403
    assert refusal(back) == (
        "Your account at the provider has no verified email address, and ptghub needs one "
        "the first time you sign in (to know whether you already have an account here). "
        "Verify your address with the provider, then sign in again; or sign in with an "
        "emailed link."
    )
    assert signed_in_person(site, browser) is None
    assert site.store.accounts.person_of(CAROL.email) is None


def with_state(url: str, state: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()} | {"state": state}
    return parts._replace(query=urlencode(query)).geturl()


def test_a_callback_with_another_state_is_refused(site: Site, browser: httpx.Client) -> None:
    site.store.accounts.sign_up("alice@example.org")
    url = callback_url(browser, site, ALICE)
    back = browser.get(with_state(url, "not-the-state-this-browser-sent"))
    assert back.status_code == 400
    assert refusal(back) == (
        "The answer's state is not the one this browser's sign-in started with: it belongs "
        "to another sign-in. Start the sign-in again."
    )
    assert signed_in_person(site, browser) is None


def test_a_callback_opened_in_another_browser_is_refused(site: Site, browser: httpx.Client) -> None:
    url = callback_url(browser, site, ALICE)
    with httpx.Client(follow_redirects=False) as other:
        back = other.get(url)
    assert back.status_code == 400
    assert refusal(back) == (
        "This sign-in did not start in this browser, or it started more than ten minutes "
        "ago, or it was already used. Start the sign-in again."
    )
    assert other.cookies.get(SESSION_COOKIE) is None
    assert site.store.accounts.person_of(ALICE.email) is None


def test_a_callback_is_used_once(site: Site, browser: httpx.Client) -> None:
    url = callback_url(browser, site, ALICE)
    assert browser.get(url).status_code == 303
    browser.cookies.delete(SESSION_COOKIE)
    again = browser.get(url)
    assert again.status_code == 400
    assert refusal(again).startswith("This sign-in did not start in this browser")
    assert signed_in_person(site, browser) is None


def test_cancelling_at_the_provider_gives_a_clear_page(site: Site, browser: httpx.Client) -> None:
    page = at_provider(browser, site)
    answer = browser.post(site.provider.issuer + form_action(page, 1))
    back = follow(browser, answer)
    assert back.url.path == "/signin/oidc/callback"
    assert back.status_code == 403
    assert refusal(back) == (
        "Signing in with Test ID was cancelled, or Test ID did not allow it; you are not "
        "signed in. It said: The user cancelled the sign-in."
    )
    assert "Sign-in cancelled" in back.text
    assert signed_in_person(site, browser) is None


def test_after_signing_in_the_browser_goes_only_to_a_page_of_this_site(
    site: Site, browser: httpx.Client
) -> None:
    back = browser.get(callback_url(browser, site, BOB, "https://evil.example/steal"))
    assert (back.status_code, back.headers["location"]) == (303, "/")


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("/events/ptg/board?day=2022-04-05", "/events/ptg/board?day=2022-04-05"),
        (None, "/"),
        ("", "/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("/events/\nSet-Cookie: x", "/"),
        ("/" + "a" * 1000, "/"),
    ],
)
def test_the_page_after_signing_in_is_a_path_of_this_site(given: str | None, kept: str) -> None:
    assert same_site_path(given) == kept


def test_oidc_sign_in_is_not_found_when_no_provider_is_set(client: TestClient) -> None:
    for path in ("/signin/oidc", "/signin/oidc/callback?code=x&state=y"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 404
        assert "Sign-in with OpenID Connect is not set up on this site" in answer.text


def test_an_error_answer_that_this_browser_did_not_ask_for_shows_no_strangers_text(
    site: Site, browser: httpx.Client
) -> None:
    forged = browser.get(
        f"{site.url}/signin/oidc/callback",
        params={"error": "access_denied", "error_description": "Call +1 555 0100 to sign in"},
    )
    assert forged.status_code == 403
    assert refusal(forged) == (
        "Signing in with Test ID was cancelled, or Test ID did not allow it; you are not signed in."
    )


def test_a_state_with_characters_no_browser_sent_is_refused_like_any_other(
    site: Site, browser: httpx.Client
) -> None:
    url = callback_url(browser, site, ALICE)
    back = browser.get(with_state(url, "é-not-ascii"))
    assert back.status_code == 400
    assert refusal(back).startswith("The answer's state is not the one this browser's")


def test_with_a_public_url_the_provider_sends_the_browser_back_to_it(store: Store) -> None:
    sock = bound_socket()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        with running_provider(f"{url}/signin/oidc/callback") as provider:
            settings = Settings(
                public_url=url,
                oidc_issuer=provider.issuer,
                oidc_client_id=provider.client_id,
                oidc_client_secret=provider.client_secret,
            )
            with serving(create_app(store, settings), sock=sock):
                site = Site(url, provider, store)
                with httpx.Client(follow_redirects=False) as browser:
                    back = callback_url(browser, site, BOB)
                    assert back.startswith(f"{url}/signin/oidc/callback?")
                    assert browser.get(back).status_code == 303
                    assert signed_in_person(site, browser) == store.accounts.person_of(BOB.email)
    finally:
        sock.close()


def test_a_provider_that_cannot_be_reached_gives_a_clear_page(store: Store) -> None:
    closed = bound_socket()  # bound, never listening: connections to it are refused
    issuer = f"http://127.0.0.1:{closed.getsockname()[1]}"
    settings = Settings(oidc_issuer=issuer, oidc_client_id="c", oidc_client_secret="s")
    try:
        with TestClient(create_app(store, settings)) as client:
            answer = client.get("/signin/oidc", follow_redirects=False)
    finally:
        closed.close()
    assert answer.status_code == 502
    assert refusal(answer) == (
        "The sign-in provider could not be reached for its discovery document "
        "(ConnectError); try again in a moment."
    )
