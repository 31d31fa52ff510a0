"""store/profiles.py: what a person changes of themselves: their name, their addresses
(never the last one), their own API tokens and no one else's."""

from __future__ import annotations

import pytest

from ptghub.core.errors import Conflict, InvalidInput, NotFound
from ptghub.store.store import Store


def test_a_person_renames_themselves(store: Store) -> None:
    ann = store.accounts.sign_up("ann@example.org")
    assert store.profiles.rename(ann.person_id, "  Ann Example ") == "Ann Example"
    assert store.accounts.account(ann.person_id).display_name == "Ann Example"


def test_an_empty_name_is_refused_and_the_old_one_kept(store: Store) -> None:
    ann = store.accounts.sign_up("ann@example.org")
    with pytest.raises(InvalidInput, match="display name"):
        store.profiles.rename(ann.person_id, "   ")
    assert store.accounts.account(ann.person_id).display_name == "ann"


def test_addresses_are_added_and_removed_but_never_the_last(store: Store) -> None:
    ann = store.accounts.sign_up("ann@example.org").person_id
    store.profiles.add_address(ann, "ann@work.example")
    assert store.accounts.account(ann).addresses == ("ann@example.org", "ann@work.example")
    store.profiles.remove_address(ann, "ANN@example.org")
    assert store.accounts.account(ann).addresses == ("ann@work.example",)
    with pytest.raises(InvalidInput, match="is your only address: you sign in with it"):
        store.profiles.remove_address(ann, "ann@work.example")
    assert store.accounts.account(ann).addresses == ("ann@work.example",)


def test_another_persons_address_is_neither_taken_nor_removed(store: Store) -> None:
    ann = store.accounts.sign_up("ann@example.org").person_id
    bob = store.accounts.sign_up("bob@example.org").person_id
    store.profiles.add_address(bob, "bob@work.example")
    with pytest.raises(Conflict, match="already belongs to another account"):
        store.profiles.add_address(ann, "BOB@example.org")
    with pytest.raises(NotFound, match="is not one of your addresses"):
        store.profiles.remove_address(ann, "bob@example.org")
    assert store.accounts.account(bob).addresses == ("bob@example.org", "bob@work.example")


def test_a_persons_tokens_are_those_of_all_their_nicks(store: Store) -> None:
    ann = store.accounts.sign_up("ann@example.org")
    store.people.add("Bob", ["bob"])
    web_token, _ = store.tokens.create(ann.web_nick, label="laptop")
    store.tokens.create("bob", label="bob's")
    assert [i.id for i in store.profiles.tokens_of(ann.person_id)] == [web_token]
    assert store.profiles.nicks(ann.person_id) == ["ann@web"]


def test_a_person_revokes_their_token_but_not_anothers(store: Store) -> None:
    ann = store.accounts.sign_up("ann@example.org")
    store.people.add("Bob", ["bob"])
    mine, _ = store.tokens.create(ann.web_nick, label="laptop")
    theirs, _ = store.tokens.create("bob", label="bob's")
    with pytest.raises(NotFound, match=f"You have no active token #{theirs}"):
        store.profiles.revoke_token(ann.person_id, theirs)
    assert store.profiles.revoke_token(ann.person_id, mine).revoked_at is not None
    with pytest.raises(NotFound, match=f"You have no active token #{mine}"):
        store.profiles.revoke_token(ann.person_id, mine)
    assert [i.revoked_at for i in store.tokens.list("bob")] == [None]  # bob's still works
