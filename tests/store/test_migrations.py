"""The Alembic migrations build exactly the schema that the code describes."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from ptghub.store.engine import HEAD
from ptghub.store.store import Store
from ptghub.store.tables import metadata
from ptghub.store.tokens import _digest
from tests.store.migrating import at_revision
from tests.support import Clock


def test_migrations_match_table_definitions(empty_store: Store) -> None:
    with empty_store.engine.connect() as conn:
        context = MigrationContext.configure(conn)
        assert compare_metadata(context, metadata) == []


def test_migrate_twice_is_harmless(database_url: str) -> None:
    Store.open(database_url).close()
    store = Store.open(database_url)
    try:
        assert store.events() == []
    finally:
        store.close()


def test_migration_0003_keeps_the_tokens_of_a_0002_database(
    database_url: str, clock: Clock
) -> None:
    engine = at_revision(database_url, "0002")
    created = datetime(2022, 3, 1, 9, 0, tzinfo=UTC)
    old = sa.table(
        "tokens",
        *(sa.column(c) for c in ("nick_key", "nick", "digest", "created_at", "revoked_at")),
    )
    with engine.begin() as conn:
        conn.execute(
            sa.insert(old),
            [
                {"nick_key": "bob", "nick": "Bob", "digest": _digest("ptg_bob"),
                 "created_at": created, "revoked_at": None},
                {"nick_key": "eve", "nick": "eve", "digest": _digest("ptg_eve"),
                 "created_at": created, "revoked_at": created},
            ],
        )  # fmt: skip
    engine.dispose()
    store = Store.open(database_url, clock=clock)
    try:
        assert [(i.nick, i.label, i.expires_at, i.event, i.last_used_at) for i in
                store.tokens.list()] == [("Bob", None, None, None, None),
                                         ("eve", None, None, None, None)]  # fmt: skip
        assert store.tokens.identify("ptg_bob", event=None) == "Bob"
        assert store.tokens.identify("ptg_eve", event=None) is None
        assert store.tokens.list()[0].last_used_at == clock.now
        with store.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).all() == [
                (HEAD,)
            ]
    finally:
        store.close()
