"""The outbox: what is queued, what is held for a paused address, and unpausing it."""

from __future__ import annotations

import pytest

from ptghub.core.errors import InvalidInput
from ptghub.store.mail_delivery import Delivery
from ptghub.store.store import Store
from tests.support import Clock


def _queue(store: Store, to: str, subject: str = "Hi") -> str:
    return store.outbox.enqueue(to=to, subject=subject, text="Hello", kind="test")


def _pause(store: Store, address: str) -> None:
    """``address`` refused a mail for good, as the sender records it."""
    _queue(store, address, "Refused")
    delivery = Delivery(store.engine, store.clock)
    claimed = delivery.claim()
    assert claimed is not None
    delivery.refused(claimed, "550 5.1.1 No such user")


def test_a_queued_mail_keeps_what_it_was_given(store: Store, clock: Clock) -> None:
    message_id = store.outbox.enqueue(
        to=" ada@example.org ",
        subject="Your\nsign-in link",
        text="Open it",
        html="<p>Open it</p>",
        kind="sign-in",
        headers={"Auto-Submitted": "auto-generated"},
    )
    entry = store.outbox.entry(message_id)
    assert entry is not None
    assert (
        entry.to_address,
        entry.subject,
        entry.body_text,
        entry.body_html,
        dict(entry.headers),
        entry.kind,
        entry.state,
        entry.created_at,
        entry.next_attempt_at,
        entry.attempts,
    ) == (
        "ada@example.org",
        "Your sign-in link",  # a line break would end the header: the subject is one line
        "Open it",
        "<p>Open it</p>",
        {"Auto-Submitted": "auto-generated"},
        "sign-in",
        "queued",
        clock.now,
        clock.now,
        0,
    )
    assert message_id.startswith("<") and message_id.endswith("@ptghub.invalid>")


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({"Bcc": "eve@example.org"}, "The header Bcc is written by the sender; leave it out."),
        ({"Message-ID": "<x@y>"}, "The header Message-ID is written by the sender; leave it out."),
        (
            {"X-Note": "a\r\nBcc: eve@example.org"},
            "The header X-Note has a line break; give it on one line.",
        ),
        (
            {"Bad Name": "x"},
            "'Bad Name' is not a mail header name; use printable ASCII without spaces or "
            "':', such as List-Unsubscribe.",
        ),
    ],
)
def test_headers_that_would_break_the_message_are_refused_and_nothing_is_queued(
    store: Store, headers: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        store.outbox.enqueue(to="a@example.org", subject="s", text="t", kind="k", headers=headers)
    assert (refused.value.message, store.outbox.counts()) == (message, {})


def test_a_bad_address_is_refused_and_nothing_is_queued(store: Store) -> None:
    with pytest.raises(InvalidInput) as refused:
        _queue(store, "not an address")
    assert refused.value.message == (
        "'not an address' is not an email address; write it as name@example.org."
    )
    assert store.outbox.counts() == {}


def test_mail_to_a_paused_address_is_held_with_the_reason(store: Store) -> None:
    _pause(store, "Gone@Example.org")
    held = store.outbox.entry(_queue(store, "gone@example.org", "Later"))
    other = store.outbox.entry(_queue(store, "here@example.org"))
    assert held is not None and other is not None
    assert (held.state, held.last_error) == (
        "held",
        f"paused: 550 5.1.1 No such user (to {store.outbox.entries(['failed'])[0].message_id})",
    )
    assert (other.state, other.last_error) == ("queued", None)
    assert [(p.address, p.reason.split(" (")[0]) for p in store.outbox.suppressions()] == [
        ("Gone@Example.org", "550 5.1.1 No such user")
    ]


def test_a_refusal_holds_what_was_already_queued_for_the_address(store: Store) -> None:
    _queue(store, "gone@example.org", "First")
    waiting = _queue(store, "GONE@example.org", "Second")
    delivery = Delivery(store.engine, store.clock)
    first = delivery.claim()
    assert first is not None
    delivery.refused(first, "550 No such user")
    assert [(e.subject, e.state) for e in store.outbox.entries()] == [
        ("Second", "held"),
        ("First", "failed"),
    ]
    assert delivery.claim() is None  # the held one is not due
    held = store.outbox.entry(waiting)
    assert held is not None and held.last_error == f"550 No such user (to {first.message_id})"


def test_unpausing_sends_new_mail_and_leaves_held_mail_unsent(store: Store) -> None:
    _pause(store, "gone@example.org")
    _queue(store, "gone@example.org", "Held")
    assert store.outbox.unpause("GONE@example.org ") == 0
    _queue(store, "gone@example.org", "After")
    assert store.outbox.suppressions() == []
    assert [(e.subject, e.state) for e in store.outbox.entries()] == [
        ("After", "queued"),
        ("Held", "held"),
        ("Refused", "failed"),
    ]


def test_unpausing_with_send_held_queues_the_held_mail_again(store: Store, clock: Clock) -> None:
    _pause(store, "gone@example.org")
    _queue(store, "gone@example.org", "Held")
    clock.advance(hours=1)
    assert store.outbox.unpause("gone@example.org", send_held=True) == 1
    [entry] = store.outbox.entries(["queued"])
    assert (entry.subject, entry.next_attempt_at, entry.last_error) == ("Held", clock.now, None)


def test_unpausing_an_address_that_is_not_paused_is_refused(store: Store) -> None:
    with pytest.raises(InvalidInput) as refused:
        store.outbox.unpause("ada@example.org")
    assert refused.value.message == (
        "'ada@example.org' is not paused; 'ptghub mail paused' lists the paused addresses."
    )


def test_the_list_is_newest_first_and_filters_by_state(store: Store, clock: Clock) -> None:
    for n in range(3):
        _queue(store, f"p{n}@example.org", f"Mail {n}")
        clock.advance(seconds=1)
    delivery = Delivery(store.engine, store.clock)
    first = delivery.claim()
    assert first is not None and delivery.sent(first)
    assert [e.subject for e in store.outbox.entries()] == ["Mail 2", "Mail 1", "Mail 0"]
    assert [e.subject for e in store.outbox.entries(["sent"])] == ["Mail 0"]
    assert [e.subject for e in store.outbox.entries(limit=1)] == ["Mail 2"]
    assert store.outbox.counts() == {"queued": 2, "sent": 1}
    with pytest.raises(InvalidInput) as refused:
        store.outbox.entries(["lost"])
    assert refused.value.message == (
        "'lost' is not a state of the outbox; use one of queued, sending, sent, failed, held."
    )


def test_a_listener_hears_of_each_mail_queued_outside_a_transaction(store: Store) -> None:
    heard: list[str] = []
    store.outbox.listeners.append(lambda: heard.append("queued"))
    _queue(store, "a@example.org")
    with store.engine.begin() as conn:
        store.outbox.enqueue(to="b@example.org", subject="s", text="t", kind="k", conn=conn)
    assert heard == ["queued"]  # in a caller's transaction the worker finds it at its next look
