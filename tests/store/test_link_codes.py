"""Link codes (store/link_codes.py): a signed-in person's one-time code links a chat
identity to them; a code is short, stored as its digest, lasts 10 minutes and links once;
an identity of another person is never taken over; unlinking keeps the web nick."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from ptghub.core.errors import InvalidInput, NotFound
from ptghub.core.model import Actor
from ptghub.store import tables as t
from ptghub.store.link_codes import (
    ALPHABET,
    EXPIRED_CODE,
    UNKNOWN_CODE,
    USED_CODE,
    LinkRefused,
    normalize,
)
from ptghub.store.store import Store
from tests.support import Clock


def test_a_code_is_two_groups_of_four_unambiguous_characters_stored_as_its_digest(
    store: Store,
) -> None:
    alice = store.accounts.sign_up("alice@example.org", "Alice Smith")
    code = store.link_codes.create(alice.person_id)

    assert len(code) == 9 and code[4] == "-"
    assert set(code.replace("-", "")) <= set(ALPHABET)
    assert not set("01ILOU") & set(ALPHABET)
    with store.engine.connect() as conn:
        stored = conn.execute(select(t.link_codes.c.digest)).scalars().all()
    assert stored == [hashlib.sha256(code.replace("-", "").encode()).hexdigest()]


def test_a_code_is_read_back_whatever_the_case_spaces_or_dashes() -> None:
    assert normalize("abcd-efgh") == "ABCDEFGH"
    assert normalize(" ab cd ef gh ") == "ABCDEFGH"
    assert normalize("ABCD-EFG") is None
    assert normalize("ABCD-EFG0") is None  # 0 is not in the alphabet


def test_redeeming_links_the_identity_to_the_person_and_its_roles_follow(store: Store) -> None:
    alice = store.accounts.sign_up("alice@example.org", "Alice Smith")
    store.run(f"~role grant {alice.web_nick} chair nova", Actor("olivia", frontend="test"))
    code = store.link_codes.create(alice.person_id)

    linked = store.link_codes.redeem(code.lower(), "alice_irc", what="IRC nick")

    assert (linked.person_id, linked.display_name, linked.nick, linked.new) == (
        alice.person_id,
        "Alice Smith",
        "alice_irc",
        True,
    )
    assert store.link_codes.nicks(alice.person_id) == ["alice@web", "alice_irc"]
    result = store.run("#nova now Placement", Actor("alice_irc", frontend="irc"))
    assert result is not None and result.reply == "OK, nova now discusses: Placement"


def test_a_code_links_once(store: Store) -> None:
    alice = store.accounts.sign_up("alice@example.org")
    code = store.link_codes.create(alice.person_id)
    store.link_codes.redeem(code, "alice")

    with pytest.raises(LinkRefused) as refused:
        store.link_codes.redeem(code, "alice_")
    assert refused.value.message == USED_CODE
    assert store.link_codes.nicks(alice.person_id) == ["alice", "alice@web"]


def test_a_code_expires_after_ten_minutes(store: Store, clock: Clock) -> None:
    alice = store.accounts.sign_up("alice@example.org")
    code = store.link_codes.create(alice.person_id)
    clock.advance(minutes=10)

    with pytest.raises(LinkRefused) as refused:
        store.link_codes.redeem(code, "alice")
    assert refused.value.message == EXPIRED_CODE
    assert store.people.find("alice") is None


def test_an_unknown_or_malformed_code_is_refused(store: Store) -> None:
    for code in ("ABCD-EFGH", "hello", ""):
        with pytest.raises(LinkRefused) as refused:
            store.link_codes.redeem(code, "alice")
        assert refused.value.message == UNKNOWN_CODE


def test_a_new_code_replaces_the_persons_unused_one(store: Store) -> None:
    alice = store.accounts.sign_up("alice@example.org")
    first = store.link_codes.create(alice.person_id)
    second = store.link_codes.create(alice.person_id)

    with pytest.raises(LinkRefused, match="unknown"):
        store.link_codes.redeem(first, "alice")
    assert store.link_codes.redeem(second, "alice").new


def test_an_identity_of_another_person_is_refused_and_the_code_still_works(
    store: Store,
) -> None:
    store.people.add("Bob Jones", ["bob"])
    alice = store.accounts.sign_up("alice@example.org")
    code = store.link_codes.create(alice.person_id)

    with pytest.raises(LinkRefused) as refused:
        store.link_codes.redeem(code, "BOB", what="IRC nick")
    assert refused.value.message == (
        "The IRC nick BOB already belongs to another person; nothing changed. "
        "If it is yours, ask an organizer to help."
    )
    assert store.people.get("bob").display_name == "Bob Jones"
    assert store.link_codes.redeem(code, "alice").new


def test_linking_an_identity_already_theirs_says_so(store: Store) -> None:
    alice = store.accounts.sign_up("alice@example.org")
    store.link_codes.redeem(store.link_codes.create(alice.person_id), "alice")

    again = store.link_codes.redeem(store.link_codes.create(alice.person_id), "ALICE")
    assert (again.nick, again.new) == ("ALICE", False)


def test_a_burnt_code_links_nothing(store: Store) -> None:
    alice = store.accounts.sign_up("alice@example.org")
    code = store.link_codes.create(alice.person_id)

    assert store.link_codes.burn(code)
    with pytest.raises(LinkRefused, match="already used"):
        store.link_codes.redeem(code, "mallory")
    assert not store.link_codes.burn("not a code")


def test_unlink_removes_a_chat_nick_but_never_the_web_nick(store: Store) -> None:
    alice = store.accounts.sign_up("alice@example.org")
    store.link_codes.redeem(store.link_codes.create(alice.person_id), "alice_irc")

    assert store.link_codes.unlink(alice.person_id, "ALICE_IRC") == "alice_irc"
    assert store.link_codes.nicks(alice.person_id) == ["alice@web"]
    with pytest.raises(InvalidInput, match="the nick you act as on the web"):
        store.link_codes.unlink(alice.person_id, "alice@web")
    with pytest.raises(NotFound, match="not one of your chat identities"):
        store.link_codes.unlink(alice.person_id, "alice_irc")


def test_unlink_never_touches_another_persons_nick(store: Store) -> None:
    store.people.add("Bob Jones", ["bob"])
    alice = store.accounts.sign_up("alice@example.org")

    with pytest.raises(NotFound):
        store.link_codes.unlink(alice.person_id, "bob")
    assert store.people.get("bob").nicks == ("bob",)
