"""The updates list from a browser and a mail client, with a real SMTP server: sign up,
the confirmation mail, confirm (by the button, never by opening the link), an
announcement received with its RFC 8058 headers, unsubscribed by a POST to the header's
URL with no cookie, no further mail. The sign-up page says the same whatever the list
holds, and is rate limited."""

from __future__ import annotations

import re
from email.message import EmailMessage

import pytest
from fastapi.testclient import TestClient

from ptghub.store.store import Store
from ptghub.web.app import create_app
from tests.attendee_rows import EVENT, other_event
from tests.mailserver import MailServer
from tests.web.mailed_links import hidden_fields, local, main_text
from tests.web.organizing import organizer

UPDATES = f"/events/{EVENT}/updates"
ANNOUNCE = f"/events/{EVENT}/organize/announcements"


def _part(message: EmailMessage, kind: str) -> str:
    part = message.get_body(preferencelist=(kind,))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def sign_up(client: TestClient, address: str) -> str:
    page = client.get(UPDATES)
    assert page.status_code == 200, page.text
    answer = client.post(UPDATES, data=hidden_fields(page.text, UPDATES) | {"email": address})
    assert answer.status_code == 200, answer.text
    return main_text(answer)


def announce(store: Store, subject: str, text: str, audience: str = "updates-list") -> int:
    """An organizer, in a browser of their own, writes and sends an announcement."""
    with TestClient(create_app(store)) as browser:
        me = organizer(browser, store)
        made = browser.post(
            ANNOUNCE,
            data=me.form(subject=subject, text=text, audience=audience),
            follow_redirects=False,
        )
        assert made.status_code == 303, made.text
        draft = made.headers["location"]
        sent = browser.post(f"{draft}/send", data=me.form(), follow_redirects=False)
        assert sent.status_code == 303, sent.text
        return int(draft.rsplit("/", 1)[1])


def test_sign_up_confirm_receive_unsubscribe_by_the_header_then_no_more_mail(
    client: TestClient, store: Store, mail_server: MailServer
) -> None:
    said = sign_up(client, "ada@example.org")
    assert "Unless ada@example.org is already on the list of Test PTG" in said
    [confirmation] = mail_server.deliver(store)
    assert confirmation.rcpt_tos == ("ada@example.org",)
    [link] = re.findall(r"https?://\S+token=\S+", _part(confirmation.message, "plain"))
    announce(store, "Not yet", "She has not confirmed.")
    assert mail_server.deliver(store) == []  # pending: not on the list

    page = client.get(local(link))  # a mail scanner's GET confirms nothing
    assert page.status_code == 200
    assert store.attendees.updates.subscribers.counts(EVENT) == {"pending": 1}
    action = f"/events/{EVENT}/updates/confirm"
    done = client.post(action, data=hidden_fields(page.text, action))
    assert done.status_code == 200, done.text
    assert main_text(done).startswith("You are on the list ada@example.org is on the list")

    announce(store, "Welcome", "The PTG starts **Monday**.")
    [mail] = mail_server.deliver(store)
    message = mail.message
    assert (mail.rcpt_tos, message["Subject"]) == (("ada@example.org",), "Welcome")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [url] = re.fullmatch(r"<(https?://[^>]+)>", str(message["List-Unsubscribe"])).groups()  # type: ignore[union-attr]
    assert url.startswith(f"http://testserver/events/{EVENT}/unsubscribe/")
    assert "<strong>Monday</strong>" in _part(message, "html")
    assert _part(message, "plain").startswith("The PTG starts **Monday**.")

    # The mail client's one-click POST: no cookie, no CSRF token, nothing else.
    client.cookies.clear()
    assert client.get(local(url)).status_code == 200  # the page: a button, no change
    assert store.attendees.updates.subscribers.counts(EVENT) == {"confirmed": 1}
    gone = client.post(local(url), data={"List-Unsubscribe": "One-Click"})
    assert gone.status_code == 200, gone.text
    assert "ada@example.org gets no more announcements of Test PTG" in main_text(gone)

    announce(store, "Second", "More news.")
    assert mail_server.deliver(store) == []
    archive = client.get(f"/events/{EVENT}/announcements")
    assert re.findall(r'/announcements/\d+">([^<]+)</a>', archive.text) == [
        "Second",  # newest first
        "Welcome",
        "Not yet",
    ]


def test_the_sign_up_page_says_the_same_whether_listed_or_not(
    client: TestClient, store: Store
) -> None:
    first = sign_up(client, "ada@example.org")
    subscribers = store.attendees.updates.subscribers
    _, token = subscribers.subscribe(EVENT, "bob@example.org")
    assert token is not None
    subscribers.confirm(EVENT, token)
    again = sign_up(client, "ada@example.org")
    listed = sign_up(client, "bob@example.org")
    assert first == again == listed.replace("bob@", "ada@")
    outbox = [(e.to_address, e.kind) for e in store.outbox.entries()]
    assert sorted(outbox) == [("ada@example.org", "updates-confirm")] * 2  # none to bob


def test_a_bad_address_is_a_400_page_saying_what_is_expected(
    client: TestClient, store: Store
) -> None:
    page = client.get(UPDATES)
    answer = client.post(UPDATES, data=hidden_fields(page.text, UPDATES) | {"email": "ada"})
    assert answer.status_code == 400
    assert "'ada' is not an email address; write it as name@example.org." in main_text(answer)
    assert store.outbox.entries() == []


def test_sign_ups_are_limited_per_address(client: TestClient, store: Store) -> None:
    page = client.get(UPDATES)
    fields = hidden_fields(page.text, UPDATES) | {"email": "ada@example.org"}
    answers = [client.post(UPDATES, data=fields) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[-1].headers["Retry-After"]) > 0
    assert "Too many mails asked for to this address" in main_text(answers[-1])
    assert len(store.outbox.entries()) == 3


def test_confirming_needs_the_pages_csrf_token(client: TestClient, store: Store) -> None:
    _, token = store.attendees.updates.subscribers.subscribe(EVENT, "ada@example.org")
    answer = client.post(f"/events/{EVENT}/updates/confirm", data={"token": token or ""})
    assert answer.status_code == 403
    assert store.attendees.updates.subscribers.counts(EVENT) == {"pending": 1}


@pytest.mark.parametrize("which", ["forged", "other event", "no one-click field"])
def test_forged_and_other_event_unsubscribe_tokens_are_refused(
    client: TestClient, store: Store, which: str
) -> None:
    subscribers = store.attendees.updates.subscribers
    other = other_event(store)
    slug = other if which == "other event" else EVENT
    token = subscribers.unsubscribe_tokens(subscribers.event_id(slug))("ada@example.org")
    if which == "forged":
        token = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    body = {} if which == "no one-click field" else {"List-Unsubscribe": "One-Click"}
    answer = client.post(f"/events/{EVENT}/unsubscribe/{token}", data=body)
    assert answer.status_code == 400
    expected = (
        "An unsubscribe request posts List-Unsubscribe=One-Click (RFC 8058); open the link "
        "and press its button."
        if which == "no one-click field"
        else "This link is not one we sent for this event"
    )
    assert expected in main_text(answer)
    assert subscribers.counts(EVENT) == {}
    if which != "no one-click field":
        assert client.get(f"/events/{EVENT}/unsubscribe/{token}").status_code == 400
