"""store/sign_in_links.py: an emailed link works once, for 15 minutes, in the browser that
asked for it (or, to add an address, for the person who asked); each refusal says why."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa

from ptghub.core.errors import InvalidInput
from ptghub.store import tables as t
from ptghub.store.sign_in_links import ADD_ADDRESS, LinkRefused
from ptghub.store.store import Store
from tests.store.racing import in_threads
from tests.support import Clock

BROWSER = "the browser that asked"


def _reason(call: object) -> str:
    assert callable(call)
    with pytest.raises(LinkRefused) as refused:
        call()
    return refused.value.reason


def test_a_link_signs_in_once_in_the_browser_that_asked(store: Store) -> None:
    token = store.links.create("Ann@Example.org", browser=BROWSER)
    assert store.links.peek(token).address == "Ann@Example.org"
    assert store.links.redeem(token, browser=BROWSER).address == "Ann@Example.org"
    assert _reason(lambda: store.links.redeem(token, browser=BROWSER)) == "used"
    assert _reason(lambda: store.links.peek(token)) == "used"


def test_only_digests_are_stored(store: Store) -> None:
    token = store.links.create("ann@example.org", browser=BROWSER)
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(t.sign_in_links)).one()
    assert (row.digest, row.browser_digest) == (
        hashlib.sha256(token.encode()).hexdigest(),
        hashlib.sha256(BROWSER.encode()).hexdigest(),
    )


def test_a_link_expires_after_15_minutes(store: Store, clock: Clock) -> None:
    token = store.links.create("ann@example.org", browser=BROWSER)
    clock.advance(minutes=14, seconds=59)
    store.links.peek(token)
    clock.advance(seconds=1)
    assert _reason(lambda: store.links.redeem(token, browser=BROWSER)) == "expired"


def test_a_link_opened_in_another_browser_is_refused_and_still_works_in_its_own(
    store: Store,
) -> None:
    token = store.links.create("ann@example.org", browser=BROWSER)
    assert _reason(lambda: store.links.redeem(token, browser="another browser")) == "other-browser"
    assert _reason(lambda: store.links.redeem(token, browser=None)) == "other-browser"
    assert store.links.redeem(token, browser=BROWSER).address == "ann@example.org"


def test_a_tampered_or_unknown_token_is_refused(store: Store) -> None:
    token = store.links.create("ann@example.org", browser=BROWSER)
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (changed, token[:-3], "", "x" * 500):
        assert _reason(lambda bad=bad: store.links.redeem(bad, browser=BROWSER)) == "unknown"


def test_a_sign_in_link_does_not_add_an_address_nor_the_other_way_round(store: Store) -> None:
    person = store.accounts.sign_up("ann@example.org").person_id
    sign_in = store.links.create("ann@example.org", browser=BROWSER)
    adding = store.links.create(
        "ann@work.example", browser=BROWSER, purpose=ADD_ADDRESS, person_id=person
    )
    assert _reason(lambda: store.links.peek(sign_in, purpose=ADD_ADDRESS)) == "unknown"
    assert _reason(lambda: store.links.redeem(adding, browser=BROWSER)) == "unknown"


def test_an_address_link_works_only_for_the_person_who_asked(store: Store) -> None:
    ann = store.accounts.sign_up("ann@example.org").person_id
    bob = store.accounts.sign_up("bob@example.org").person_id
    token = store.links.create(
        "ann@work.example", browser=BROWSER, purpose=ADD_ADDRESS, person_id=ann
    )
    refused = _reason(
        lambda: store.links.redeem(token, browser=None, purpose=ADD_ADDRESS, person_id=bob)
    )
    assert refused == "other-person"
    link = store.links.redeem(token, browser=None, purpose=ADD_ADDRESS, person_id=ann)
    assert (link.address, link.person_id) == ("ann@work.example", ann)


def test_a_link_to_a_malformed_address_is_not_made(store: Store) -> None:
    with pytest.raises(InvalidInput, match="is not an email address"):
        store.links.create("not an address", browser=BROWSER)
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.sign_in_links)).scalar() == 0


def test_of_two_uses_at_once_exactly_one_signs_in(store: Store) -> None:
    token = store.links.create("ann@example.org", browser=BROWSER)

    def use() -> str:
        try:
            return store.links.redeem(token, browser=BROWSER).address
        except LinkRefused as refused:
            return refused.reason

    assert sorted(in_threads([use] * 4)) == ["ann@example.org", "used", "used", "used"]


def test_each_refusal_says_what_happened(store: Store) -> None:
    messages = {
        reason: LinkRefused(reason).message  # type: ignore[arg-type]
        for reason in ("unknown", "used", "expired", "other-browser", "other-person")
    }
    assert messages == {
        "unknown": "This link is not one we sent, or it was cut or changed on the way "
        "(copy the whole link from the mail).",
        "used": "This link has already been used: each link works only once.",
        "expired": "This link has expired: a link works for 15 minutes.",
        "other-browser": "This link was asked for in another browser: it works only in the "
        "browser where you asked for it.",
        "other-person": "This link was sent to add an address to another account: sign in "
        "as the person who asked for it.",
    }
