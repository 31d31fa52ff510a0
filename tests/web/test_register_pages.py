"""Registering for an event on the web: signed in, or by a mailed link that signs in and
registers; the code of conduct required, asked again after a change; the waiting list and
the mail of a promotion (a real SMTP server); refusals that store nothing."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

import httpx
import sqlalchemy as sa
from fastapi.testclient import TestClient

from ptghub.store import tables as t
from ptghub.store.store import Store
from ptghub.web.templating import markdown
from tests.mailserver import MailServer
from tests.support import Clock
from tests.web.mailed_links import (
    hidden_fields,
    local,
    mailed_link,
    mails,
    main_text,
)
from tests.web.organizing import organizer, post
from tests.web.signing_in import sign_in

EVENT = "test-ptg"
PAGE = f"/events/{EVENT}/register"
ANSWERS = {
    "role": "operator",
    "teams": ["nova", "cinder"],
    "onboarding": "yes",
    "time_zone": "Asia/Tokyo",
    "coc": "yes",
    "coc_version": "1",
}


def registrations(store: Store) -> list[tuple[object, ...]]:
    regs = t.registrations
    query = sa.select(
        regs.c.person_id, regs.c.role, regs.c.teams, regs.c.state, regs.c.coc_version
    ).order_by(regs.c.id)
    with store.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query).all()]


def press_link_button(client: TestClient, link: str) -> httpx.Response:
    """Open a mailed registration link and press its button (every hidden field sent,
    the teams given several times); the answer, redirects not followed."""
    page = client.get(local(link))
    assert page.status_code == 200, page.text
    action = urlsplit(link).path
    form = page.text[page.text.index(f'action="{action}"') :]
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form):
        fields.setdefault(name, []).append(unescape(value))
    return client.post(action, data=fields, follow_redirects=False)


def flash_text(client: TestClient) -> str:
    return main_text(client.get(PAGE))


def test_a_signed_in_person_registers_and_changes_the_answers(
    client: TestClient, store: Store
) -> None:
    me = sign_in(client, store, "ann@example.org")
    page = client.get(PAGE)
    assert page.status_code == 200
    # The default time zone is the one the event's pages are shown in.
    assert "<option selected>UTC</option>" in page.text
    answer = client.post(PAGE, data={**ANSWERS, "csrf": me.csrf}, follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, PAGE)
    assert "You are registered." in flash_text(client)
    person = me.account.person_id
    assert registrations(store) == [(person, "operator", ["cinder", "nova"], "registered", 1)]
    changed = {**ANSWERS, "role": "developer", "teams": ["nova"], "csrf": me.csrf}
    client.post(PAGE, data=changed, follow_redirects=False)
    assert registrations(store) == [(person, "developer", ["nova"], "registered", 1)]


def test_without_the_code_of_conduct_nothing_is_stored(client: TestClient, store: Store) -> None:
    me = sign_in(client, store, "ann@example.org")
    fields = {k: v for k, v in ANSWERS.items() if k != "coc"} | {"csrf": me.csrf}
    answer = client.post(PAGE, data=fields)
    assert answer.status_code == 400
    assert (
        "You must accept the code of conduct to register: read it and tick the box saying you "
        "accept it. Nothing was stored."
    ) in main_text(answer)
    # The form comes back with the answers given.
    assert '<input type="radio" name="role" value="operator" required checked>' in answer.text
    assert registrations(store) == []


def test_a_wrong_time_zone_is_named(client: TestClient, store: Store) -> None:
    me = sign_in(client, store, "ann@example.org")
    answer = client.post(PAGE, data={**ANSWERS, "time_zone": "Moon/Base", "csrf": me.csrf})
    assert answer.status_code == 400
    assert "'Moon/Base' is not a time zone; give an IANA name" in main_text(answer)
    assert registrations(store) == []


def test_registering_by_a_mailed_link_makes_the_account_and_registers(
    client: TestClient, store: Store, mail_server: MailServer
) -> None:
    page = client.get(PAGE)
    fields = hidden_fields(page.text, f"{PAGE}/mail") | ANSWERS | {"email": "new@example.org"}
    sent = client.post(f"{PAGE}/mail", data=fields)
    assert sent.status_code == 200
    assert "a link to complete your registration is on its way" in main_text(sent)
    assert registrations(store) == []  # nothing before the address is proven
    received = mail_server.deliver(store)
    assert [(r.rcpt_tos, r.message["Subject"]) for r in received] == [
        (("new@example.org",), "Complete your registration for Test PTG")
    ]
    link = mailed_link(store, "new@example.org")
    confirm = client.get(local(link))
    assert "Sign in as new@example.org and register for Test PTG" in main_text(confirm)
    done = press_link_button(client, link)
    assert (done.status_code, done.headers["location"]) == (303, PAGE)
    person = store.accounts.person_of("new@example.org")
    assert registrations(store) == [(person, "operator", ["cinder", "nova"], "registered", 1)]
    assert "You are registered." in flash_text(client)  # signed in: the page is theirs
    assert client.get(local(link)).status_code == 410  # a link works once


def test_a_link_of_another_browser_is_refused(client: TestClient, store: Store) -> None:
    page = client.get(PAGE)
    fields = hidden_fields(page.text, f"{PAGE}/mail") | ANSWERS | {"email": "new@example.org"}
    client.post(f"{PAGE}/mail", data=fields)
    client.cookies.clear()
    link = mailed_link(store, "new@example.org")
    answer = client.get(local(link))
    assert answer.status_code == 403
    assert registrations(store) == []


def test_the_mail_form_refuses_before_sending(client: TestClient, store: Store) -> None:
    page = client.get(PAGE)
    fields = hidden_fields(page.text, f"{PAGE}/mail") | ANSWERS | {"email": "not-an-address"}
    answer = client.post(f"{PAGE}/mail", data=fields)
    assert answer.status_code == 400
    assert "'not-an-address' is not an email address" in main_text(answer)
    assert mails(store) == []


def test_a_changed_code_of_conduct_is_asked_for_again(client: TestClient, store: Store) -> None:
    me = sign_in(client, store, "ann@example.org")
    client.post(PAGE, data={**ANSWERS, "csrf": me.csrf})
    regs = store.attendees.registrations
    regs.coc_changed(regs.event_id(EVENT))
    home = client.get(f"/events/{EVENT}/")
    notice = "The code of conduct of this event changed since you accepted it"
    assert notice in home.text
    assert f'href="{PAGE}/code-of-conduct"' in home.text
    refused = client.post(PAGE, data={**ANSWERS, "coc_version": "2", "csrf": me.csrf})
    assert refused.status_code == 409
    assert registrations(store)[0][1:] == ("operator", ["cinder", "nova"], "registered", 1)
    coc = client.get(f"{PAGE}/code-of-conduct")
    fields = hidden_fields(coc.text, f"{PAGE}/accept") | {"coc": "yes"}
    accepted = client.post(f"{PAGE}/accept", data=fields, follow_redirects=False)
    assert accepted.status_code == 303
    assert registrations(store)[0][4] == 2
    assert notice not in client.get(f"/events/{EVENT}/").text


def test_the_waiting_list_is_promoted_in_order_with_a_mail(
    client: TestClient, store: Store, clock: Clock, mail_server: MailServer
) -> None:
    olga = organizer(client, store)
    post(client, f"/events/{EVENT}/organize/registrations/capacity", capacity="1", csrf=olga.csrf)
    people = {}
    for name in ("ann", "bob", "cat"):
        me = sign_in(client, store, f"{name}@example.org")
        people[name] = me
        client.post(PAGE, data={**ANSWERS, "csrf": me.csrf})
        clock.advance(minutes=1)
    assert "You are on the waiting list: number 2." in main_text(client.get(PAGE))
    assert [row[3] for row in registrations(store)] == ["registered", "waiting", "waiting"]
    client.cookies.clear()
    ann = sign_in(client, store, "ann@example.org")
    cancelled = client.post(f"{PAGE}/cancel", data={"csrf": ann.csrf})
    assert "Your registration is cancelled." in main_text(cancelled)
    assert [row[3] for row in registrations(store)] == ["cancelled", "registered", "waiting"]
    received = mail_server.deliver(store)
    assert [(r.rcpt_tos, r.message["Subject"]) for r in received] == [
        (("bob@example.org",), "A place opened for you at Test PTG")
    ]
    assert f"http://testserver{PAGE}" in received[0].message.get_content()


def test_state_changing_forms_need_their_token(client: TestClient, store: Store) -> None:
    me = sign_in(client, store, "ann@example.org")
    for path, fields in [(PAGE, ANSWERS), (f"{PAGE}/cancel", {}), (f"{PAGE}/accept", {})]:
        for extra, headers in [
            ({}, {}),
            ({"csrf": "wrong"}, {}),
            ({"csrf": me.csrf}, {"Sec-Fetch-Site": "cross-site"}),
        ]:
            answer = client.post(path, data={**fields, **extra}, headers=headers)
            assert (path, answer.status_code) == (path, 403)
    assert registrations(store) == []


def test_the_demo_faq_links_to_the_registration_form(demo_client: TestClient) -> None:
    faq = demo_client.get("/events/ptg-2022-04/faq")
    href = '<a href="/events/ptg-2022-04/register">register</a>'
    assert href in faq.text
    form = demo_client.get("/events/ptg-2022-04/register")
    assert form.status_code == 200
    assert 'name="teams" value="nova"' in form.text


def test_markdown_links_to_this_sites_pages_only() -> None:
    assert markdown("[a](/events/x/register) [b](//evil.example)") == (
        '<p><a href="/events/x/register">a</a> [b](//evil.example)</p>\n'
    )
