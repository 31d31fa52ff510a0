"""Restore a backup (a SQLite database or an export, see ``store.backup``) into a database.

The backup is first staged in a private temporary SQLite database and migrated there to
the newest schema, with the real migrations, so a backup taken by an older ptghub
restores as well; from there its rows go into the target in one transaction, so a
failed restore leaves the target as it was. The target must hold no rows unless
``force`` is given, which replaces everything in it. Processes serving the target keep
its state in memory: stop them while restoring.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, column, delete, insert, select, table
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.types import Date as DateType
from sqlalchemy.types import DateTime as DateTimeType
from sqlalchemy.types import Time as TimeType
from sqlalchemy.types import TypeDecorator

from ptghub.core.errors import InvalidInput, Refused
from ptghub.store import tables as t
from ptghub.store.backup import EXPORT_FORMAT, SQLITE_MAGIC, count_rows
from ptghub.store.engine import HEAD, make_engine, migrate

_BATCH = 1000


@dataclass(frozen=True, slots=True)
class RestoreSummary:
    events: int
    changes: int
    replaced: bool  # the target held rows, which --force replaced


def restore(target: Engine, path: Path, *, force: bool = False) -> RestoreSummary:
    """Put the backup at ``path`` into the database behind ``target``.

    Raises InvalidInput for a file that is not a ptghub backup (or of a newer schema
    than this ptghub knows), Refused when the target holds rows and ``force`` is unset.
    """
    from_sqlite = _read_head(path).startswith(SQLITE_MAGIC)
    document = None if from_sqlite else _read_export(path)
    migrate(target)
    with tempfile.TemporaryDirectory(prefix="ptghub-restore-") as staging_dir:
        staging_path = Path(staging_dir) / "staging.sqlite3"
        if from_sqlite:
            shutil.copyfile(path, staging_path)
        staging = make_engine(f"sqlite:///{staging_path}")
        try:
            if document is None:
                revision = _sqlite_revision(staging, path)
            else:
                revision = document["revision"]
                _migrate(staging, path, revision, revision)
                _load_export(staging, path, document)
            _migrate(staging, path, revision, "head")
            return _copy(staging, target, force=force)
        finally:
            staging.dispose()


def _read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise InvalidInput(f"Cannot read the backup {path}: {error.strerror}.") from None


def _not_a_backup(path: Path, why: str) -> InvalidInput:
    return InvalidInput(
        f"{path} is not a ptghub backup ({why}); expected a file written by 'ptghub backup'."
    )


def _sqlite_revision(staging: Engine, path: Path) -> str:
    try:
        with staging.connect() as conn:
            revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except DBAPIError:
        raise _not_a_backup(path, "a SQLite database without ptghub's tables") from None
    if not isinstance(revision, str):
        raise _not_a_backup(path, "its schema revision is missing")
    return revision


def _read_export(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _not_a_backup(path, f"neither SQLite nor JSON: {error}") from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise _not_a_backup(path, f'JSON without "format": "{EXPORT_FORMAT}"')
    if not isinstance(document.get("revision"), str) or not isinstance(
        document.get("tables"), dict
    ):
        raise _not_a_backup(path, "an export without its revision or tables")
    return document


def _migrate(staging: Engine, path: Path, revision: str, to: str) -> None:
    """Migrate the staging database, whose backup has schema ``revision``, to ``to``."""
    from alembic.util import CommandError

    try:
        migrate(staging, to)
    except CommandError:
        raise InvalidInput(
            f"{path} has schema revision {revision}, which this ptghub does not know "
            f"(its newest is {HEAD}); restore it with the ptghub that wrote it or a newer one."
        ) from None


def _load_export(staging: Engine, path: Path, document: dict[str, Any]) -> None:
    """Insert the export's rows into the staging database, at the export's revision."""
    with staging.connect() as conn, conn.begin():
        for name, content in document["tables"].items():
            known = t.metadata.tables.get(name)
            columns = content.get("columns") if isinstance(content, dict) else None
            rows = content.get("rows") if isinstance(content, dict) else None
            if known is None or not isinstance(columns, list) or not isinstance(rows, list):
                raise _not_a_backup(path, f"its table {name!r} is not one ptghub exports")
            unknown = [c for c in columns if c not in known.c]
            if unknown:
                raise _not_a_backup(path, f"table {name!r} has unknown columns {unknown}")
            # Only the export's columns: those added by later revisions are not there yet.
            target = table(name, *(column(c, known.c[c].type) for c in columns))
            decoders = [_decoder(known.c[c].type) for c in columns]
            try:
                values = [
                    {c: decode(v) for c, decode, v in zip(columns, decoders, row, strict=True)}
                    for row in rows
                ]
            except (TypeError, ValueError) as error:
                raise _not_a_backup(path, f"a row of table {name!r}: {error}") from None
            try:
                for start in range(0, len(values), _BATCH):
                    conn.execute(insert(target), values[start : start + _BATCH])
            except StatementError as error:  # a bad value, or rows that break a constraint
                reason = error.orig if error.orig is not None else error
                raise _not_a_backup(path, f"a row of table {name!r}: {reason}") from None


def _decoder(kind: Any) -> Any:
    if isinstance(kind, TypeDecorator):
        kind = kind.impl
    if isinstance(kind, DateTimeType):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(kind, DateType):
        return lambda v: None if v is None else date.fromisoformat(v)
    if isinstance(kind, TimeType):
        return lambda v: None if v is None else time.fromisoformat(v)
    return lambda v: v


def _copy(staging: Engine, target: Engine, *, force: bool) -> RestoreSummary:
    with staging.connect() as source, target.connect() as conn:
        conn.info["write"] = True  # SQLite: BEGIN IMMEDIATE, the write lock from the start
        try:
            with conn.begin():
                held = {name: n for name, n in count_rows(conn).items() if n}
                if held and not force:
                    what = ", ".join(f"{n} {name}" for name, n in held.items())
                    raise Refused(
                        f"The database is not empty ({what} rows); restore into an empty "
                        "database, or give --force to replace everything in it."
                    )
                for each in reversed(t.metadata.sorted_tables):
                    conn.execute(delete(each))
                for each in t.metadata.sorted_tables:
                    _copy_table(source, conn, each)
                if conn.dialect.name == "postgresql":
                    _reset_sequences(conn)
                counts = count_rows(conn)
        finally:
            conn.info.pop("write", None)
    return RestoreSummary(counts["events"], counts["audit"], bool(held))


def _copy_table(source: Connection, conn: Connection, each: Any) -> None:
    rows = source.execute(select(each).order_by(*each.primary_key.columns)).mappings()
    while batch := rows.fetchmany(_BATCH):
        conn.execute(insert(each), [dict(row) for row in batch])


def _reset_sequences(conn: Connection) -> None:
    """Rows came with their ids: move each id sequence past the largest one."""
    for each in t.metadata.sorted_tables:
        key = list(each.primary_key.columns)
        if len(key) != 1 or key[0].name != "id" or not key[0].autoincrement:
            continue
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{each.name}', 'id'), "
            f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {each.name}"
        )
