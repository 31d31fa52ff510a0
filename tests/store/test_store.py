"""The store: one audited transaction per command, cache coherence, undo, replay."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from ptghub.core.errors import Conflict, NotFound, PermissionDenied, Refused
from ptghub.core.model import Cell, CellStatus, Topics
from ptghub.store import tables
from ptghub.store.store import Store
from tests.support import ALICE, NOVA_CHAIR, ORGANIZER, snapshot


def test_store_run_writes_state_and_audit_in_one_step(store: Store) -> None:
    result = store.run("#nova now Placement API", NOVA_CHAIR)
    assert result is not None and result.audit_id is not None
    assert store.state().topics["nova"] == Topics(now="Placement API")
    last = store.audit()[-1]
    assert (last.id, last.actor, last.frontend, last.text) == (
        result.audit_id,
        "nchair",
        "test",
        "#nova now Placement API",
    )
    assert last.events == result.events


def test_store_read_only_command_is_not_audited(store: Store) -> None:
    before = len(store.audit())
    result = store.run("~list", ALICE)
    assert result is not None and result.audit_id is None
    assert len(store.audit()) == before


def test_store_refused_command_changes_nothing(store: Store) -> None:
    before = (snapshot(store.state()), len(store.audit()))
    with pytest.raises(Conflict):
        store.run("#cinder book Austin-Mon-A1", ALICE)
    assert (snapshot(store.state()), len(store.audit())) == before


def test_store_state_survives_reopening(store: Store, database_url: str) -> None:
    store.run("#nova book Coiste Bainisti-Tue-P1", NOVA_CHAIR)
    store.run("~motd add warning Lunch is late", ORGANIZER)
    store.run("subscribe #nova.*api", ALICE)
    store.run("in #nova", ALICE)
    reopened = Store.open(database_url)
    try:
        assert snapshot(reopened.state()) == snapshot(store.state())
    finally:
        reopened.close()


def test_store_sees_changes_made_by_another_process(store: Store, database_url: str) -> None:
    other = Store.open(database_url)
    try:
        other.state()  # warm the other store's cache
        store.run("#nova now Quotas", NOVA_CHAIR)
        assert other.state().topics["nova"].now == "Quotas"
        other.run("#nova next Unified limits", NOVA_CHAIR)
        assert store.state().topics["nova"] == Topics("Quotas", ("Unified limits",))
    finally:
        other.close()


def test_store_replay_of_audit_log_equals_stored_state(store: Store, database_url: str) -> None:
    for text, actor in [
        ("#nova now Placement API", NOVA_CHAIR),
        ("#nova next Quotas", NOVA_CHAIR),
        ("#cinder book Coiste Bainisti-Mon-A1", ALICE),
        ("#cinder color #42f4c5", ALICE),
        ("#cinder etherpad https://pads.example.org/p/cinder", ALICE),
        ("#cinder url https://meet.example.org/cinder", ALICE),
        ("#cinder location Booth 3", ALICE),
        ("~add manila", ORGANIZER),
        ("~motd add info Welcome", ORGANIZER),
        ("~motd add danger Fire drill", ORGANIZER),
        ("~motd reorder 2 1", ORGANIZER),
        ("in #cinder", ALICE),
        ("out", ALICE),
        ("subscribe cinder", ALICE),
        ("~role grant bob chair cinder", ORGANIZER),
        ("~requirevoice", ORGANIZER),
        ("~del first-contact", ORGANIZER),
        ("~newday", ORGANIZER),
    ]:
        store.run(text, actor)
    store.undo(store.audit()[3].id, ORGANIZER)
    empty = store.run("~emptydb", ORGANIZER)
    assert empty is not None and empty.audit_id is not None
    store.undo(empty.audit_id, ORGANIZER)
    reopened = Store.open(database_url)
    try:
        stored = reopened.state()
    finally:
        reopened.close()
    assert snapshot(store.replay()) == snapshot(stored)
    assert len(stored.teams) == 4


def test_store_undo_reverts_a_change_and_is_audited(store: Store) -> None:
    booked = store.run("#cinder book Coiste Bainisti-Mon-A1", ALICE)
    assert booked is not None and booked.audit_id is not None
    result = store.undo(booked.audit_id, ORGANIZER)
    assert result.reply == (
        f"OK, change #{booked.audit_id} (#cinder book Coiste Bainisti-Mon-A1) is undone."
    )
    assert store.state().cell("coiste bainisti", "mona1") == Cell(CellStatus.FREE)
    entries = {e.id: e for e in store.audit()}
    assert entries[booked.audit_id].undone_by == result.audit_id
    assert entries[result.audit_id or 0].reverts == booked.audit_id


def test_store_undo_twice_is_refused(store: Store) -> None:
    booked = store.run("#cinder book Coiste Bainisti-Mon-A1", ALICE)
    assert booked is not None and booked.audit_id is not None
    undo = store.undo(booked.audit_id, ORGANIZER)
    with pytest.raises(Conflict) as error:
        store.undo(booked.audit_id, ORGANIZER)
    assert error.value.message == (
        f"Change #{booked.audit_id} was already undone by #{undo.audit_id}."
    )


def test_store_undo_after_a_later_change_is_refused(store: Store) -> None:
    first = store.run("#nova now Placement", NOVA_CHAIR)
    store.run("#nova now Quotas", NOVA_CHAIR)
    assert first is not None and first.audit_id is not None
    with pytest.raises(Conflict) as error:
        store.undo(first.audit_id, ORGANIZER)
    assert error.value.message == (
        f"Cannot undo #{first.audit_id}: The topics of nova has changed since the command "
        "was read; try again."
    )


def test_store_undo_of_event_creation_is_refused(store: Store) -> None:
    with pytest.raises(Refused) as error:
        store.undo(1, ORGANIZER)
    assert error.value.message == "Change #1 (test setup) cannot be undone."


def test_store_undo_needs_an_organizer(store: Store) -> None:
    booked = store.run("#cinder book Coiste Bainisti-Mon-A1", ALICE)
    assert booked is not None and booked.audit_id is not None
    with pytest.raises(PermissionDenied) as error:
        store.undo(booked.audit_id, ALICE)
    assert error.value.message == "Undo needs an organizer; alice is not one."


def test_store_undo_of_unknown_change_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound) as error:
        store.undo(999, ORGANIZER)
    assert error.value.message == "There is no change #999; 'ptghub audit' lists them."


def test_store_without_event_says_how_to_load_one(empty_store: Store) -> None:
    with pytest.raises(NotFound) as error:
        empty_store.run("~list", ALICE)
    assert error.value.message == (
        "There is no current event; load one with 'ptghub event load FILE' or 'ptghub demo'."
    )


def test_database_refuses_a_second_team_in_a_cell(store: Store) -> None:
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(
            insert(tables.cells).values(
                event_id=1, room_key="austin", slot_key="mona1", status="booked", team_key="cinder"
            )
        )


def test_database_refuses_a_team_in_two_rooms_at_once(store: Store) -> None:
    from sqlalchemy import update

    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(
            update(tables.cells)
            .where(tables.cells.c.room_key == "coiste bainisti", tables.cells.c.slot_key == "mona1")
            .values(status="booked", team_key="nova")
        )


def test_store_concurrent_undo_of_one_change_happens_once(store: Store, database_url: str) -> None:
    import threading

    booked = store.run("#cinder book Coiste Bainisti-Mon-A1", ALICE)
    assert booked is not None and booked.audit_id is not None
    change = booked.audit_id
    stores = [Store.open(database_url) for _ in range(6)]
    barrier = threading.Barrier(len(stores))
    outcomes: list[str] = []

    def undo(own: Store) -> None:
        barrier.wait()
        try:
            own.undo(change, ORGANIZER)
            outcomes.append("undone")
        except Conflict as error:
            outcomes.append(error.message)

    threads = [threading.Thread(target=undo, args=(own,)) for own in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    for own in stores:
        own.close()
    undone_by = {e.id: e for e in store.audit()}[change].undone_by
    assert sorted(outcomes) == sorted(
        ["undone"] + [f"Change #{change} was already undone by #{undone_by}."] * 5
    )
    assert [e.reverts for e in store.audit()].count(change) == 1


def test_store_brings_its_cached_state_forward_from_the_audit_log(
    store: Store, database_url: str
) -> None:
    """Changes made by another store reach this one's cache through the audit log, and
    the result is exactly what a fresh read of the tables gives."""
    store.state()  # cache the state
    other = Store.open(database_url)
    try:
        other.run("#nova now Placement", NOVA_CHAIR)
        other.run("#cinder book Coiste Bainisti-Mon-A1", ALICE)
        other.run("~motd add info Hello", ORGANIZER)
        emptied = other.run("~emptydb", ORGANIZER)
        assert emptied is not None and emptied.audit_id is not None
        other.undo(emptied.audit_id, ORGANIZER)
        other.run("in #cinder", ALICE)
    finally:
        other.close()
    fresh = Store.open(database_url)
    try:
        assert snapshot(store.state()) == snapshot(fresh.state())
    finally:
        fresh.close()
    # and the brought-forward cache keeps working for this store's own writes
    store.run("#nova next Quotas", NOVA_CHAIR)
    assert store.state().topics["nova"].next == ("Quotas",)


def test_a_connection_still_reading_when_the_store_closes_is_closed_when_it_is_back(
    database_url: str,
) -> None:
    # A follower's or a request's thread may finish a read after close(): its connection
    # must not stay open in the disposed pool until garbage collection (on PostgreSQL,
    # an idle session on the server and a ResourceWarning in whatever test runs then).
    store = Store.open(database_url)
    reading = store.engine.connect()
    reading.exec_driver_sql("SELECT 1")
    driver_connection = reading.connection.driver_connection
    store.close()
    reading.close()
    assert driver_connection is not None
    if store.engine.dialect.name == "sqlite":
        with pytest.raises(sqlite3.ProgrammingError, match="closed"):
            driver_connection.execute("SELECT 1")
    else:
        assert driver_connection.closed
