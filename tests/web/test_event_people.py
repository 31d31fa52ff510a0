"""``/events/{slug}/people``: an organizer sees who holds which role and grants or
revokes roles of people named by address, display name or nick; each is the chat command
``~role`` run as the organizer on the web, with the bot's reply and an audit entry naming
the organizer. Anyone else, a form without its token and bad input change nothing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ptghub.core.model import Role, RoleKind
from ptghub.store.store import Store
from tests.web.signing_in import SignedInClient, sign_in

PAGE = "/events/test-ptg/people"


@pytest.fixture
def organizer(client: TestClient, store: Store) -> SignedInClient:
    """Olivia, who organizes the test event as nick olivia, signed in on the web."""
    olivia = store.people.add("Olivia Organizer", ["olivia"])
    with store.engine.begin() as conn:
        store.accounts.add_address(conn, olivia.id, "olivia@example.org")
    return sign_in(client, store, "olivia@example.org")


def test_the_organizer_sees_who_holds_which_role(
    client: TestClient, organizer: SignedInClient
) -> None:
    page = client.get(PAGE)

    assert page.status_code == 200
    assert (
        "<td>organizer</td>\n    <td>Olivia Organizer</td>\n    <td><code>olivia</code></td>"
        in (page.text)
    )
    assert "<td>chair of nova</td>\n    <td>(no person: a chat nick)</td>" in page.text
    assert '<option value="chair nova">Chair of Nova/Placement</option>' in page.text


def test_grant_by_email_address_goes_to_the_persons_web_nick(
    client: TestClient, store: Store, organizer: SignedInClient
) -> None:
    alice = store.accounts.sign_up("alice@example.org", "Alice Smith")
    response = client.post(
        f"{PAGE}/grant", data=organizer.form(who="Alice@Example.org", role="chair nova")
    )

    assert response.status_code == 200
    assert '<p class="notice" role="status">OK, alice@web is now chair of nova.</p>' in (
        response.text
    )
    assert Role("alice@web", RoleKind.CHAIR, "nova") in store.state().roles
    entry = store.audit()[-1]
    assert (entry.author, entry.text) == (
        "Olivia Organizer (olivia, web)",
        "~role grant alice@web chair nova",
    )
    assert entry.person_id == organizer.account.person_id
    assert store.link_codes.nicks(alice.person_id) == ["alice@web"]


def test_grant_by_display_name_or_nick(
    client: TestClient, store: Store, organizer: SignedInClient
) -> None:
    store.accounts.sign_up("alice@example.org", "Alice Smith")
    store.people.add("Bob Jones", ["bobj"])
    by_name = client.post(f"{PAGE}/grant", data=organizer.form(who="alice smith", role="organizer"))
    by_nick = client.post(f"{PAGE}/grant", data=organizer.form(who="BOBJ", role="chair cinder"))

    assert "OK, alice@web is now organizer." in by_name.text
    assert "OK, bobj is now chair of cinder." in by_nick.text
    assert "<td>Bob Jones</td>" in client.get(PAGE).text


def test_an_ambiguous_or_unknown_person_is_refused_and_nothing_changes(
    client: TestClient, store: Store, organizer: SignedInClient
) -> None:
    store.accounts.sign_up("alice@one.example", "Alice Smith")
    store.accounts.sign_up("alice@two.example", "Alice Smith")
    before = len(store.audit())
    ambiguous = client.post(
        f"{PAGE}/grant", data=organizer.form(who="Alice Smith", role="organizer")
    )
    unknown = client.post(f"{PAGE}/grant", data=organizer.form(who="Zed Nobody", role="organizer"))
    address = client.post(
        f"{PAGE}/grant", data=organizer.form(who="zed@example.org", role="organizer")
    )

    assert (ambiguous.status_code, unknown.status_code, address.status_code) == (400, 404, 404)
    assert (
        "2 people are called &#39;Alice Smith&#39;; name the one you mean by email address or nick."
        in ambiguous.text
    )
    assert 'value="Alice Smith"' in ambiguous.text  # the form keeps what was typed
    assert "Nobody has signed in with zed@example.org yet" in address.text
    assert len(store.audit()) == before


def test_a_role_outside_the_list_is_refused(
    client: TestClient, store: Store, organizer: SignedInClient
) -> None:
    store.accounts.sign_up("alice@example.org")
    before = len(store.audit())
    for role in ("king", "chair nowhere", "organizer\n~reset", "chair nova extra"):
        response = client.post(
            f"{PAGE}/grant", data=organizer.form(who="alice@example.org", role=role)
        )
        assert response.status_code == 400
        assert "Choose a role from the list: organizer, or chair of a team." in response.text
    assert len(store.audit()) == before


def test_revoke_takes_the_role_back_with_the_bots_reply(
    client: TestClient, store: Store, organizer: SignedInClient
) -> None:
    response = client.post(f"{PAGE}/revoke", data=organizer.form(nick="nchair", role="chair nova"))
    again = client.post(f"{PAGE}/revoke", data=organizer.form(nick="nchair", role="chair nova"))

    assert "OK, nchair is no longer chair of nova." in response.text
    assert "nchair is not chair of nova." in again.text
    assert Role("nchair", RoleKind.CHAIR, "nova") not in store.state().roles
    assert store.audit()[-1].text == "~role revoke nchair chair nova"


def test_a_person_who_is_not_an_organizer_is_refused(client: TestClient, store: Store) -> None:
    me = sign_in(client, store, "mallory@example.org")
    before = len(store.audit())
    page = client.get(PAGE)
    grant = client.post(f"{PAGE}/grant", data=me.form(who="mallory@example.org", role="organizer"))
    revoke = client.post(f"{PAGE}/revoke", data=me.form(nick="olivia", role="organizer"))

    assert (page.status_code, grant.status_code, revoke.status_code) == (403, 403, 403)
    assert "Managing roles needs an organizer of test-ptg; mallory is not one." in grant.text
    assert len(store.audit()) == before
    assert Role("olivia", RoleKind.ORGANIZER) in store.state().roles


def test_a_signed_out_browser_is_sent_to_sign_in_and_cannot_post(
    client: TestClient, store: Store
) -> None:
    before = len(store.audit())
    page = client.get(PAGE, follow_redirects=False)
    post = client.post(f"{PAGE}/revoke", data={"nick": "olivia", "role": "organizer", "csrf": "x"})

    assert (page.status_code, page.headers["location"]) == (303, f"/signin?next={PAGE}")
    assert post.status_code == 401
    assert len(store.audit()) == before


def test_a_form_without_its_token_or_from_another_site_is_refused(
    client: TestClient, store: Store, organizer: SignedInClient
) -> None:
    before = len(store.audit())
    fields = {"nick": "nchair", "role": "chair nova"}
    missing = client.post(f"{PAGE}/revoke", data=fields)
    wrong = client.post(f"{PAGE}/revoke", data={**fields, "csrf": organizer.csrf[:-1] + "x"})
    cross = client.post(
        f"{PAGE}/revoke", data=organizer.form(**fields), headers={"Sec-Fetch-Site": "cross-site"}
    )

    assert [r.status_code for r in (missing, wrong, cross)] == [403, 403, 403]
    assert len(store.audit()) == before
    assert Role("nchair", RoleKind.CHAIR, "nova") in store.state().roles


def test_an_unknown_event_is_not_found(client: TestClient, organizer: SignedInClient) -> None:
    assert client.get("/events/nope/people").status_code == 404
