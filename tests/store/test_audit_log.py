"""The audit log's rows: appended in the change's transaction, read back oldest first.

Through the store (undo, replay, ``ptghub audit``) it is tested in test_store.py; here
the module alone, on SQLite and, when configured, PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from ptghub.core.events import MotdChanged, OpenToEveryoneChanged
from ptghub.core.model import Actor, Motd, MotdLevel
from ptghub.store import audit_log
from ptghub.store import tables as t
from ptghub.store.store import Store

AT = datetime(2022, 4, 4, 13, 30, tzinfo=UTC)
OLIVIA = Actor("olivia", frontend="irc")
CHANGES = [
    (OpenToEveryoneChanged(True, False),),
    (MotdChanged((), (Motd(MotdLevel.INFO, "Welcome"),)),),
    (OpenToEveryoneChanged(False, True),),
]


def _event_id(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(t.events.c.id)).scalar_one())


def _append_all(store: Store) -> tuple[int, list[int]]:
    """Audit CHANGES one minute apart, after the event's creation; its id and theirs."""
    event_id = _event_id(store.engine)
    with store.engine.begin() as conn:
        ids = [
            audit_log.append(
                conn,
                event_id,
                at=AT + timedelta(minutes=i),
                actor=OLIVIA,
                text=f"change {i}",
                events=events,
            )
            for i, events in enumerate(CHANGES)
        ]
    return event_id, ids


def test_entries_read_back_what_was_appended_oldest_first(store: Store) -> None:
    event_id, ids = _append_all(store)
    with store.engine.connect() as conn:
        entries = audit_log.entries(conn, event_id)[1:]  # the first: the event's creation
    assert [e.id for e in entries] == ids == sorted(ids)
    first = entries[0]
    assert (first.at, first.actor, first.frontend, first.text) == (AT, "olivia", "irc", "change 0")
    assert [e.events for e in entries] == CHANGES
    assert (first.reverts, first.undone_by) == (None, None)


def test_limit_gives_the_newest_entries_and_after_those_not_seen_yet(store: Store) -> None:
    event_id, ids = _append_all(store)
    with store.engine.connect() as conn:
        assert [e.id for e in audit_log.entries(conn, event_id, limit=2)] == ids[1:]
        assert [e.id for e in audit_log.entries(conn, event_id, after=ids[0])] == ids[1:]
        assert audit_log.entries(conn, event_id, after=ids[-1]) == []


def test_an_undone_change_names_its_undo_and_the_undo_what_it_reverts(store: Store) -> None:
    event_id, (first, *_) = _append_all(store)
    with store.engine.begin() as conn:
        undo = audit_log.append(
            conn,
            event_id,
            at=AT + timedelta(hours=1),
            actor=OLIVIA,
            text=f"undo {first}",
            events=(OpenToEveryoneChanged(False, True),),
            reverts=first,
        )
        audit_log.mark_undone(conn, first, by=undo)
    with store.engine.connect() as conn:
        row = audit_log.row(conn, first)
        by_id = {e.id: e for e in audit_log.entries(conn, event_id)}
    assert row is not None
    assert (row.event_id, row.undone_by) == (event_id, undo)
    assert (by_id[first].undone_by, by_id[undo].reverts) == (undo, first)


def test_an_unknown_change_has_no_row(store: Store) -> None:
    with store.engine.connect() as conn:
        assert audit_log.row(conn, 999) is None
