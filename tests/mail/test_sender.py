"""The sender worker against a real SMTP server (aiosmtpd, tests/mailserver.py).

Time at the event is the store's clock (tests.support.Clock), moved by hand: a retry
"an hour later" is an hour of that clock, and a worker is moved on by ``wake()`` or by
one pass in the test's thread, never by sleeping.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

from ptghub.mail.sender import MailWorker, Tally
from ptghub.store.mail_delivery import Delivery
from ptghub.store.store import Store
from tests.mail.sending import one_pass, queue, wait_until, worker_for
from tests.mailserver import MailServer
from tests.support import Clock


def test_mail_waits_in_the_outbox_while_smtp_is_down_and_arrives_once_when_it_is_back(
    store: Store, clock: Clock, mail_server: MailServer
) -> None:
    mail_server.stop()
    queued = [queue(store, f"p{n}@example.org", f"Mail {n}") for n in range(3)]
    worker = worker_for(store, mail_server)
    worker.start()
    try:
        # Its first pass: the first mail finds no server; the others wait for the next
        # pass (a minute later, or when woken) rather than each trying a dead connection.
        wait_until(
            lambda: store.outbox.entries()[-1].last_error is not None,
            "the worker tried the first mail",
        )
        waiting = store.outbox.entries()
        assert [(e.state, e.attempts) for e in waiting] == [("queued", 0)] * 2 + [("queued", 1)]
        assert waiting[-1].last_error is not None
        assert waiting[-1].last_error.startswith(
            f"SMTPConnectError: Error connecting to 127.0.0.1 on port {mail_server.port}"
        )
        assert mail_server.messages == []

        mail_server.start()
        clock.advance(hours=1)  # past every mail's next attempt
        worker.wake()
        mail_server.wait_for(3)
        wait_until(lambda: store.outbox.counts() == {"sent": 3}, "all three recorded as sent")
    finally:
        worker.stop()
    clock.advance(days=2)
    assert one_pass(worker) == Tally()  # nothing is due again, ever
    assert mail_server.message_ids() == Counter(queued)


def test_the_message_sent_is_the_row_with_its_message_id(
    store: Store, mail_server: MailServer
) -> None:
    message_id = queue(
        store,
        "zoe@example.org",
        "Ton lien de connexion, Zoë",
        html="<p>Bonjour Zoë</p>",
        headers={"Auto-Submitted": "auto-generated"},
    )
    assert one_pass(worker_for(store, mail_server)) == Tally(sent=1)
    [received] = mail_server.wait_for(1)
    entry = store.outbox.entry(message_id)
    assert entry is not None and entry.state == "sent"
    message = received.message
    assert (received.mail_from, received.rcpt_tos) == ("ptg@example.org", ("zoe@example.org",))
    assert {name: str(message[name]) for name in ("From", "To", "Subject", "Message-ID")} == {
        "From": "PTG Test <ptg@example.org>",
        "To": "zoe@example.org",
        "Subject": "Ton lien de connexion, Zoë",
        "Message-ID": message_id,
    }
    assert message["Date"].datetime == entry.created_at
    assert message["Auto-Submitted"] == "auto-generated"
    text, html = (message.get_body(("plain",)), message.get_body(("html",)))
    assert text is not None and html is not None
    assert (text.get_content(), html.get_content()) == (
        "Ton lien de connexion, Zoë.\n",
        "<p>Bonjour Zoë</p>\n",
    )


def test_a_permanent_refusal_pauses_the_address_and_later_mail_to_it_is_held(
    store: Store, mail_server: MailServer
) -> None:
    mail_server.answer("gone@example.org", "550 5.1.1 No such user")
    refused = queue(store, "gone@example.org", "First")
    fine = queue(store, "here@example.org", "Second")
    worker = worker_for(store, mail_server)
    assert one_pass(worker) == Tally(sent=1, failed=1)  # the next mail goes on the same connection
    assert [r.message_id for r in mail_server.wait_for(1)] == [fine]
    entry = store.outbox.entry(refused)
    assert entry is not None
    assert (entry.state, entry.last_error) == ("failed", "550 5.1.1 No such user")
    assert [(p.address, p.reason) for p in store.outbox.suppressions()] == [
        ("gone@example.org", f"550 5.1.1 No such user (to {refused})")
    ]

    later = store.outbox.entry(queue(store, "Gone@example.org", "Third"))
    assert later is not None
    assert (later.state, later.last_error) == (
        "held",
        f"paused: 550 5.1.1 No such user (to {refused})",
    )
    assert one_pass(worker) == Tally()
    assert len(mail_server.messages) == 1


def test_a_temporary_refusal_is_retried_later_with_backoff(
    store: Store, clock: Clock, mail_server: MailServer
) -> None:
    mail_server.answer("busy@example.org", "451 4.2.1 Mailbox busy, try later")
    message_id = queue(store, "busy@example.org", "Hello")
    worker = worker_for(store, mail_server)

    def next_attempt() -> tuple[str, timedelta, str | None]:
        entry = store.outbox.entry(message_id)
        assert entry is not None
        return entry.state, entry.next_attempt_at - clock.now, entry.last_error

    assert one_pass(worker) == Tally(retried=1)
    assert next_attempt() == ("queued", timedelta(minutes=1), "451 4.2.1 Mailbox busy, try later")
    clock.advance(seconds=59)
    assert one_pass(worker) == Tally()  # not due yet: not tried
    clock.advance(seconds=1)
    assert one_pass(worker) == Tally(retried=1)
    assert next_attempt() == ("queued", timedelta(minutes=2), "451 4.2.1 Mailbox busy, try later")
    clock.advance(minutes=2)
    assert one_pass(worker) == Tally(retried=1)
    assert next_attempt() == ("queued", timedelta(minutes=4), "451 4.2.1 Mailbox busy, try later")
    assert mail_server.messages == []

    mail_server.answer("busy@example.org", None)
    clock.advance(minutes=4)
    assert one_pass(worker) == Tally(sent=1)
    assert mail_server.message_ids() == Counter([message_id])
    entry = store.outbox.entry(message_id)
    assert entry is not None and (entry.state, entry.attempts) == ("sent", 4)


def test_a_message_refused_for_good_fails_alone_and_the_address_stays_open(
    store: Store, mail_server: MailServer
) -> None:
    mail_server.answer_data("554 5.7.1 Message looks like spam")
    message_id = queue(store, "ada@example.org", "Hello")
    assert one_pass(worker_for(store, mail_server)) == Tally(failed=1)
    entry = store.outbox.entry(message_id)
    assert entry is not None
    assert (entry.state, entry.last_error) == (
        "failed",
        "554 5.7.1 Message looks like spam (after DATA)",
    )
    assert store.outbox.suppressions() == []


def test_two_workers_on_one_database_never_send_one_mail_twice(
    database_url: str, clock: Clock, mail_server: MailServer
) -> None:
    """Two stores on one database, as ``ptghub serve`` and ``ptghub mail worker`` in two
    processes: their passes run at once, and each mail arrives exactly once."""
    stores = [Store.open(database_url, clock=clock) for _ in range(2)]
    try:
        queued = [queue(stores[0], f"p{n}@example.org", f"Mail {n}") for n in range(30)]
        workers = [worker_for(s, mail_server) for s in stores]
        tallies: list[Tally] = []
        start = threading.Barrier(2)

        def work(worker: MailWorker) -> None:
            start.wait()
            tallies.append(one_pass(worker))

        threads = [threading.Thread(target=work, args=(w,)) for w in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        mail_server.wait_for(30)
        assert mail_server.message_ids() == Counter(queued)
        assert sum(t.sent for t in tallies) == 30
        assert stores[0].outbox.counts() == {"sent": 30}
    finally:
        for s in stores:
            s.close()


def test_a_stopped_worker_leaves_the_rest_queued(store: Store, mail_server: MailServer) -> None:
    worker = worker_for(store, mail_server)
    worker.start()
    worker.stop()  # returns once its thread ended, waiting or not
    queue(store, "ada@example.org", "After the stop")
    assert store.outbox.counts() == {"queued": 1}
    assert mail_server.messages == []


def test_a_mail_left_sending_by_a_dead_worker_is_sent_again_after_the_lease_with_its_message_id(
    store: Store, clock: Clock, mail_server: MailServer
) -> None:
    """docs/mail.md, "Sent once": a worker claimed the mail and died; from the row alone
    nobody knows whether the server had it, so after 10 minutes it goes again, as the same
    message. Until then no other worker touches it."""
    message_id = queue(store, "ada@example.org", "Hello")
    dead = Delivery(store.engine, store.clock).claim()
    assert dead is not None and dead.message_id == message_id
    worker = worker_for(store, mail_server)
    clock.advance(minutes=9, seconds=59)
    assert one_pass(worker) == Tally()
    clock.advance(seconds=1)
    assert one_pass(worker) == Tally(sent=1)
    assert mail_server.message_ids() == Counter([message_id])
    entry = store.outbox.entry(message_id)
    assert entry is not None and (entry.state, entry.attempts) == ("sent", 2)


def test_the_test_server_delivers_a_stores_outbox_in_one_call(
    store: Store, mail_server: MailServer
) -> None:
    """What other tests use to read what ptghub mailed (tests/mailserver.py)."""
    message_id = queue(store, "ada@example.org", "Your link")
    [received] = mail_server.deliver(store)
    assert (received.message_id, received.message.get_content()) == (message_id, "Your link.\n")
    assert mail_server.deliver(store) == []
