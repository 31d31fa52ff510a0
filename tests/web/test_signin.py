"""Signing in by emailed link (web/signin_pages.py): the whole flow, the link refused for
each reason with a page saying so, no page telling whether an address has an account,
no redirect to another site, signing out."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from ptghub.settings import Settings
from ptghub.store.store import Store
from ptghub.web.app import create_app
from ptghub.web.session import SESSION_COOKIE
from tests.support import Clock
from tests.web.mailed_links import (
    ask_link,
    hidden_fields,
    local,
    mailed_link,
    mails,
    main_text,
    open_link,
    sign_in_by_mail,
)

BOARD = "/events/test-ptg/board"


@pytest.fixture
def browser(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as client:
        yield client


def test_a_person_signs_in_with_the_link_mailed_to_them(browser: TestClient, store: Store) -> None:
    asked = ask_link(browser, "Ann@Example.org", BOARD)
    assert (asked.status_code, main_text(asked)) == (
        200,
        "Check your mail If Ann@Example.org can receive mail, a sign-in link is on its way to "
        "it. Open the link in this browser within 15 minutes. It works once. Nothing there "
        "after a few minutes? Look in your spam folder, or ask for a new link .",
    )
    [mail] = mails(store)
    link = mailed_link(store, "Ann@Example.org")
    assert (mail.subject, mail.kind, mail.state) == ("Your sign-in link", "sign-in", "queued")
    assert link.startswith("http://testserver/signin/link?token=")
    assert link.endswith("&next=%2Fevents%2Ftest-ptg%2Fboard")

    page = browser.get(local(link))
    assert main_text(page) == "Sign in Sign in as Ann@Example.org ? Sign in"
    signed = browser.post("/signin/link", data=hidden_fields(page.text, "/signin/link"))
    assert signed.history[0].status_code == 303
    assert signed.history[0].headers["location"] == BOARD
    assert 'href="/me">Ann</a>' in signed.text  # the header names the person
    me = browser.get("/me")
    assert (me.status_code, "Ann@Example.org" in main_text(me)) == (200, True)
    session = store.accounts.sessions(store.accounts.person_of("ann@example.org") or 0)
    assert [(s.via, s.user_agent) for s in session] == [("email", "testclient")]


def test_the_first_sign_in_makes_the_account_and_the_next_ones_reuse_it(
    browser: TestClient, store: Store
) -> None:
    assert store.accounts.person_of("ann@example.org") is None
    sign_in_by_mail(browser, store, "ann@example.org")
    person = store.accounts.person_of("ann@example.org")
    sign_in_by_mail(browser, store, "ANN@example.org")
    assert person is not None and store.accounts.person_of("ann@example.org") == person
    assert len(store.accounts.sessions(person)) == 1  # the first session ended: same browser


def test_without_next_the_person_lands_on_their_page(browser: TestClient, store: Store) -> None:
    answer = sign_in_by_mail(browser, store, "ann@example.org")
    assert (answer.status_code, answer.headers["location"]) == (303, "/me")
    assert "next=" not in mailed_link(store, "ann@example.org")


def test_a_mail_scanner_opening_the_link_uses_nothing(browser: TestClient, store: Store) -> None:
    ask_link(browser, "ann@example.org")
    link = mailed_link(store, "ann@example.org")
    with TestClient(browser.app) as scanner:
        assert scanner.get(local(link)).status_code == 403  # another browser: told so
    assert browser.get(local(link)).status_code == 200
    assert open_link(browser, link).status_code == 303


def _refusal(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, main_text(response)


def test_a_link_used_twice_is_refused_with_a_page_saying_so(
    browser: TestClient, store: Store
) -> None:
    ask_link(browser, "ann@example.org")
    link = mailed_link(store, "ann@example.org")
    page = browser.get(local(link))
    fields = hidden_fields(page.text, "/signin/link")
    assert browser.post("/signin/link", data=fields, follow_redirects=False).status_code == 303
    fields = hidden_fields(browser.get("/signin").text, "/signin") | {"token": fields["token"]}
    again = browser.post("/signin/link", data=fields)
    assert _refusal(again) == (
        410,
        "This link was already used This link has already been used: each link works only "
        "once. Ask for a new sign-in link",
    )
    assert 'href="/signin">Ask for a new sign-in link' in again.text
    assert _refusal(browser.get(local(link)))[0] == 410


def test_an_expired_link_is_refused_with_a_page_saying_so(
    browser: TestClient, store: Store, clock: Clock
) -> None:
    ask_link(browser, "ann@example.org", BOARD)
    link = mailed_link(store, "ann@example.org")
    page = browser.get(local(link))
    clock.advance(minutes=15)
    refused = browser.post("/signin/link", data=hidden_fields(page.text, "/signin/link"))
    assert _refusal(refused) == (
        410,
        "This link has expired This link has expired: a link works for 15 minutes. Ask for a "
        "new sign-in link",
    )
    assert 'href="/signin?next=%2Fevents%2Ftest-ptg%2Fboard"' in refused.text
    assert browser.cookies.get(SESSION_COOKIE) is None


def test_a_link_opened_in_another_browser_is_refused_there_and_works_in_its_own(
    browser: TestClient, store: Store
) -> None:
    ask_link(browser, "ann@example.org")
    link = mailed_link(store, "ann@example.org")
    token = dict(p.split("=", 1) for p in local(link).split("?", 1)[1].split("&"))["token"]
    with TestClient(browser.app) as other:
        shown = other.get(local(link))
        fields = hidden_fields(other.get("/signin").text, "/signin") | {"token": token}
        used = other.post("/signin/link", data=fields)
        assert (_refusal(shown), _refusal(used)) == (
            (
                403,
                "Open this link in the browser that asked for it This link was asked for in "
                "another browser: it works only in the browser where you asked for it. Ask for "
                "a new sign-in link",
            ),
        ) * 2
        assert other.cookies.get(SESSION_COOKIE) is None
    assert open_link(browser, link).status_code == 303


def test_a_tampered_link_is_refused_with_a_page_saying_so(
    browser: TestClient, store: Store
) -> None:
    ask_link(browser, "ann@example.org")
    link = local(mailed_link(store, "ann@example.org"))
    tampered = link[:-1] + ("A" if link[-1] != "A" else "B")
    assert _refusal(browser.get(tampered)) == (
        400,
        "This link does not work This link is not one we sent, or it was cut or changed on "
        "the way (copy the whole link from the mail). Ask for a new sign-in link",
    )
    fields = hidden_fields(browser.get("/signin").text, "/signin") | {"token": "forged"}
    assert browser.post("/signin/link", data=fields).status_code == 400
    assert browser.cookies.get(SESSION_COOKIE) is None


def test_the_answer_never_tells_whether_an_address_has_an_account(
    browser: TestClient, store: Store
) -> None:
    store.accounts.sign_up("known@example.org")
    known = ask_link(browser, "known@example.org")
    unknown = ask_link(browser, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert main_text(known).replace("known@", "X@") == main_text(unknown).replace("nobody@", "X@")
    assert [m.to_address for m in mails(store)] == ["known@example.org", "nobody@example.org"]


def test_a_malformed_address_is_refused_on_the_form_and_nothing_is_mailed(
    browser: TestClient, store: Store
) -> None:
    answer = ask_link(browser, "ann at example")
    assert answer.status_code == 400
    assert "'ann at example' is not an email address; write it as name@example.org." in (
        main_text(answer)
    )
    assert 'value="ann at example"' in answer.text and 'aria-invalid="true"' in answer.text
    assert mails(store) == []


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "me"],
)
def test_a_next_address_off_the_site_is_refused_everywhere(
    browser: TestClient, store: Store, target: str
) -> None:
    assert browser.get("/signin", params={"next": target}).status_code == 400
    fields = hidden_fields(browser.get("/signin").text, "/signin")
    asked = browser.post("/signin", data=fields | {"email": "a@example.org", "next": target})
    assert ("is not a page of this site" in main_text(asked), mails(store)) == (True, [])
    ask_link(browser, "ann@example.org")
    link = mailed_link(store, "ann@example.org")
    fields = hidden_fields(browser.get(local(link)).text, "/signin/link") | {"next": target}
    used = browser.post("/signin/link", data=fields, follow_redirects=False)
    assert (used.status_code, browser.cookies.get(SESSION_COOKIE)) == (400, None)
    assert open_link(browser, link).headers["location"] == "/me"  # the link was not used up


def test_a_sign_in_form_without_its_token_or_from_another_site_is_refused(
    browser: TestClient, store: Store
) -> None:
    fields = hidden_fields(browser.get("/signin").text, "/signin") | {"email": "a@example.org"}
    for data, headers in (
        ({**fields, "csrf": ""}, {}),
        ({**fields, "csrf": "0" * 64}, {}),
        ({k: v for k, v in fields.items() if k != "csrf"}, {}),
        (fields, {"Sec-Fetch-Site": "cross-site"}),
        (fields, {"Origin": "https://evil.example"}),
    ):
        refused = browser.post("/signin", data=data, headers=headers)
        assert refused.status_code == 403
    assert mails(store) == []
    assert browser.post("/signin", data=fields).status_code == 200


def test_a_link_pressed_without_the_pages_token_is_refused_and_not_used(
    browser: TestClient, store: Store
) -> None:
    ask_link(browser, "ann@example.org")
    link = mailed_link(store, "ann@example.org")
    fields = hidden_fields(browser.get(local(link)).text, "/signin/link")
    refused = browser.post("/signin/link", data={**fields, "csrf": "wrong"})
    assert (refused.status_code, "security token" in main_text(refused)) == (403, True)
    assert open_link(browser, link).status_code == 303


def test_signing_out_ends_the_session(browser: TestClient, store: Store) -> None:
    sign_in_by_mail(browser, store, "ann@example.org")
    person = store.accounts.person_of("ann@example.org") or 0
    page = browser.get("/events/")
    refused = browser.post("/signout", data={"csrf": "wrong"})
    assert (refused.status_code, len(store.accounts.sessions(person))) == (403, 1)
    out = browser.post(
        "/signout", data=hidden_fields(page.text, "/signout"), follow_redirects=False
    )
    assert (out.status_code, out.headers["location"]) == (303, "/events/")
    assert store.accounts.sessions(person) == []
    after = browser.get("/events/")
    assert 'href="/signin?next=/events/">Sign in</a>' in after.text


def test_the_session_cookie_is_http_only_and_same_site_lax(
    browser: TestClient, store: Store
) -> None:
    cookie = sign_in_by_mail(browser, store, "ann@example.org").headers["set-cookie"]
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=lax", "path=/"} <= flags
    assert "secure" not in flags


def test_over_https_cookies_are_secure_and_links_use_the_public_address(store: Store) -> None:
    settings = Settings.model_construct(public_url="https://ptg.example.org")
    with TestClient(create_app(store, settings), base_url="https://ptg.example.org") as client:
        page = client.get("/signin")
        assert "secure" in page.headers["set-cookie"].lower()  # the browser cookie
        client.post("/signin", data=hidden_fields(page.text, "/signin") | {"email": "a@b.org"})
        link = mailed_link(store, "a@b.org")
        assert link.startswith("https://ptg.example.org/signin/link?token=")
        cookie = open_link(client, link).headers["set-cookie"]
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=lax", "secure"} <= flags


def test_every_page_says_who_is_signed_in(browser: TestClient, store: Store) -> None:
    anonymous = browser.get("/events/test-ptg/board?tz=UTC")
    assert 'href="/signin?next=/events/test-ptg/board%3Ftz%3DUTC">Sign in</a>' in anonymous.text
    sign_in_by_mail(browser, store, "ann@example.org")
    for path in ("/events/", "/events/test-ptg/", "/events/test-ptg/teams/nova", "/nowhere"):
        page = browser.get(path)
        assert ('<a href="/me">ann</a>' in page.text, 'action="/signout"' in page.text) == (
            True,
            True,
        ), path


def test_an_oidc_provider_is_offered_when_configured(store: Store) -> None:
    plain = TestClient(create_app(store)).get("/signin?next=/me")
    assert "Sign in with" not in plain.text
    settings = Settings.model_construct(
        public_url=None, oidc_issuer="https://id.openinfra.dev/", oidc_name="OpenInfra ID"
    )
    offered = TestClient(create_app(store, settings)).get("/signin", params={"next": BOARD})
    assert (
        '<a class="button" href="/signin/oidc?next=%2Fevents%2Ftest-ptg%2Fboard">'
        "Sign in with OpenInfra ID</a>"
    ) in offered.text


def test_a_page_made_for_a_signed_in_person_is_kept_by_no_shared_cache(
    browser: TestClient, store: Store
) -> None:
    assert "cache-control" not in browser.get("/events/test-ptg/").headers
    sign_in_by_mail(browser, store, "ann@example.org")
    assert browser.get("/events/test-ptg/").headers["cache-control"] == "private, no-store"
    assert browser.get("/me").headers["cache-control"] == "no-store"  # the page's own
