"""A newcomer's whole way in a real browser (issue 13), with every part real: register
by a link mailed through the SMTP server, accept the changed code of conduct, follow a
team and a topic pattern, choose email and browser notices, and get one mail (and a
toast) when the team goes to a matching topic.

ptghub runs in this process (uvicorn on a free port, as ``ptghub serve`` builds it:
``create_app`` with the mail worker of ``cli.mail.mail_worker_for`` as a companion,
pointed at aiosmtpd) on the test's store: the small test event, its clock on Monday
4 April 2022 at 13:30 UTC. The store's clock is the test's, so the one-minute debounce of
the email notices passes by moving it, not by waiting; the worker's own passes gather
and send, and the test waits for what they do, never for a time. The organizer acts in a
second browser; the chair of nova sets the topics with ``Store.run``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from email.message import EmailMessage

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, BrowserContext, Page, expect

from ptghub.cli.mail import mail_worker_for
from ptghub.live.personal import PersonalNotices
from ptghub.settings import Settings
from ptghub.store.notice_mail import KIND
from ptghub.store.registration_answers import Answers
from ptghub.store.store import Store
from ptghub.web.app import create_app
from ptghub.web.session import SESSION_COOKIE
from tests.browser.conftest import LIVE_WAIT
from tests.mailserver import MailServer
from tests.support import NOVA_CHAIR, ORGANIZER, Clock
from tests.web.serving import Running, bound_socket, serving

EVENT = "test-ptg"
REGISTER = f"/events/{EVENT}/register"
MY_PTG = f"/events/{EVENT}/my"
NEWCOMER = "newcomer@example.org"
TEAM, NAME = "nova", "Nova/Placement"
PATTERN = "placement|quota"
WAIT = 20.0  # seconds to wait for the mail worker's passes: generous on a loaded machine


@pytest.fixture
def site(store: Store, mail_server: MailServer) -> Iterator[Running]:
    """ptghub served on a free port, sending its mail (follow notices too) to aiosmtpd,
    with links to where it is served."""
    sock = bound_socket()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = Settings(**mail_server.settings(), public_url=url)
    mailer, _ = mail_worker_for(store, settings)
    assert mailer is not None
    try:
        with serving(create_app(store, settings, companions=[mailer]), sock=sock) as running:
            yield running
    finally:
        sock.close()


def _connected(app: FastAPI) -> frozenset[int]:
    """The people whose notice streams the server's hub holds open (web.notice_stream)."""
    found = getattr(app.state, "personal_notices", None)
    return found.connected() if isinstance(found, PersonalNotices) else frozenset()


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def _wait_until(what: str, condition: Callable[[], bool]) -> None:
    """Poll ``condition`` (a look at the database or the SMTP server) until it holds."""
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"not within {WAIT} s: {what}"
        time.sleep(0.05)


def _context(browser: Browser, running: Running, errors: list[str]) -> BrowserContext:
    context = browser.new_context(base_url=running.url, timezone_id="Europe/Berlin", locale="en-GB")
    context.set_default_timeout(10_000)
    context.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    context.on("weberror", lambda e: errors.append(str(e.error)))
    return context


def _organizer_page(context: BrowserContext, store: Store, running: Running, address: str) -> Page:
    """A page of ``context`` signed in as a person the organizer made an organizer."""
    account = store.accounts.sign_up(address)
    store.run(f"~role grant {account.web_nick} organizer", ORGANIZER)
    secret = store.accounts.start_session(account.person_id, via="email")
    context.add_cookies([{"name": SESSION_COOKIE, "value": secret, "url": running.url}])
    return context.new_page()


def _register_by_mail(page: Page, mail_server: MailServer) -> None:
    page.goto(REGISTER)
    expect(page.get_by_role("heading", level=1)).to_have_text("Register for Test PTG")
    page.get_by_label("Email address").fill(NEWCOMER)
    page.get_by_role("radio", name="Developer").check()
    page.get_by_role("checkbox", name=NAME).check()
    page.get_by_role("checkbox", name="This is my first PTG").check()
    page.get_by_label("Your time zone").select_option("Europe/Berlin")
    page.get_by_role("checkbox", name=re.compile("I have read and accept the code")).check()
    page.get_by_role("button", name="Mail me the link to register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your mail")

    [mail] = mail_server.wait_for(1, timeout=WAIT)  # sent by the server's mail worker
    assert (mail.rcpt_tos, mail.message["Subject"]) == (
        (NEWCOMER,),
        "Complete your registration for Test PTG",
    )
    links = re.findall(r"https?://\S+token=\S+", _text(mail.message))
    assert len(links) == 1, _text(mail.message)
    page.goto(links[0])
    answers = page.locator("dl.register-answers")
    expect(answers).to_contain_text("Developer")
    expect(answers).to_contain_text(NAME)
    expect(answers).to_contain_text("Europe/Berlin")
    page.get_by_role("button", name="Sign in and register").click()
    page.wait_for_url(f"**{REGISTER}")
    expect(page.locator("p.flash")).to_have_text("You are registered.")
    expect(page.locator("header.site .account a")).to_have_text("newcomer")


def _accept_changed_code(page: Page, organizer: Page) -> None:
    organizer.goto(f"/events/{EVENT}/organize/registrations")
    organizer.get_by_role("button", name="The code of conduct changed").click()
    expect(organizer.locator("p.flash")).to_contain_text("The code of conduct is now version 2")

    page.goto(f"/events/{EVENT}/board")
    notice = page.locator("p.coc-outdated")
    expect(notice).to_contain_text("The code of conduct of this event changed")
    notice.get_by_role("link", name="read it and accept the new version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code of conduct")
    page.get_by_role("checkbox", name=re.compile("accept version 2")).check()
    page.get_by_role("button", name="Accept").click()
    page.wait_for_url(f"**{REGISTER}")
    expect(page.locator("p.flash")).to_have_text(
        "Thank you: you accepted version 2 of the code of conduct."
    )
    page.goto(f"/events/{EVENT}/board")
    expect(page.locator("p.coc-outdated")).to_have_count(0)


def _follow(page: Page) -> None:
    page.goto(f"/events/{EVENT}/teams/{TEAM}")
    page.get_by_role("button", name=f"Follow {NAME}").click()
    expect(page.locator("#follow-reply")).to_have_text(
        f"You follow {NAME} now: its sessions are on My PTG."
    )
    page.goto(MY_PTG)
    page.get_by_label(re.compile("^by email")).check()
    page.get_by_label(re.compile("^in the browser")).check()
    page.get_by_role("button", name="Save how to tell me").click()
    expect(page.locator("p.flash")).to_have_text("You will be told by email and browser.")
    page.get_by_label("Pattern to follow").fill(PATTERN)
    page.get_by_role("button", name="Follow topics").click()
    expect(page.locator(".my-patterns code")).to_have_text([PATTERN])


def test_a_newcomer_registers_accepts_the_code_follows_and_is_mailed_a_matching_topic(
    browser: Browser, store: Store, clock: Clock, mail_server: MailServer, site: Running
) -> None:
    errors: list[str] = []
    newcomer, organizers = _context(browser, site, errors), _context(browser, site, errors)
    try:
        page = newcomer.new_page()
        _register_by_mail(page, mail_server)
        person = store.accounts.sign_up(NEWCOMER).person_id  # the account the link made
        regs = store.attendees.registrations
        event_id = regs.event_id(EVENT)
        mine = regs.get(event_id, person)
        assert mine is not None
        assert (mine.state, mine.answers, mine.coc_version) == (
            "registered",
            Answers("developer", (TEAM,), False, "Europe/Berlin", True),
            1,
        )
        _accept_changed_code(page, _organizer_page(organizers, store, site, "olga@example.org"))
        accepted = regs.get(event_id, person)
        assert accepted is not None
        assert (accepted.state, accepted.coc_version) == ("registered", 2)
        _follow(page)

        # An open page listens to the person's notices (the browser channel). The server
        # subscribes before it answers (web.notice_stream), so once this page's stream is
        # open (notices.js marks its region), a change made now reaches it. The previous
        # page's stream may still be held by the server: it does not count.
        page.goto(f"/events/{EVENT}/rooms")
        expect(page.locator('.notice-toasts[data-stream="open"]')).to_have_count(
            1, timeout=LIVE_WAIT
        )
        assert person in _connected(site.app)
        before = len(mail_server.messages)

        # A burst within the debounce minute: nova goes to a matching topic (the team
        # and the pattern both say so: one line), cinder, not followed, to one the
        # pattern matches, and to one it does not.
        store.run(f"#{TEAM} now Placement API", NOVA_CHAIR)
        store.run("#cinder now Quota limits", ORGANIZER)
        store.run("#cinder next Backups", ORGANIZER)
        toast = page.get_by_role("status").get_by_text("Placement API")
        expect(toast).to_contain_text(
            f"{NAME} (#{TEAM}) is now on: Placement API", timeout=LIVE_WAIT
        )

        # The mail worker gathers both lines into one pending mail, due a minute later.
        notices = store.attendees.follow_notices
        _wait_until(
            "the mail worker gathers the two lines",
            lambda: [len(lines) for lines in notices.pending(person)] == [2],
        )
        assert len(mail_server.messages) == before
        clock.advance(seconds=60)
        mail_server.wait_for(before + 1, timeout=WAIT)

        subject = "Test PTG: 2 changes in what you follow"
        [mail] = mail_server.messages[before:]
        assert (mail.rcpt_tos, mail.message["To"], mail.message["Subject"]) == (
            (NEWCOMER,),
            NEWCOMER,
            subject,
        )
        body = _text(mail.message).splitlines()
        assert [line for line in body if line.startswith("- ")] == [
            f"- {NAME} (#{TEAM}) is now on: Placement API",
            "- Cinder (#cinder) is now on: Quota limits",
        ]
        team_page = f"{site.url}/events/{EVENT}/teams/{TEAM}"
        assert f"  Team page: {team_page}" in body
        assert body[-1] == (
            f"Change what you follow and how you are told on My PTG: {site.url}{MY_PTG}"
        )
        # Sent once: nothing left to gather or send for the person.
        assert notices.pending(person) == []
        mine = [e for e in store.outbox.entries() if e.kind == KIND and e.to_address == NEWCOMER]
        assert len(mine) == 1

        # The mail's link opens the team's page, which the newcomer follows.
        page.goto(team_page)
        expect(page.get_by_role("heading", level=1)).to_contain_text(NAME)
        expect(page.get_by_role("button", name=f"Unfollow {NAME}")).to_be_visible()
        assert errors == []
    finally:
        newcomer.close()
        organizers.close()
