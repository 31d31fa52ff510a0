"""The personal page's addresses and API tokens (web/me_forms.py): another address is
added only through the link mailed to it; a token's secret is shown once and then acts on
the API as its person; a person revokes their own tokens and no one else's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ptghub.store.store import Store
from ptghub.web.app import create_app
from tests.web.mailed_links import hidden_fields, local, mailed_link, mails, main_text
from tests.web.signing_in import sign_in


@pytest.fixture
def browser(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as client:
        yield client


def test_another_address_is_added_through_the_link_mailed_to_it(
    browser: TestClient, store: Store
) -> None:
    me = sign_in(browser, store, "ann@example.org")
    asked = browser.post("/me/addresses", data=me.form(email="Ann@Work.example"))
    assert (asked.status_code, main_text(asked)) == (
        200,
        "Check your mail If Ann@Work.example can receive mail, a link to add it to your "
        "account is on its way to it. Open the link within 15 minutes, signed in as you are "
        "now. It works once. Back to your page",
    )
    [mail] = mails(store, "Ann@Work.example")
    assert (mail.kind, mail.subject) == ("verify-address", "Add this address to your account")
    link = mailed_link(store, "Ann@Work.example")
    assert store.accounts.account(me.account.person_id).addresses == ("ann@example.org",)
    page = browser.get(local(link))
    assert main_text(page) == (
        "Add an address Add Ann@Work.example to your account? You can then sign in with it "
        "too. Add the address"
    )
    added = browser.post(
        "/me/addresses/confirm",
        data=hidden_fields(page.text, "/me/addresses/confirm"),
        follow_redirects=False,
    )
    assert (added.status_code, added.headers["location"]) == (303, "/me?done=address-added")
    assert store.accounts.account(me.account.person_id).addresses == (
        "ann@example.org",
        "Ann@Work.example",
    )
    again = browser.post(
        "/me/addresses/confirm", data=hidden_fields(page.text, "/me/addresses/confirm")
    )
    assert again.status_code == 410
    assert store.accounts.person_of("ann@work.example") == me.account.person_id


def test_an_address_link_opened_by_another_person_adds_nothing(store: Store) -> None:
    app = create_app(store)
    with TestClient(app) as ann_browser, TestClient(app) as bob_browser:
        ann = sign_in(ann_browser, store, "ann@example.org")
        ann_browser.post("/me/addresses", data=ann.form(email="ann@work.example"))
        link = local(mailed_link(store, "ann@work.example"))
        anonymous = TestClient(app).get(link, follow_redirects=False)
        assert anonymous.headers["location"].startswith("/signin?next=%2Fme%2Faddresses%2Fconfirm")
        bob = sign_in(bob_browser, store, "bob@example.org")
        shown = bob_browser.get(link)
        token = link.split("token=", 1)[1]
        used = bob_browser.post("/me/addresses/confirm", data=bob.form(token=token))
        assert (shown.status_code, used.status_code) == (403, 403)
        assert "This link was sent to add an address to another account" in main_text(used)
    assert store.accounts.person_of("ann@work.example") is None


def test_adding_an_address_one_has_already_is_refused(browser: TestClient, store: Store) -> None:
    me = sign_in(browser, store, "ann@example.org")
    refused = browser.post("/me/addresses", data=me.form(email="ANN@example.org"))
    assert (refused.status_code, main_text(refused)) == (
        400,
        "That did not work ANN@example.org is already one of your addresses. Back to your page",
    )
    assert mails(store) == []


def test_an_address_is_removed_but_never_the_last(browser: TestClient, store: Store) -> None:
    me = sign_in(browser, store, "ann@example.org")
    store.profiles.add_address(me.account.person_id, "ann@work.example")
    page = browser.get("/me")
    removed = browser.post(
        "/me/addresses/remove",
        data=hidden_fields(page.text, "/me/addresses/remove"),  # the first: ann@example.org
        follow_redirects=False,
    )
    assert removed.headers["location"] == "/me?done=address-removed"
    last = browser.post("/me/addresses/remove", data=me.form(email="ann@work.example"))
    assert (last.status_code, main_text(last)) == (
        400,
        "That did not work ann@work.example is your only address: you sign in with it. Add "
        "another address first, then remove this one. Back to your page",
    )
    assert store.accounts.account(me.account.person_id).addresses == ("ann@work.example",)


def test_a_new_tokens_secret_is_shown_once_and_acts_as_the_person_on_the_api(
    browser: TestClient, store: Store
) -> None:
    # Nora chairs nova under her chat nick; she signs in on the web with her address.
    nora = store.people.add("Nora", ["nchair"])
    with store.engine.begin() as conn:
        store.accounts.add_address(conn, nora.id, "nora@example.org")
    me = sign_in(browser, store, "nora@example.org")
    made = browser.post("/me/tokens", data=me.form(label="  my laptop "))
    assert made.headers["cache-control"] == "no-store"
    [secret] = [w for w in main_text(made).split() if w.startswith("ptg_")][:1]
    assert main_text(made).startswith(
        f"Your new API token Token #1, “my laptop”, acts as nchair . Copy it now: it is shown "
        f"only this once, never again. {secret} "
    )
    assert secret not in browser.get("/me").text
    done = browser.post(
        "/api/v1/events/test-ptg/commands",
        json={"text": "#nova now Quotas"},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert (done.status_code, done.json()["reply"]) == (200, "OK, nova now discusses: Quotas")
    entry = store.audit()[-1]
    assert (entry.actor, entry.frontend) == ("nchair", "api")
    assert [i.label for i in store.profiles.tokens_of(nora.id)] == ["my laptop"]


def test_a_token_needs_a_label(browser: TestClient, store: Store) -> None:
    me = sign_in(browser, store, "ann@example.org")
    refused = browser.post("/me/tokens", data=me.form(label=" "))
    assert refused.status_code == 400
    assert "Give the token a label saying where it is used" in main_text(refused)
    assert store.profiles.tokens_of(me.account.person_id) == []


def test_a_revoked_token_no_longer_works_and_anothers_cannot_be_revoked(
    browser: TestClient, store: Store
) -> None:
    me = sign_in(browser, store, "ann@example.org")
    mine, secret = store.tokens.create(me.account.web_nick, label="laptop")
    theirs, _ = store.tokens.create("nchair", label="nora's")
    refused = browser.post(f"/me/tokens/{theirs}/revoke", data=me.form())
    assert (refused.status_code, main_text(refused)) == (
        404,
        f"Not found You have no active token #{theirs}. Back to your page",
    )
    page = browser.get("/me")
    revoked = browser.post(
        f"/me/tokens/{mine}/revoke",
        data=hidden_fields(page.text, f"/me/tokens/{mine}/revoke"),
        follow_redirects=False,
    )
    assert revoked.headers["location"] == "/me?done=token-revoked"
    assert "The token is revoked: it no longer works." in main_text(
        browser.get("/me?done=token-revoked")
    )
    api = browser.post(
        "/api/v1/events/test-ptg/commands",
        json={"text": "#nova now Quotas"},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert api.status_code == 401
    assert [i.revoked_at for i in store.tokens.list("nchair")] == [None]
