"""The sender's side of the outbox: claims, retries with backoff, giving up, stale claims."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

from ptghub.store.mail_delivery import LONGEST_RETRY, MAX_ATTEMPTS, Delivery, backoff
from ptghub.store.outbox import OutboxEntry
from ptghub.store.store import Store
from tests.support import Clock


def _queue(store: Store, subject: str, to: str = "ada@example.org") -> str:
    return store.outbox.enqueue(to=to, subject=subject, text="Hello", kind="test")


def _claim(delivery: Delivery) -> OutboxEntry:
    entry = delivery.claim()
    assert entry is not None, "a mail was due"
    return entry


def test_backoff_doubles_from_a_minute_up_to_six_hours() -> None:
    minutes = [backoff(n) / timedelta(minutes=1) for n in range(1, MAX_ATTEMPTS)]
    assert minutes == [1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360]
    assert backoff(40) == LONGEST_RETRY


def test_mail_is_claimed_in_the_order_it_was_queued_once_each(store: Store, clock: Clock) -> None:
    first, second = _queue(store, "First"), _queue(store, "Second")
    delivery = Delivery(store.engine, store.clock)
    one, two = _claim(delivery), _claim(delivery)
    assert [(e.message_id, e.state, e.attempts, e.claimed_at) for e in (one, two)] == [
        (first, "sending", 1, clock.now),
        (second, "sending", 1, clock.now),
    ]
    assert delivery.claim() is None


def test_sent_mail_is_recorded_and_never_claimed_again(store: Store, clock: Clock) -> None:
    message_id = _queue(store, "Hi")
    delivery = Delivery(store.engine, store.clock)
    assert delivery.sent(_claim(delivery)) is True
    clock.advance(days=30)
    assert delivery.claim() is None
    entry = store.outbox.entry(message_id)
    assert entry is not None
    assert (entry.state, entry.sent_at) == ("sent", clock.now - timedelta(days=30))


def test_a_temporary_failure_is_retried_after_the_backoff(store: Store, clock: Clock) -> None:
    message_id = _queue(store, "Hi")
    delivery = Delivery(store.engine, store.clock)
    assert delivery.retry(_claim(delivery), "451 4.3.0 Try again later") == "queued"
    entry = store.outbox.entry(message_id)
    assert entry is not None
    assert (entry.state, entry.next_attempt_at, entry.last_error) == (
        "queued",
        clock.now + timedelta(minutes=1),
        "451 4.3.0 Try again later",
    )
    assert delivery.next_due() == clock.now + timedelta(minutes=1)
    clock.advance(seconds=59)
    assert delivery.claim() is None
    clock.advance(seconds=1)
    again = _claim(delivery)
    assert (again.message_id, again.attempts) == (message_id, 2)
    assert delivery.retry(again, "451 again") == "queued"
    entry = store.outbox.entry(message_id)
    assert entry is not None and entry.next_attempt_at == clock.now + timedelta(minutes=2)


def test_after_the_last_attempt_the_mail_fails(store: Store, clock: Clock) -> None:
    message_id = _queue(store, "Hi")
    delivery = Delivery(store.engine, store.clock, max_attempts=3)
    states = []
    for _ in range(3):
        states.append(delivery.retry(_claim(delivery), "421 Service not available"))
        clock.advance(hours=6)
    assert states == ["queued", "queued", "failed"]
    assert delivery.claim() is None
    entry = store.outbox.entry(message_id)
    assert entry is not None
    assert (entry.state, entry.last_error) == (
        "failed",
        "421 Service not available (gave up after 3 attempts)",
    )


def test_a_permanent_failure_of_one_mail_leaves_the_address_open(store: Store) -> None:
    delivery = Delivery(store.engine, store.clock)
    _queue(store, "Spam?")
    delivery.failed(_claim(delivery), "554 5.7.1 Message refused")
    later = store.outbox.entry(_queue(store, "Fine"))
    assert later is not None and later.state == "queued"
    assert store.outbox.suppressions() == []


def test_a_stale_claim_is_taken_over_and_its_old_worker_cannot_overwrite_it(
    store: Store, clock: Clock
) -> None:
    """A worker that died (or stalled) during the SMTP transaction: after the lease the
    mail is claimed again, with the same Message-ID; the old claim's outcome is ignored."""
    message_id = _queue(store, "Hi")
    delivery = Delivery(store.engine, store.clock, lease=timedelta(minutes=10))
    stale = _claim(delivery)
    assert delivery.next_due() == clock.now + timedelta(minutes=10)
    clock.advance(minutes=9)
    assert delivery.claim() is None
    clock.advance(minutes=1)
    fresh = _claim(delivery)
    assert (fresh.message_id, fresh.attempts) == (message_id, 2)
    assert delivery.sent(stale) is False
    delivery.retry(stale, "timed out")
    entry = store.outbox.entry(message_id)
    assert entry is not None and (entry.state, entry.attempts) == ("sending", 2)
    assert delivery.sent(fresh) is True


def test_nothing_due_means_no_claim_and_no_next_moment(store: Store) -> None:
    delivery = Delivery(store.engine, store.clock)
    assert (delivery.claim(), delivery.next_due()) == (None, None)


def test_workers_claiming_at_once_never_claim_one_mail_twice(store: Store) -> None:
    """Claimers at once on connections of their own, as two processes would be: every
    mail is claimed exactly once and none is left behind (PostgreSQL: row locks skipped,
    not waited for; SQLite: its one writer)."""
    queued = [_queue(store, f"Mail {n}", f"p{n}@example.org") for n in range(60)]
    claimed: list[str] = []
    start = threading.Barrier(4)

    def claimer() -> None:
        delivery = Delivery(store.engine, store.clock)
        start.wait()
        while (entry := delivery.claim()) is not None:
            claimed.append(entry.message_id)

    threads = [threading.Thread(target=claimer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(claimed) == Counter(queued)
