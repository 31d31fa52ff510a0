"""The Alembic migrations build exactly the schema that the code describes."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from ptghub.store.store import Store
from ptghub.store.tables import metadata


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
