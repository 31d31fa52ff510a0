"""The organizers' mail page: the outbox by state, its failed/held/queued mail, the
paused addresses, and unpausing one from the page so that its held mail is delivered by
a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient

from ptghub.settings import Settings
from ptghub.store.store import Store
from ptghub.web.app import create_app
from tests.mailserver import MailServer
from tests.web.organizing import ORGANIZE, chair, organizer, post, post_json

MAIL = f"{ORGANIZE}/mail"
GONE = "gone@example.org"


def _paused(store: Store, mail_server: MailServer) -> None:
    """GONE refused a mail for good (550): it is paused, the mail failed."""
    mail_server.answer(GONE, "550 5.1.1 No such user")
    store.outbox.enqueue(to=GONE, subject="Welcome", text="Hi.", kind="test")
    assert mail_server.deliver(store) == []
    assert [p.address for p in store.outbox.suppressions()] == [GONE]


def test_unpausing_from_the_page_delivers_the_held_mail(
    client: TestClient, store: Store, mail_server: MailServer
) -> None:
    _paused(store, mail_server)
    store.outbox.enqueue(to=GONE, subject="Rooms <moved>", text="Room B.", kind="announcement")
    store.outbox.enqueue(to="ok@example.org", subject="Later", text="Hi.", kind="test")
    me = organizer(client, store)

    page = client.get(MAIL)
    assert page.status_code == 200, page.text
    text = page.text
    assert '<th scope="row">failed</th><td>1</td>' in text
    assert '<th scope="row">held</th><td>1</td>' in text
    assert '<th scope="row">queued</th><td>1</td>' in text
    assert "No such user" in text  # the reason of the pause and the failed mail's error
    assert "Rooms &lt;moved&gt;" in text and "Rooms <moved>" not in text
    assert f'data-paused="{GONE}"' in text
    assert "shared by all the events of this installation" in text
    assert 'data-smtp="off"' in text  # the test app has no SMTP settings
    assert f'href="{ORGANIZE}/mail" aria-current="page"' in text

    mail_server.answer(GONE, None)  # its owner fixed the mailbox
    done = post(client, f"{MAIL}/unpause", **me.form(address=GONE, send_held="yes"))
    assert done.status_code == 303
    assert done.headers["location"] == MAIL
    shown = client.get(MAIL).text
    assert f"OK, {GONE} is no longer paused. 1 held mail queued again." in html.unescape(shown)
    assert "No address is paused." in shown
    assert store.outbox.suppressions() == []

    arrived = mail_server.deliver(store)
    assert sorted((m.message["To"], m.message["Subject"]) for m in arrived) == [
        (GONE, "Rooms <moved>"),
        ("ok@example.org", "Later"),
    ]
    assert store.outbox.counts() == {"failed": 1, "sent": 2}


def test_unpausing_without_the_held_mail_leaves_it_unsent(
    client: TestClient, store: Store, mail_server: MailServer
) -> None:
    _paused(store, mail_server)
    store.outbox.enqueue(to=GONE, subject="Rooms", text="Room B.", kind="announcement")
    me = organizer(client, store)
    answer = post_json(client, f"{MAIL}/unpause", **me.form(address=GONE.upper(), send_held="no"))
    assert answer.status_code == 200, answer.text
    assert answer.json()["reply"].endswith("no longer paused. Its held mail stays unsent.")
    assert mail_server.deliver(store) == []
    assert store.outbox.counts() == {"failed": 1, "held": 1}
    # Mail queued from now on is sent (its owner fixed the mailbox).
    mail_server.answer(GONE, None)
    store.outbox.enqueue(to=GONE, subject="Again", text="Hi.", kind="test")
    assert [m.message["Subject"] for m in mail_server.deliver(store)] == ["Again"]


def test_bad_unpause_input_says_what_is_wrong_and_changes_nothing(
    client: TestClient, store: Store, mail_server: MailServer
) -> None:
    _paused(store, mail_server)
    me = organizer(client, store)
    for fields, message in [
        ({"address": "nobody@example.org", "send_held": "yes"}, "is not paused"),
        ({"address": "", "send_held": "yes"}, "Give the paused address"),
        ({"address": GONE, "send_held": "maybe"}, "use yes or no"),
        ({"address": "<b>x</b>@example.org", "send_held": "no"}, "'<b>x</b>@example.org' is"),
    ]:
        answer = post_json(client, f"{MAIL}/unpause", **me.form(**fields))
        assert (answer.status_code, message in answer.json()["error"]) == (400, True), fields
        back = post(client, f"{MAIL}/unpause", **me.form(**fields))
        assert back.status_code == 303
        page = client.get(MAIL).text
        assert message in html.unescape(page)
        assert "<b>" not in page  # the address given is shown escaped
    assert [p.address for p in store.outbox.suppressions()] == [GONE]


def test_only_organizers_see_the_page(client: TestClient, store: Store) -> None:
    anonymous = client.get(MAIL)
    assert anonymous.status_code == 401
    assert "/signin?next=" in anonymous.text
    chair(client, store)
    refused = client.get(MAIL)
    assert refused.status_code == 403
    assert "Organizers only" in refused.text


def test_the_page_says_when_this_server_sends_mail(store: Store, mail_server: MailServer) -> None:
    settings = Settings(**mail_server.settings())
    with TestClient(create_app(store, settings)) as client:
        organizer(client, store)
        page = client.get(MAIL).text
    assert 'data-smtp="on"' in page
    assert f"<code>{mail_server.host}</code>" in page
    assert "No mail is sent by this server" not in page
