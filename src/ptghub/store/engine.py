"""Database engines: SQLite by default, PostgreSQL (psycopg 3) when the URL says so.

SQLite runs in WAL mode with ``synchronous=FULL``: a change the bot has confirmed to a
chair survives a power cut. Writes open with ``BEGIN IMMEDIATE`` so that two writers
queue for the lock at the start instead of failing half-way when one upgrades a read.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

MIGRATIONS = Path(__file__).parent / "migrations"


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'ptghub.sqlite3'}"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; for SQLite, set the pragmas and take over BEGIN."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, connect_args={"check_same_thread": False}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below decide how a transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=30000")
        _set_wal(cursor)
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # The store marks its writing connection; every other transaction only reads.
        # Straight to the driver: this runs for every transaction.
        begin = "BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN"
        conn.connection.driver_connection.execute(begin)

    return engine


# Alembic keeps its migration context in a module global: one migration per process
# at a time. Across processes, the database's own lock serializes them (below).
_MIGRATING = threading.Lock()
# Any constant works; it only has to be the same for every ptghub process.
_PG_MIGRATION_LOCK = 0x70746768


def _set_wal(cursor: Any) -> None:
    """Switch to WAL. Several processes opening a new file at once can find it busy, and
    SQLite does not wait in its busy handler for a journal mode change: retry briefly."""
    for attempt in range(100):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            if attempt == 99:
                raise
            time.sleep(0.05)


def migrate(engine: Engine) -> None:
    """Bring the schema up to the newest Alembic revision.

    Safe when several threads or processes open the same new database at once: the
    migration runs in one transaction that first takes a lock (``BEGIN IMMEDIATE`` on
    SQLite, an advisory lock on PostgreSQL), so the others wait, then find it done.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with _MIGRATING, engine.connect() as connection:
        connection.info["write"] = True
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.exec_driver_sql(
                        f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})"
                    )
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        finally:
            connection.info.pop("write", None)
