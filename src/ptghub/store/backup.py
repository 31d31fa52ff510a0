"""Backups of a running database: consistent, private files that ``restore`` reads.

Two forms, both taken while the server goes on writing:

- SQLite: the online backup API copies the database from one read transaction (WAL
  lets writers go on meanwhile), so the copy holds exactly the changes committed
  before it began. A plain copy of the file misses those still in the ``-wal`` file.
- An export (PostgreSQL always, SQLite on request): ptghub's tables as JSON, read in
  one snapshot (REPEATABLE READ on PostgreSQL), with the schema revision they follow.
  It restores into either backend, which is also how a SQLite database moves to
  PostgreSQL.

Either way the file is written under a temporary name beside its own, flushed to disk,
made readable by its owner only, and renamed: a half-written backup never carries the
name, and a backup holds what the database does (token digests, people, every change).
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from ptghub.core.errors import InvalidInput, Refused
from ptghub.store import tables as t
from ptghub.store.engine import HEAD, private_file

EXPORT_FORMAT = "ptghub-export"
SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True, slots=True)
class BackupSummary:
    """What a backup holds: ``form`` is "SQLite database" or "export"."""

    form: str
    events: int
    changes: int


def backup(engine: Engine, path: Path, *, export: bool = False) -> BackupSummary:
    """Write a consistent backup of the database behind ``engine`` to ``path``.

    SQLite databases are copied with the online backup API unless ``export`` is set;
    PostgreSQL databases are always exported. Raises InvalidInput when ``path`` is the
    database itself or its directory does not exist.
    """
    sqlite = engine.dialect.name == "sqlite"
    database = engine.url.database if sqlite else None
    if database and path.exists() and path.resolve() == Path(database).resolve():
        raise InvalidInput(f"{path} is the database itself; give another file for the backup.")
    if not path.parent.is_dir():
        raise InvalidInput(f"Cannot write {path}: the directory {path.parent} does not exist.")
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    private_file(partial)
    try:
        if sqlite and not export:
            summary = _sqlite_backup(engine, partial)
        else:
            summary = _export(engine, partial)
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return summary


def _sqlite_backup(engine: Engine, partial: Path) -> BackupSummary:
    target = sqlite3.connect(partial)
    try:
        with engine.connect() as conn:
            source = conn.connection.driver_connection
            assert isinstance(source, sqlite3.Connection)
            # pages=-1: in one step, so from one read transaction and thus consistent
            # (in steps, a write between two of them would make SQLite start over).
            source.backup(target, pages=-1)
        # A file that stands alone: no -wal or -shm file when it is opened again.
        target.execute("PRAGMA journal_mode=DELETE")
        events = target.execute("SELECT count(*) FROM events").fetchone()[0]
        changes = target.execute("SELECT count(*) FROM audit").fetchone()[0]
    finally:
        target.close()
    return BackupSummary("SQLite database", int(events), int(changes))


def _export(engine: Engine, partial: Path) -> BackupSummary:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            # One snapshot for every table: a change commits in all of them or none.
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            if revision != HEAD:
                raise Refused(
                    f"The database's schema is at revision {revision}; this ptghub exports "
                    f"revision {HEAD}. Run a ptghub of that revision to back it up."
                )
            tables = {table.name: _table(conn, table) for table in t.metadata.sorted_tables}
    document = {"format": EXPORT_FORMAT, "revision": revision, "tables": tables}
    with partial.open("w", encoding="utf-8") as file:
        json.dump(document, file, separators=(",", ":"))
    return BackupSummary("export", len(tables["events"]["rows"]), len(tables["audit"]["rows"]))


def _table(conn: Connection, table: Any) -> dict[str, Any]:
    rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
    return {
        "columns": [column.name for column in table.columns],
        "rows": [[encode_value(value) for value in row] for row in rows],
    }


def encode_value(value: Any) -> Any:
    """A column's value as JSON: times as ISO 8601 (datetimes are aware, in UTC)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def count_rows(conn: Connection) -> dict[str, int]:
    """Rows per ptghub table: what makes a database not empty."""
    return {
        table.name: int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)
        for table in t.metadata.sorted_tables
    }
