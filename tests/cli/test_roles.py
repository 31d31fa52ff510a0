"""``ptghub role``: granting and revoking roles as the operator."""

from __future__ import annotations

from ptghub.store.store import Store
from tests.cli.running import run


def test_role_grant_then_chair_can_change_closed_event(store: Store, database_url: str) -> None:
    run(database_url, "cmd", "~requirevoice")
    code, _, stderr = run(database_url, "cmd", "--as", "bob", "#cinder now Backups")
    assert (code, stderr) == (
        1,
        "Only a chair of cinder or an organizer can change it; bob is neither.\n",
    )
    assert run(database_url, "role", "grant", "bob", "chair", "cinder")[:2] == (
        0,
        "OK, bob is now chair of cinder.\n",
    )
    assert run(database_url, "cmd", "--as", "BOB", "#cinder now Backups")[0] == 0
    assert run(database_url, "role", "revoke", "bob", "chair", "cinder")[:2] == (
        0,
        "OK, bob is no longer chair of cinder.\n",
    )


def test_role_grant_with_bad_role_exits_2(store: Store, database_url: str) -> None:
    code, _, stderr = run(database_url, "role", "grant", "bob", "king")
    assert (code, stderr) == (
        2,
        "Wrong arguments: expected '~role grant|revoke NICK organizer' or "
        "'~role grant|revoke NICK chair TEAM'.\n",
    )


def test_role_grant_and_revoke_take_the_event_like_the_other_commands(
    store: Store, database_url: str
) -> None:
    granted = run(database_url, "role", "grant", "-e", "test-ptg", "bob", "organizer")
    revoked = run(database_url, "role", "revoke", "--event", "test-ptg", "bob", "organizer")
    unknown = run(database_url, "role", "grant", "-e", "nope", "bob", "organizer")
    assert (granted[:2], revoked[:2]) == (
        (0, "OK, bob is now organizer.\n"),
        (0, "OK, bob is no longer organizer.\n"),
    )
    assert unknown == (1, "", "Unknown event 'nope'; 'ptghub event list' shows the events.\n")


def test_role_grant_by_email_address_goes_to_the_persons_web_nick(
    store: Store, database_url: str
) -> None:
    run(database_url, "cmd", "~requirevoice")
    alice = store.accounts.sign_up("alice@example.org", "Alice Smith")
    code, stdout, _ = run(database_url, "role", "grant", "Alice@Example.org", "chair", "nova")
    assert (code, stdout) == (0, "OK, alice@web is now chair of nova.\n")
    result = store.run("#nova now Placement", alice.actor("web"))
    assert result is not None and result.reply == "OK, nova now discusses: Placement"
    assert run(database_url, "role", "revoke", "alice@example.org", "chair", "nova")[:2] == (
        0,
        "OK, alice@web is no longer chair of nova.\n",
    )


def test_role_grant_by_display_name_needs_one_person_with_it(
    store: Store, database_url: str
) -> None:
    store.accounts.sign_up("alice@example.org", "Alice Smith")
    assert run(database_url, "role", "grant", "alice smith", "organizer")[:2] == (
        0,
        "OK, alice@web is now organizer.\n",
    )
    store.accounts.sign_up("alice@other.example", "Alice Smith")
    code, _, stderr = run(database_url, "role", "grant", "Alice Smith", "organizer")
    assert (code, stderr) == (
        2,
        "2 people are called 'Alice Smith'; name the one you mean by email address or nick.\n",
    )


def test_role_grant_to_an_address_nobody_signed_in_with_is_refused(
    store: Store, database_url: str
) -> None:
    before = len(store.audit())
    code, _, stderr = run(database_url, "role", "grant", "nobody@example.org", "organizer")
    assert (code, stderr) == (
        1,
        "Nobody has signed in with nobody@example.org yet; once they have, you can give "
        "them a role.\n",
    )
    assert len(store.audit()) == before
