"""Accounts (store/accounts.py): verified addresses make a person, a person acts on the web
as a nick that no chat identity can take, sessions end when asked or when they expire, and
a session's secret is stored only as its digest."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, select

from ptghub.core.errors import InvalidInput
from ptghub.store import tables as t
from ptghub.store.accounts import SESSION_LIFETIME, check_address
from ptghub.store.store import Store
from tests.store.racing import in_threads
from tests.support import Clock


def test_the_first_verified_address_makes_a_person_and_the_next_sign_up_finds_them(
    store: Store,
) -> None:
    first = store.accounts.sign_up("Alice@Example.org")
    again = store.accounts.sign_up("alice@example.ORG")
    assert again == first
    assert first.addresses == ("Alice@Example.org",)
    assert first.display_name == "Alice"
    assert first.web_nick == "Alice@web"
    assert store.accounts.person_of("ALICE@example.org") == first.person_id


def test_a_person_with_chat_nicks_acts_on_the_web_as_their_first_nick(store: Store) -> None:
    person = store.people.add("Bob Jones", ["bobj", "bob"])
    with store.engine.begin() as conn:
        store.accounts.add_address(conn, person.id, "bob@example.org")
    assert store.accounts.sign_up("bob@example.org").web_nick == "bob"


def test_web_nicks_are_unique_and_are_nicks_of_their_person(store: Store) -> None:
    one = store.accounts.sign_up("carol@one.example")
    two = store.accounts.sign_up("carol@two.example")
    assert (one.web_nick, two.web_nick) == ("carol@web", "carol2@web")
    assert store.people.get("carol2@web").id == two.person_id


@pytest.mark.parametrize(
    "bad", ["", "carol", "carol@", "@example.org", "a b@example.org", "x@localhost"]
)
def test_an_address_that_cannot_be_one_is_refused_with_its_form(bad: str) -> None:
    with pytest.raises(InvalidInput, match=r"name@example\.org"):
        check_address(bad)


def test_a_session_lives_until_it_ends_or_expires(store: Store, clock: Clock) -> None:
    person = store.accounts.sign_up("dave@example.org").person_id
    kept, ended = (store.accounts.start_session(person, via="email") for _ in range(2))
    session = store.accounts.session(ended)
    assert session is not None and session.person_id == person
    assert store.accounts.end_session(person, session.id)
    assert store.accounts.session(ended) is None
    assert session.id not in [s.id for s in store.accounts.sessions(person)]
    clock.advance(seconds=(SESSION_LIFETIME - timedelta(minutes=1)).total_seconds())
    assert store.accounts.session(kept) is not None  # seen: extended
    clock.advance(seconds=(SESSION_LIFETIME - timedelta(minutes=1)).total_seconds())
    assert store.accounts.session(kept) is not None
    clock.advance(seconds=(SESSION_LIFETIME + timedelta(minutes=1)).total_seconds())
    assert store.accounts.session(kept) is None


def test_signing_out_everywhere_ends_every_session_of_the_person_only(store: Store) -> None:
    mine = store.accounts.sign_up("erin@example.org").person_id
    theirs = store.accounts.sign_up("frank@example.org").person_id
    secrets = [store.accounts.start_session(mine, via="email") for _ in range(3)]
    other = store.accounts.start_session(theirs, via="oidc")
    assert store.accounts.end_sessions(mine) == 3
    assert [store.accounts.session(s) for s in secrets] == [None, None, None]
    assert store.accounts.session(other) is not None


def test_session_secrets_are_stored_as_digests_only(store: Store) -> None:
    person = store.accounts.sign_up("gina@example.org").person_id
    secret = store.accounts.start_session(person, via="email")
    with store.engine.connect() as conn:
        rows = [
            repr(tuple(r))
            for table in t.metadata.sorted_tables
            for r in conn.execute(select(table))
        ]
    assert not [row for row in rows if secret in row]


def test_the_site_secret_is_made_once_and_shared(store: Store) -> None:
    assert store.accounts.site_secret("csrf") == store.accounts.site_secret("csrf")
    assert store.accounts.site_secret("csrf") != store.accounts.site_secret("other")
    assert len(store.accounts.site_secret("csrf")) == 32


def test_a_site_secret_asked_for_by_many_at_once_is_made_once(store: Store) -> None:
    made = in_threads([lambda: store.accounts.site_secret("new") for _ in range(8)])
    assert len(set(made)) == 1
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.site_secrets).where(t.site_secrets.c.name == "new")).all()
    assert [bytes.fromhex(row.value) for row in rows] == [made[0]]


def test_a_queued_mail_is_a_row_with_its_own_message_id(store: Store) -> None:
    first = store.outbox.enqueue(to="h@example.org", subject="Hi", text="Hello", kind="test")
    second = store.outbox.enqueue(to="h@example.org", subject="Hi", text="Hello", kind="test")
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.outbox.c.message_id, t.outbox.c.state)).all()
    assert sorted(rows) == sorted([(first, "queued"), (second, "queued")])
    assert first != second


def test_a_session_seen_while_another_writer_commits_is_seen_and_extended(
    store: Store, clock: Clock
) -> None:
    # Between the session's read and its once-a-minute write another writer commits (the
    # mail worker, a chair's command). On SQLite a read transaction cannot write after that:
    # the signed-in page answered 503 "database is locked" (a fresh CI run saw it).
    person = store.accounts.sign_up("hana@example.org").person_id
    secret = store.accounts.start_session(person, via="email")
    clock.advance(seconds=120)
    committed: list[str] = []

    def commit_elsewhere(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if (
            not committed
            and statement.lstrip().upper().startswith("SELECT")
            and ("web_sessions" in statement)
        ):
            committed.append(store.accounts.start_session(person, via="oidc"))

    event.listen(store.engine, "after_cursor_execute", commit_elsewhere)
    try:
        session = store.accounts.session(secret)
    finally:
        event.remove(store.engine, "after_cursor_execute", commit_elsewhere)
    assert len(committed) == 1  # the other writer did commit in between
    assert session is not None and session.person_id == person
    assert session.expires_at == clock() + SESSION_LIFETIME
    [seen] = [s for s in store.accounts.sessions(person) if s.id == session.id]
    assert (seen.last_seen_at, seen.expires_at) == (clock(), clock() + SESSION_LIFETIME)
