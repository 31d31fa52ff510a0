"""The audit log names the person behind a change: the write path records the person who
owns the actor's nick (any of their nicks: the web nick, a linked chat nick), looked up
by the audit row's own insert; a nick that belongs to no person records none."""

from __future__ import annotations

from sqlalchemy import select

from ptghub.core.model import Actor
from ptghub.store import tables as t
from ptghub.store.store import Store

ORGANIZER = Actor("olivia", frontend="irc")


def test_a_change_on_the_web_records_its_person(store: Store) -> None:
    alice = store.accounts.sign_up("alice@example.org", "Alice Smith")
    store.run("#cinder now Backups", alice.actor("web"))

    entry = store.audit()[-1]
    assert (entry.person_id, entry.person, entry.author) == (
        alice.person_id,
        "Alice Smith",
        "Alice Smith (alice@web, web)",
    )


def test_a_change_from_a_linked_chat_nick_records_the_same_person(store: Store) -> None:
    alice = store.accounts.sign_up("alice@example.org", "Alice Smith")
    store.link_codes.redeem(store.link_codes.create(alice.person_id), "alice")
    store.run("#cinder now Backups", Actor("ALICE", frontend="irc"))

    entry = store.audit()[-1]
    assert (entry.person_id, entry.author) == (alice.person_id, "Alice Smith (ALICE, irc)")


def test_a_nick_of_no_person_records_none(store: Store) -> None:
    store.run("#cinder now Backups", Actor("bob", frontend="matrix"))

    entry = store.audit()[-1]
    assert (entry.person_id, entry.person, entry.author) == (None, None, "bob (matrix)")


def test_undo_and_prepared_changes_record_their_person_too(store: Store) -> None:
    olivia = store.people.add("Olivia Organizer", ["olivia"])
    done = store.run("~motd add info Welcome", ORGANIZER)
    assert done is not None and done.audit_id is not None
    store.undo(done.audit_id, ORGANIZER)
    store.change(lambda state, actor: [], ORGANIZER, "nothing")

    with store.engine.connect() as conn:
        people = conn.execute(select(t.audit.c.person_id).order_by(t.audit.c.id)).scalars().all()
    assert people == [None, olivia.id, olivia.id]
    assert [e.author for e in store.audit()[1:]] == ["Olivia Organizer (olivia, irc)"] * 2


def test_the_record_outlives_the_nick(store: Store) -> None:
    alice = store.accounts.sign_up("alice@example.org", "Alice Smith")
    store.link_codes.redeem(store.link_codes.create(alice.person_id), "alice")
    store.run("#cinder now Backups", Actor("alice", frontend="irc"))
    store.link_codes.unlink(alice.person_id, "alice")

    assert store.audit()[-1].author == "Alice Smith (alice, irc)"
