"""DML statements of the write path, run straight on the DBAPI driver's cursor.

Each command runs three or four small statements; SQLAlchemy's per-execution machinery
(execution context, events, result wrapping) cost several times what SQLite spends on
them. A ``DriverStatement`` is compiled by SQLAlchemy once per dialect, with the dialect's
own bind processors (JSON, UTC datetimes), and then executed on the DBAPI cursor of the
connection's current transaction. Only for the write path's fixed statements; everything
else goes through SQLAlchemy as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.dml import UpdateBase


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # bind names, in the order the driver wants them
    positional: bool
    processors: tuple[Callable[[Any], Any] | None, ...]
    literals: dict[str, Any]  # values the statement itself binds, like the 1 of version + 1


class DriverStatement:
    """A DML statement for the driver; ``columns`` names the values it is given."""

    def __init__(self, statement: UpdateBase, columns: Sequence[str] = ()) -> None:
        self.statement = statement
        self.columns = list(columns)
        self._by_dialect: dict[str, _Compiled] = {}

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self.statement.compile(dialect=dialect, column_keys=self.columns or None)
        positional = bool(compiled.positional)
        names = tuple(compiled.positiontup or ()) if positional else tuple(compiled.binds)
        processors = tuple(
            compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in names
        )
        literals = {name: bind.value for name, bind in compiled.binds.items() if not bind.required}
        return _Compiled(compiled.string, names, positional, processors, literals)

    def execute(self, conn: Connection, params: Mapping[str, Any]) -> tuple[int, Any]:
        """Execute with ``params`` (keyed by bind or column name).

        Returns the row count and the first row returned (None without RETURNING).
        """
        dialect = conn.dialect
        compiled = self._by_dialect.get(dialect.name)
        if compiled is None:
            compiled = self._by_dialect[dialect.name] = self._compile(dialect)
        given = {**compiled.literals, **params}
        values = [
            process(given[name]) if process else given[name]
            for name, process in zip(compiled.names, compiled.processors, strict=True)
        ]
        dbapi = dialect.loaded_dbapi
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            if compiled.positional:
                cursor.execute(compiled.sql, values)
            else:
                cursor.execute(compiled.sql, dict(zip(compiled.names, values, strict=True)))
            row = cursor.fetchone() if cursor.description else None
            return cursor.rowcount, row
        except dbapi.Error as error:
            # The same exceptions as through SQLAlchemy (IntegrityError for a constraint).
            raise DBAPIError.instance(compiled.sql, values, error, dbapi.Error) from error
        finally:
            cursor.close()
