"""Every revision of the migrations upgrades to the newest, and every one that says how
goes back down and up again, on SQLite and on PostgreSQL, with data in the database.

The revisions are read from store/migrations/versions: a new one is tested here without
a change to this file, and must come with a downgrade or a line in ``NO_DOWNGRADE``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from ptghub.core.codec import encode
from ptghub.core.events import EventCreated
from ptghub.core.model import Actor
from ptghub.store.engine import HEAD, MIGRATIONS, make_engine, schema_revision
from ptghub.store.store import Store
from ptghub.store.tables import metadata
from tests.store.migrating import at_revision, downgrade, has_downgrade, revisions, upgrade
from tests.support import Clock, small_event

REVISIONS = revisions()
EARLIER = REVISIONS[:-1]
# Revisions whose migration cannot be undone, each with the reason (none so far).
NO_DOWNGRADE: dict[str, str] = {}
# Where a database at HEAD can be taken down to: "base" (nothing) or a revision, as long
# as every revision above it has a downgrade.
DOWN_TO = [
    target
    for target in ["base", *EARLIER]
    if all(has_downgrade(r) for r in REVISIONS[REVISIONS.index(target) + 1 if target in
                                                REVISIONS else 0:])
]  # fmt: skip


def test_the_revisions_are_those_of_the_directory_one_after_the_other() -> None:
    assert len(REVISIONS) == len(list((MIGRATIONS / "versions").glob("*.py")))
    assert REVISIONS[-1] == HEAD


def test_every_revision_without_a_downgrade_is_named_with_its_reason() -> None:
    assert {r for r in REVISIONS if not has_downgrade(r)} == set(NO_DOWNGRADE)


def _schema_matches_the_code(engine: Engine) -> None:
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def _store_works(database_url: str, clock: Clock) -> Store:
    """A store on the database that can create an event and change it; the caller
    closes it."""
    store = Store.open(database_url, clock=clock)
    try:
        store.create_event(small_event(), Actor("loader", operator=True), "test setup")
        result = store.run("#nova now Placement API", Actor("alice"), event="test-ptg")
        assert result is not None and result.audit_id is not None
        assert store.state("test-ptg").topics["nova"].now == "Placement API"
    except BaseException:
        store.close()
        raise
    return store


@pytest.mark.parametrize("revision", EARLIER)
def test_a_database_at_an_earlier_revision_upgrades_to_head_keeping_its_event(
    database_url: str, revision: str, clock: Clock
) -> None:
    engine = at_revision(database_url, revision)
    created = small_event()[0]
    assert isinstance(created, EventCreated)
    info = dataclasses.replace(created.info, slug="old-ptg", name="Old PTG")
    events = sa.table(
        "events", *(sa.column(c) for c in ("id", "slug", "version", "is_current",
                                            "open_to_everyone"))
    )  # fmt: skip
    with engine.begin() as conn:  # the columns of revision 0001, as an older ptghub wrote
        event_id = conn.execute(
            sa.insert(events)
            .values(slug="old-ptg", version=3, is_current=True, open_to_everyone=False)
            .returning(events.c.id)
        ).scalar_one()
        conn.execute(
            sa.insert(sa.table("event_info", sa.column("event_id"), sa.column("info", sa.JSON))),
            {"event_id": event_id, "info": encode(info)},
        )
    upgrade(engine)
    assert schema_revision(engine) == HEAD
    _schema_matches_the_code(engine)
    engine.dispose()
    store = _store_works(database_url, clock)
    try:
        assert [(e.slug, e.info.name, e.current) for e in store.events()] == [
            ("old-ptg", "Old PTG", True),
            ("test-ptg", "Test PTG", False),
        ]
        assert store.version("old-ptg") == 3
    finally:
        store.close()


@pytest.mark.parametrize("target", DOWN_TO)
def test_a_database_at_head_goes_down_to_an_earlier_revision_and_up_again(
    database_url: str, target: str, clock: Clock
) -> None:
    _store_works(database_url, clock).close()
    engine = make_engine(database_url)
    try:
        downgrade(engine, target)
        if target == "base":
            assert schema_revision(engine) is None
            assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
        else:
            assert schema_revision(engine) == target
            with engine.connect() as conn:  # the event survives every downgrade
                slugs = conn.execute(sa.text("SELECT slug FROM events")).scalars().all()
            assert slugs == ["test-ptg"]
        upgrade(engine)
        assert schema_revision(engine) == HEAD
        _schema_matches_the_code(engine)
    finally:
        engine.dispose()
    store = Store.open(database_url, clock=clock)
    try:
        expected = [] if target == "base" else ["test-ptg"]
        assert [e.slug for e in store.events()] == expected
    finally:
        store.close()


def test_a_sqlite_migration_leaves_its_connection_with_foreign_keys_on(tmp_path: Path) -> None:
    engine = at_revision(f"sqlite:///{tmp_path / 'old.sqlite3'}", EARLIER[0])
    try:
        upgrade(engine)
        with engine.connect() as conn:  # the pool's one connection, which migrated
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()
