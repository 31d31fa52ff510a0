"""``/me/chat``: a signed-in person sees their chat identities, gets a one-time link code
(shown once, with what to send the bot) and unlinks a chat nick, never their web nick;
a form without its CSRF token, from another site or from a signed-out browser changes
nothing."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ptghub.settings import Settings
from ptghub.store import tables as t
from ptghub.store.store import Store
from ptghub.web.app import create_app
from tests.web.signing_in import sign_in

CODE = re.compile(r"<p class=\"secret\" data-link-code><code>([0-9A-Z]{4}-[0-9A-Z]{4})</code>")


def codes(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.link_codes)).scalar_one())


def test_a_signed_out_browser_is_sent_to_sign_in(client: TestClient) -> None:
    response = client.get("/me/chat", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (
        303,
        "/signin?next=/me/chat",
    )


def test_the_page_lists_the_identities_and_the_web_nick_cannot_be_unlinked(
    client: TestClient, store: Store
) -> None:
    me = sign_in(client, store, "alice@example.org")
    store.link_codes.redeem(store.link_codes.create(me.account.person_id), "alice")
    page = client.get("/me/chat")

    assert page.status_code == 200
    web_nick = '<code>alice@web</code>\n    <span class="meta">(you act as this on the web)'
    assert web_nick in page.text
    assert 'aria-label="Unlink alice"' in page.text
    assert 'aria-label="Unlink alice@web"' not in page.text


def test_link_shows_a_code_once_with_what_to_send_the_bot(client: TestClient, store: Store) -> None:
    me = sign_in(client, store, "alice@example.org")
    response = client.post("/me/chat/link", data=me.form())

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    match = CODE.search(response.text)
    assert match is not None
    code = match.group(1)
    assert f"<code>/msg ptgbot link {code}</code>" in response.text
    assert code not in client.get("/me/chat").text
    linked = store.link_codes.redeem(code, "alice")
    assert linked.person_id == me.account.person_id


def test_the_matrix_bot_is_named_when_configured(store: Store) -> None:
    settings = Settings.model_construct(matrix_user="@ptgbot:example.org", irc_nick="eventbot")
    with TestClient(create_app(store, settings)) as client:
        me = sign_in(client, store, "alice@example.org")
        page = client.post("/me/chat/link", data=me.form()).text
    match = CODE.search(page)
    assert match is not None
    assert f"<code>/msg eventbot link {match.group(1)}</code>" in page
    assert (
        f"send <code>link {match.group(1)}</code> to <code>@ptgbot:example.org</code> "
        "in a direct message" in page
    )


def test_link_without_the_csrf_token_or_from_another_site_makes_no_code(
    client: TestClient, store: Store
) -> None:
    me = sign_in(client, store, "alice@example.org")
    missing = client.post("/me/chat/link", data={})
    wrong = client.post("/me/chat/link", data={"csrf": "0" * 64})
    cross = client.post("/me/chat/link", data=me.form(), headers={"Origin": "https://evil.example"})

    assert [r.status_code for r in (missing, wrong, cross)] == [403, 403, 403]
    assert "security token is missing or wrong" in missing.text
    assert "came from another site" in cross.text
    assert codes(store) == 0


def test_a_signed_out_post_is_refused(client: TestClient, store: Store) -> None:
    response = client.post("/me/chat/link", data={"csrf": "x"})
    assert response.status_code == 401
    assert codes(store) == 0


def test_unlink_removes_a_chat_nick(client: TestClient, store: Store) -> None:
    me = sign_in(client, store, "alice@example.org")
    store.link_codes.redeem(store.link_codes.create(me.account.person_id), "alice_irc")
    response = client.post("/me/chat/unlink", data=me.form(nick="ALICE_IRC"))

    assert response.status_code == 200
    assert "Unlinked alice_irc: it no longer carries your roles." in response.text
    assert store.link_codes.nicks(me.account.person_id) == ["alice@web"]


def test_unlink_refuses_the_web_nick_and_nicks_of_others(client: TestClient, store: Store) -> None:
    store.people.add("Bob Jones", ["bob"])
    me = sign_in(client, store, "alice@example.org")
    web = client.post("/me/chat/unlink", data=me.form(nick="alice@web"))
    other = client.post("/me/chat/unlink", data=me.form(nick="bob"))
    no_token = client.post("/me/chat/unlink", data={"nick": "alice@web"})

    assert (web.status_code, other.status_code, no_token.status_code) == (400, 404, 403)
    assert "alice@web is the nick you act as on the web; it cannot be unlinked." in web.text
    assert "&#39;bob&#39; is not one of your chat identities." in other.text
    assert store.people.get("bob").nicks == ("bob",)
    assert store.link_codes.nicks(me.account.person_id) == ["alice@web"]


def test_identities_are_escaped(client: TestClient, store: Store) -> None:
    me = sign_in(client, store, "alice@example.org")
    store.link_codes.redeem(store.link_codes.create(me.account.person_id), "<i>al")
    page = client.get("/me/chat").text
    assert "<code>&lt;i&gt;al</code>" in page
    assert "<i>al" not in page
