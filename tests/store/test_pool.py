"""A PostgreSQL store pools its connections within the limits of the settings."""

from __future__ import annotations

import pytest
from sqlalchemy.pool import QueuePool

from ptghub.settings import Settings
from ptghub.store.pool import PoolLimits
from ptghub.store.store import Store

# Only PostgreSQL has a pool to set (the fixture's own parameter, chosen here).
on_postgres = pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


def _connect_timeout(store: Store) -> str | None:
    with store.engine.connect() as conn:
        parameters: dict[str, str] = conn.connection.driver_connection.info.get_parameters()
        return parameters.get("connect_timeout")


@on_postgres
def test_the_pool_takes_its_limits_from_the_settings(database_url: str) -> None:
    settings = Settings(
        db_pool_size=2, db_pool_max_overflow=1, db_pool_timeout=0.5, db_connect_timeout=3
    )
    store = Store.open(database_url, pool=PoolLimits.from_settings(settings))
    try:
        pool = store.engine.pool
        assert isinstance(pool, QueuePool)
        assert (pool.size(), pool._max_overflow, pool.timeout()) == (2, 1, 0.5)
        assert _connect_timeout(store) == "3"
    finally:
        store.close()


@on_postgres
def test_a_connect_timeout_in_the_database_url_wins_over_the_setting(database_url: str) -> None:
    store = Store.open(f"{database_url}&connect_timeout=7", pool=PoolLimits(connect_timeout=3))
    try:
        assert _connect_timeout(store) == "7"
    finally:
        store.close()


def test_the_pool_settings_refuse_limits_that_cannot_work() -> None:
    for bad in ({"db_pool_size": 0}, {"db_pool_timeout": 0}, {"db_connect_timeout": 1}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            Settings(**bad)  # type: ignore[arg-type]
