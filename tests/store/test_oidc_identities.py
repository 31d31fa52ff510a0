"""Who an OpenID Connect sign-in is (``store.oidc_identities.person_for``): the subject
once seen, else the person of its verified address, else a new person; never an
unverified address."""

from __future__ import annotations

import pytest

from ptghub.core.errors import InvalidInput
from ptghub.store.oidc_identities import How, NoVerifiedAddress, identities, person_for
from ptghub.store.store import Store

ISSUER = "https://id.example.org"


def test_a_known_subject_is_its_person_whatever_address_it_gives_now(store: Store) -> None:
    first = person_for(
        store.accounts, issuer=ISSUER, subject="s1", email="ann@example.org", email_verified=True
    )
    assert first.how == How.NEW
    later = person_for(
        store.accounts, issuer=ISSUER, subject="s1", email="ann@elsewhere.org", email_verified=True
    )
    assert later == type(later)(first.person_id, How.KNOWN)
    assert store.accounts.person_of("ann@elsewhere.org") is None  # not verified here by that
    assert identities(store.accounts, first.person_id) == [
        ("https://id.example.org", "s1", "ann@elsewhere.org")
    ]


def test_the_same_subject_of_another_issuer_is_not_the_same_identity(store: Store) -> None:
    ann = person_for(
        store.accounts, issuer=ISSUER, subject="s1", email="ann@example.org", email_verified=True
    )
    other = person_for(
        store.accounts,
        issuer="https://other.example.org",
        subject="s1",
        email="eve@example.org",
        email_verified=True,
    )
    assert other.person_id != ann.person_id


def test_a_first_sign_in_links_the_person_of_a_verified_address_case_aside(store: Store) -> None:
    bob = store.accounts.sign_up("bob@example.net")
    found = person_for(
        store.accounts, issuer=ISSUER, subject="b", email="Bob@Example.NET", email_verified=True
    )
    assert (found.person_id, found.how) == (bob.person_id, How.LINKED)


@pytest.mark.parametrize("email", [None, "carol@example.com"])
def test_a_first_sign_in_without_a_verified_address_is_refused(
    store: Store, email: str | None
) -> None:
    store.accounts.sign_up("carol@example.com")
    with pytest.raises(NoVerifiedAddress):
        person_for(store.accounts, issuer=ISSUER, subject="c", email=email, email_verified=False)
    assert identities(store.accounts, store.accounts.person_of("carol@example.com") or 0) == []


def test_an_address_ptghub_cannot_use_is_refused(store: Store) -> None:
    with pytest.raises(InvalidInput, match="is not an email address"):
        person_for(
            store.accounts, issuer=ISSUER, subject="x", email="no-at-sign", email_verified=True
        )
    assert store.accounts.person_of("no-at-sign") is None


def test_an_unusable_name_falls_back_to_the_address(store: Store) -> None:
    found = person_for(
        store.accounts,
        issuer=ISSUER,
        subject="d",
        email="dan@example.org",
        email_verified=True,
        name="\x00\x07",
    )
    assert store.accounts.account(found.person_id).display_name == "dan"
