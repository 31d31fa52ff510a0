"""The updates list: double opt-in, tokens that only this site makes for one address and
one event, and the opt-out an unsubscribe leaves."""

from __future__ import annotations

import pytest

from ptghub.store.store import Store
from ptghub.store.updates_list import TokenRefused, UpdatesList
from tests.attendee_rows import EVENT, other_event
from tests.support import Clock

FORGED = (
    "This link is not one we sent for this event, or it was cut or changed on the way "
    "(copy the whole link from the mail)."
)


def _list(store: Store) -> UpdatesList:
    return store.attendees.updates.subscribers


def _state(store: Store, address: str, event: str = EVENT) -> str | None:
    found = _list(store).subscriber(event, address)
    return None if found is None else found.state


def test_an_address_is_listed_only_once_confirmed(store: Store) -> None:
    outcome, token = _list(store).subscribe(EVENT, "Ada@Example.org")
    assert (outcome, _state(store, "ada@example.org")) == ("new", "pending")
    assert token is not None
    assert _list(store).confirm(EVENT, token) == "Ada@Example.org"
    assert _state(store, "ada@example.org") == "confirmed"
    # Confirming again, and signing up again once listed, change nothing and mail nothing.
    assert _list(store).confirm(EVENT, token) == "Ada@Example.org"
    assert _list(store).subscribe(EVENT, "ada@example.org") == ("listed", None)
    assert _list(store).counts(EVENT) == {"confirmed": 1}


def test_a_pending_address_asking_again_gets_a_new_token(store: Store, clock: Clock) -> None:
    _, first = _list(store).subscribe(EVENT, "ada@example.org")
    clock.advance(minutes=5)
    outcome, second = _list(store).subscribe(EVENT, "ada@example.org")
    assert outcome == "again"
    assert second is not None and second != first
    assert first is not None
    _list(store).confirm(EVENT, first)  # both links work until it expires
    assert _state(store, "ada@example.org") == "confirmed"


def test_a_confirmation_token_expires_after_seven_days(store: Store, clock: Clock) -> None:
    _, token = _list(store).subscribe(EVENT, "ada@example.org")
    assert token is not None
    clock.advance(days=7, seconds=1)
    with pytest.raises(TokenRefused) as refused:
        _list(store).confirm(EVENT, token)
    assert refused.value.message == (
        "This confirmation link has expired: it works for 7 days. Sign up again to get a new one."
    )
    assert _state(store, "ada@example.org") == "pending"


@pytest.mark.parametrize(
    "change",
    [
        lambda token: token[:-2],  # cut
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # changed signature
        lambda token: "Ym9iQGV4YW1wbGUub3Jn" + token[token.index(".") :],  # bob@, ada's MAC
        lambda token: "",
        lambda token: "not-base64!.x.y",
    ],
    ids=["cut", "changed", "other-address", "empty", "garbage"],
)
def test_forged_tokens_are_refused(store: Store, change: object) -> None:
    _, confirm = _list(store).subscribe(EVENT, "ada@example.org")
    event_id = _list(store).event_id(EVENT)
    unsubscribe = _list(store).unsubscribe_tokens(event_id)("ada@example.org")
    assert confirm is not None and callable(change)
    with pytest.raises(TokenRefused) as refused:
        _list(store).confirm(EVENT, change(confirm))
    assert refused.value.message == FORGED
    with pytest.raises(TokenRefused) as refused:
        _list(store).unsubscribe(EVENT, change(unsubscribe))
    assert refused.value.message == FORGED
    assert _list(store).counts(EVENT) == {"pending": 1}


def test_a_token_of_another_event_is_refused(store: Store) -> None:
    other = other_event(store)
    _, confirm = _list(store).subscribe(other, "ada@example.org")
    unsubscribe = _list(store).unsubscribe_tokens(_list(store).event_id(other))("ada@example.org")
    _list(store).subscribe(EVENT, "ada@example.org")
    assert confirm is not None
    for attempt in (
        lambda: _list(store).confirm(EVENT, confirm),
        lambda: _list(store).unsubscribe(EVENT, unsubscribe),
    ):
        with pytest.raises(TokenRefused) as refused:
            attempt()
        assert refused.value.message == FORGED
    assert (_state(store, "ada@example.org"), _state(store, "ada@example.org", other)) == (
        "pending",
        "pending",
    )


def test_unsubscribing_opts_out_even_an_address_never_listed(store: Store) -> None:
    token = _list(store).unsubscribe_tokens(_list(store).event_id(EVENT))("rita@example.org")
    assert _list(store).unsubscribe(EVENT, token) == "rita@example.org"
    assert _list(store).unsubscribe(EVENT, token) == "rita@example.org"  # twice: no error
    assert _state(store, "rita@example.org") == "unsubscribed"


def test_an_old_confirmation_cannot_list_again_an_address_that_left(
    store: Store, clock: Clock
) -> None:
    _, old = _list(store).subscribe(EVENT, "ada@example.org")
    assert old is not None
    _list(store).confirm(EVENT, old)
    clock.advance(minutes=1)
    unsubscribe = _list(store).unsubscribe_tokens(_list(store).event_id(EVENT))("ada@example.org")
    _list(store).unsubscribe(EVENT, unsubscribe)
    with pytest.raises(TokenRefused):
        _list(store).confirm(EVENT, old)
    clock.advance(minutes=1)
    outcome, new = _list(store).subscribe(EVENT, "ada@example.org")  # she asks again
    assert outcome == "again" and new is not None
    with pytest.raises(TokenRefused) as refused:
        _list(store).confirm(EVENT, old)
    assert refused.value.message == (
        "This confirmation link is older than your last unsubscribe: sign up again to get a "
        "new one."
    )
    _list(store).confirm(EVENT, new)
    assert _state(store, "ada@example.org") == "confirmed"
