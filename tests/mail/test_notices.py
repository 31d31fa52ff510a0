"""Follow notices by email: a burst of changes within a minute is one mail, sent once,
through the mail worker's own passes and a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import threading

from ptghub.core.model import Actor
from ptghub.mail.notices import FollowMail
from ptghub.mail.sender import MailWorker
from ptghub.store.notice_mail import KIND
from ptghub.store.store import Store
from tests.follows import choose, follow
from tests.mail.sending import one_pass, smtp_config
from tests.mailserver import MailServer
from tests.support import Clock

WEB = Actor("olivia", frontend="web")
SITE = "https://ptg.example.org"


def follower(store: Store, address: str = "ada@example.org", **channels: bool) -> int:
    person = store.accounts.sign_up(address).person_id
    follow(store, person, "team", "nova")
    choose(store, person, **channels)
    return person


def test_a_burst_of_three_edits_is_one_mail_with_three_lines(
    store: Store, clock: Clock, mail_server: MailServer
) -> None:
    follower(store, email=True)
    worker = MailWorker(store, smtp_config(mail_server), poll=60.0, site=SITE)
    one_pass(worker)  # the worker starts from the log as it is

    store.run("#nova now Placement API", WEB)
    one_pass(worker)
    clock.advance(seconds=25)
    store.run("#nova next Cells v2", WEB)
    one_pass(worker)
    clock.advance(seconds=25)
    store.run("#nova next Quotas", WEB)
    one_pass(worker)
    clock.advance(seconds=9)  # 59 s after the first change: still gathering
    one_pass(worker)
    assert mail_server.messages == []

    clock.advance(seconds=1)
    assert one_pass(worker).sent == 1
    [mail] = mail_server.messages
    assert mail.rcpt_tos == ("ada@example.org",)
    assert mail.message["Subject"] == "Test PTG: 3 changes in what you follow"
    body = mail.message.get_content()
    assert [line for line in body.splitlines() if line.startswith("- ")] == [
        "- Nova/Placement (#nova) is now on: Placement API",
        "- Nova/Placement (#nova) comes next to: Cells v2",
        "- Nova/Placement (#nova) comes next to: Quotas",
    ]
    assert f"  Team page: {SITE}/events/test-ptg/teams/nova" in body.splitlines()
    assert "  Etherpad: https://etherpad.opendev.org/p/test-ptg-nova" in body.splitlines()
    assert (
        body.splitlines()[-1]
        == f"Change what you follow and how you are told on My PTG: {SITE}/events/test-ptg/my"
    )
    assert store.outbox.entries()[0].kind == KIND
    assert store.attendees.follow_notices.pending(1) == []
    assert one_pass(worker).sent == 0  # nothing more


def test_two_workers_gather_each_line_once_and_send_one_mail(
    store: Store, clock: Clock, mail_server: MailServer
) -> None:
    person = follower(store, email=True)
    workers = [FollowMail(store, SITE), FollowMail(store, SITE)]
    for worker in workers:
        worker.step()
    store.run("#nova now Placement API", WEB)
    for worker in workers:
        worker.step()
    [lines] = store.attendees.follow_notices.pending(person)
    assert [line["topic"] for line in lines] == ["Placement API"]

    clock.advance(seconds=60)
    queued: list[int] = []
    start = threading.Barrier(2)

    def send() -> None:
        start.wait()
        queued.append(store.attendees.follow_notices.send_due(SITE))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(queued) == [0, 1]
    [mail] = mail_server.deliver(store)
    assert mail.message["Subject"] == "Test PTG: #nova now Placement API"


def test_a_person_without_email_notices_gets_no_mail(
    store: Store, clock: Clock, mail_server: MailServer
) -> None:
    follower(store, chat=True, browser=True)
    worker = MailWorker(store, smtp_config(mail_server), poll=60.0, site=SITE)
    one_pass(worker)
    store.run("#nova now Placement API", WEB)
    one_pass(worker)
    clock.advance(minutes=2)
    one_pass(worker)
    assert mail_server.messages == []
    assert store.outbox.entries() == []
