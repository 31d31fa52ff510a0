"""Database engines: SQLite by default, PostgreSQL (psycopg 3) when the URL says so.

SQLite runs in WAL mode with ``synchronous=FULL``: a change the bot has confirmed to a
chair survives a power cut. Writes open with ``BEGIN IMMEDIATE`` so that two writers
queue for the lock at the start instead of failing half-way when one upgrades a read.

The SQLite file is created readable by its owner only (0600; SQLite gives its ``-wal``
and ``-shm`` files the same mode), in a directory created 0700: it holds token digests,
people and every change. Alembic is imported only when the schema is behind ``HEAD``,
which one query tells: a command-line call must not pay for it every time.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from ptghub.store.pool import PoolLimits, postgres_engine_options

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest revision in migrations/versions (a test checks it against the directory):
# a database at this revision needs no migration, and Alembic is not imported.
HEAD = "0009"


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'ptghub.sqlite3'}"


def make_engine(url: str, *, pool: PoolLimits | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url``; for SQLite, set the pragmas and take over BEGIN. A server
    database gets a connection pool within ``pool`` (``store.pool``; defaults without)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        options = postgres_engine_options(parsed, pool or PoolLimits())
        return create_engine(parsed, **{**options, **kwargs})
    if parsed.database and parsed.database != ":memory:":
        private_file(Path(parsed.database))
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


@contextlib.contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction that, on SQLite, takes the write lock from its start
    (``BEGIN IMMEDIATE``, see ``_on_begin``): a transaction that reads then writes would
    otherwise fail with "database is locked" when another writer came in between, where
    this one waits its turn. On PostgreSQL a plain transaction."""
    with engine.connect() as conn:
        conn.info["write"] = True
        try:
            with conn.begin():
                yield conn
        finally:
            conn.info.pop("write", None)


def dispose_for_good(engine: Engine) -> None:
    """Close the engine's connections for good. A connection still checked out (a thread
    finishing a read as the store closes) would go back to the disposed pool and stay
    open until garbage collection: it is closed as it comes back instead."""

    def close(dbapi_connection: Any, _record: Any) -> None:
        if dbapi_connection is not None:
            dbapi_connection.close()

    event.listen(engine, "checkin", close)
    engine.dispose()


def private_dir(path: Path) -> None:
    """Create directory ``path`` (and its parents) if missing; the directory itself 0700.

    An existing directory keeps its mode: its owner may have chosen it."""
    if not path.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir(mode=0o700, exist_ok=True)


def private_file(path: Path) -> None:
    """Create an empty file ``path``, readable by its owner only, unless it exists.

    An empty file is an empty SQLite database: SQLite then keeps the file's mode, and
    gives its -wal and -shm files the same one. Created here, not by SQLite, because
    SQLite creates files 0644 (less the umask)."""
    private_dir(path.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


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


def schema_revision(engine: Engine) -> str | None:
    """The database's Alembic revision; None for a database without ptghub's schema."""
    with engine.connect() as connection:
        try:
            return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        except DBAPIError:
            return None  # no such table: a new database (the rollback comes with close)


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (the newest by default).

    Safe when several threads or processes open the same new database at once: the
    migration runs in one transaction that first takes a lock (``migrating``), so the
    others wait, then find it done.
    """
    if revision == "head" and schema_revision(engine) == HEAD:
        return
    from alembic import command  # about 0.15 s of imports, for a database that is behind
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with migrating(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@contextlib.contextmanager
def migrating(engine: Engine) -> Iterator[Connection]:
    """The connection to run Alembic on, in one transaction that first takes a lock
    (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL).

    On SQLite, foreign keys are off meanwhile and checked before the commit: Alembic
    changes a table there by building a new one and dropping the old, and dropping a
    table that other rows refer to would fail (SQLite's own procedure for changing a
    table, https://sqlite.org/lang_altertable.html, says the same). The pragma only acts
    outside a transaction, hence straight to the driver before it begins."""
    with _MIGRATING, engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        driver: Any = connection.connection.driver_connection
        if sqlite:
            driver.execute("PRAGMA foreign_keys=OFF")
        connection.info["write"] = True
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.exec_driver_sql(
                        f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})"
                    )
                yield connection
                if sqlite and (
                    broken := connection.exec_driver_sql("PRAGMA foreign_key_check").first()
                ):
                    raise RuntimeError(f"the migration broke a foreign key: {tuple(broken)}")
        finally:
            connection.info.pop("write", None)
            if sqlite:
                driver.execute("PRAGMA foreign_keys=ON")
