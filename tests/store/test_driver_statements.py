"""DriverStatement: the write path's DML run on the driver's cursor, as SQLAlchemy would run it.

Every test runs on SQLite and, when configured, PostgreSQL: the statement is compiled for
the connection's dialect, takes its values by column or bind name, applies the columns'
own bind processors, runs in the connection's transaction and fails as SQLAlchemy fails.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Connection, Engine, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from ptghub.store import tables as t
from ptghub.store.driver_statements import DriverStatement
from ptghub.store.store import Store

MOTD_INSERT = DriverStatement(insert(t.motd), ("event_id", "position", "level", "text"))
BUMP_VERSION = DriverStatement(
    update(t.events)
    .values(version=t.events.c.version + 1)
    .where(t.events.c.id == bindparam("eid"))
    .returning(t.events.c.version)
)
AUDIT_INSERT = DriverStatement(
    insert(t.audit).returning(t.audit.c.id),
    ("event_id", "at", "actor", "frontend", "text", "changes", "reverts"),
)


@pytest.fixture
def engine(empty_store: Store) -> Engine:
    """A migrated database holding one event, id 1, at version 1."""
    with empty_store.engine.begin() as conn:
        conn.execute(insert(t.events).values(id=1, slug="e", version=1, is_current=True))
    return empty_store.engine


def motd(conn: Connection) -> list[tuple[int, str]]:
    return [tuple(r) for r in conn.execute(select(t.motd.c.position, t.motd.c.text))]


def test_an_insert_counts_its_row_and_returns_none_without_returning(engine: Engine) -> None:
    with engine.begin() as conn:
        done = MOTD_INSERT.execute(
            conn, {"event_id": 1, "position": 1, "level": "info", "text": "Welcome"}
        )
        assert done == (1, None)
        assert motd(conn) == [(1, "Welcome")]


def test_it_runs_in_the_connections_transaction_and_rolls_back_with_it(engine: Engine) -> None:
    with engine.connect() as conn:
        with conn.begin() as transaction:
            MOTD_INSERT.execute(
                conn, {"event_id": 1, "position": 1, "level": "info", "text": "Welcome"}
            )
            transaction.rollback()
        assert motd(conn) == []


def test_returning_gives_the_first_row_and_the_statements_own_literals_are_bound(
    engine: Engine,
) -> None:
    with engine.begin() as conn:
        # version + 1: the 1 is bound by the statement, not given by the caller.
        assert BUMP_VERSION.execute(conn, {"eid": 1}) == (1, (2,))
        assert BUMP_VERSION.execute(conn, {"eid": 1}) == (1, (3,))
        assert conn.execute(select(t.events.c.version)).scalar_one() == 3


def test_a_statement_that_matches_no_row_counts_zero(engine: Engine) -> None:
    with engine.begin() as conn:
        assert BUMP_VERSION.execute(conn, {"eid": 99}) == (0, None)


def test_json_and_utc_datetime_values_go_through_the_columns_own_types(engine: Engine) -> None:
    at = datetime(2022, 4, 4, 15, 30, tzinfo=timezone(timedelta(hours=2)))
    changes = [{"kind": "motd-changed", "new": [["info", 'Grüße, "quoted"']], "old": []}]
    with engine.begin() as conn:
        _, (audit_id,) = AUDIT_INSERT.execute(
            conn,
            {
                "event_id": 1,
                "at": at,
                "actor": "olivia",
                "frontend": "test",
                "text": "~motd add info Grüße",
                "changes": changes,
                "reverts": None,
            },
        )
        row = conn.execute(select(t.audit).where(t.audit.c.id == audit_id)).one()
    assert (row.at, row.at.tzinfo) == (datetime(2022, 4, 4, 13, 30, tzinfo=UTC), UTC)
    assert row.changes == changes
    assert row.reverts is None


def test_a_constraint_violation_raises_the_integrity_error_sqlalchemy_would(
    engine: Engine,
) -> None:
    values = {"event_id": 1, "position": 1, "level": "info", "text": "Welcome"}
    with engine.begin() as conn:
        MOTD_INSERT.execute(conn, values)
    with pytest.raises(IntegrityError) as through_sqlalchemy, engine.begin() as conn:
        conn.execute(insert(t.motd).values(**values))
    with pytest.raises(IntegrityError) as on_the_driver, engine.begin() as conn:
        MOTD_INSERT.execute(conn, values)
    assert type(on_the_driver.value) is type(through_sqlalchemy.value)
    assert type(on_the_driver.value.orig) is type(through_sqlalchemy.value.orig)
    with engine.connect() as conn:
        assert motd(conn) == [(1, "Welcome")]
