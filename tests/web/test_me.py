"""The personal page (web/me_pages.py): only its person sees it; name, chat identities,
sessions (end one, sign out everywhere)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ptghub.store.store import Store
from ptghub.web.app import create_app
from tests.web.mailed_links import hidden_fields, mails, main_text
from tests.web.signing_in import sign_in


@pytest.fixture
def browser(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as client:
        yield client


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in_and_back(browser: TestClient) -> None:
    answer = browser.get("/me", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/signin?next=%2Fme")


def test_the_page_shows_the_persons_addresses_identities_tokens_and_sessions(
    browser: TestClient, store: Store
) -> None:
    me = sign_in(browser, store, "ann@example.org")
    store.tokens.create(me.account.web_nick, label="my laptop")
    page = browser.get("/me")
    text = main_text(page)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    for shown in (
        "Your email addresses You sign in with any of them. ann@example.org (your only address",
        "Your chat identities Roles granted to any of these hold for all of them, on the web "
        "too. ann@web (you act as this on the web) Link an IRC nick or a Matrix id",
        "#1 my laptop made Mon 4 Apr 13:30 UTC · never used · active Revoke",
        "(this browser) by email link · since Mon 4 Apr 13:30 UTC · last seen Mon 4 Apr 13:30 "
        "UTC Sign out",
    ):
        assert shown in text
    assert 'href="/me/chat"' in page.text


def test_a_person_changes_their_name(browser: TestClient, store: Store) -> None:
    me = sign_in(browser, store, "ann@example.org")
    done = browser.post("/me/name", data=me.form(name="Ann <Example>"), follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/me?done=name")
    page = browser.get("/me?done=name")
    assert "Your name is saved." in main_text(page)
    assert '<a href="/me">Ann &lt;Example&gt;</a>' in page.text  # escaped, in the header
    refused = browser.post("/me/name", data=me.form(name="  "))
    assert refused.status_code == 400
    assert store.accounts.account(me.account.person_id).display_name == "Ann <Example>"


def test_a_person_ends_a_session_of_another_browser(store: Store) -> None:
    app = create_app(store)
    with TestClient(app) as laptop, TestClient(app) as phone:
        me = sign_in(laptop, store, "ann@example.org")
        sign_in(phone, store, "ann@example.org")
        sessions = store.accounts.sessions(me.account.person_id)
        other = next(s.id for s in sessions if s.id != _session_id(store, me.session))
        assert len(sessions) == 2
        ended = laptop.post(f"/me/sessions/{other}/end", data=me.form(), follow_redirects=False)
        assert (ended.status_code, ended.headers["location"]) == (303, "/me?done=session-ended")
        assert phone.get("/me", follow_redirects=False).status_code == 303  # signed out
        assert laptop.get("/me").status_code == 200
        again = laptop.post(f"/me/sessions/{other}/end", data=me.form())
        assert (again.status_code, "You have no open session" in main_text(again)) == (404, True)


def _session_id(store: Store, secret: str) -> int:
    found = store.accounts.session(secret)
    assert found is not None
    return found.id


def test_a_person_cannot_end_someone_elses_session(store: Store) -> None:
    app = create_app(store)
    with TestClient(app) as ann_browser, TestClient(app) as bob_browser:
        ann = sign_in(ann_browser, store, "ann@example.org")
        bob = sign_in(bob_browser, store, "bob@example.org")
        bobs = _session_id(store, bob.session)
        refused = ann_browser.post(f"/me/sessions/{bobs}/end", data=ann.form())
        assert refused.status_code == 404
        assert bob_browser.get("/me").status_code == 200


def test_ending_this_browsers_own_session_signs_it_out(browser: TestClient, store: Store) -> None:
    me = sign_in(browser, store, "ann@example.org")
    mine = _session_id(store, me.session)
    ended = browser.post(f"/me/sessions/{mine}/end", data=me.form(), follow_redirects=False)
    assert (ended.status_code, ended.headers["location"]) == (303, "/events/")
    assert browser.get("/me", follow_redirects=False).status_code == 303


def test_signing_out_everywhere_ends_every_session(store: Store) -> None:
    app = create_app(store)
    with TestClient(app) as laptop, TestClient(app) as phone:
        me = sign_in(laptop, store, "ann@example.org")
        sign_in(phone, store, "ann@example.org")
        page = laptop.get("/me")
        fields = hidden_fields(page.text, "/me/sessions/signout-everywhere")
        out = laptop.post("/me/sessions/signout-everywhere", data=fields)
        assert (
            out.status_code,
            main_text(out).startswith("Sign in You are signed out in every"),
        ) == (
            200,
            True,
        )
        assert store.accounts.sessions(me.account.person_id) == []
        assert phone.get("/me", follow_redirects=False).status_code == 303


ROUTES = [
    ("/me/name", {"name": "Mallory"}),
    ("/me/addresses", {"email": "mallory@example.org"}),
    ("/me/addresses/remove", {"email": "ann@example.org"}),
    ("/me/tokens", {"label": "mallory's"}),
    ("/me/sessions/1/end", {}),
    ("/me/sessions/signout-everywhere", {}),
]


def _unchanged(store: Store, person: int) -> tuple[object, ...]:
    account = store.accounts.account(person)
    return (
        account.display_name,
        account.addresses,
        [s.id for s in store.accounts.sessions(person)],
        store.profiles.tokens_of(person),
    )


@pytest.mark.parametrize(("path", "fields"), ROUTES, ids=[r[0] for r in ROUTES])
def test_a_personal_form_without_its_token_or_from_another_site_changes_nothing(
    browser: TestClient, store: Store, path: str, fields: dict[str, str]
) -> None:
    me = sign_in(browser, store, "ann@example.org")
    store.profiles.add_address(me.account.person_id, "ann@work.example")
    before = _unchanged(store, me.account.person_id)
    for data, headers in (
        (fields, {}),
        ({**fields, "csrf": "f" * 64}, {}),
        (me.form(**fields), {"Sec-Fetch-Site": "cross-site"}),
        (me.form(**fields), {"Origin": "https://evil.example"}),
    ):
        refused = browser.post(path, data=data, headers=headers)
        assert refused.status_code == 403, (data, headers)
        assert main_text(refused).startswith("Refused ")
    assert _unchanged(store, me.account.person_id) == before


@pytest.mark.parametrize(("path", "fields"), ROUTES, ids=[r[0] for r in ROUTES])
def test_a_personal_form_posted_by_nobody_is_refused(
    browser: TestClient, store: Store, path: str, fields: dict[str, str]
) -> None:
    page = browser.get("/signin")  # a real page's token, but no session
    data = hidden_fields(page.text, "/signin") | fields
    refused = browser.post(path, data=data)
    assert (refused.status_code, main_text(refused)) == (
        401,
        "Sign in first You are not signed in (or your session has ended), so nothing was "
        "changed; sign in and try again. Sign in",
    )
    assert 'href="/signin?next=%2Fme">Sign in</a>' in refused.text
    assert mails(store) == []


@pytest.mark.parametrize("path", ["/me/sessions/abc/end", "/me/tokens/1x/revoke"])
def test_a_malformed_number_in_a_personal_address_is_a_page_not_found(
    browser: TestClient, store: Store, path: str
) -> None:
    me = sign_in(browser, store, "ann@example.org")
    answer = browser.post(path, data=me.form())
    assert (answer.status_code, main_text(answer).startswith("Page not found")) == (404, True)
