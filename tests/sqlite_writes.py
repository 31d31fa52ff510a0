"""Every write ptghub makes on SQLite is in a transaction that took the write lock first.

A plain (deferred) transaction that reads and then writes fails at once with "database is
locked" when another connection committed in between: SQLite will not let it write on top
of a snapshot that is no longer the newest, and no busy timeout helps. ``store.engine.
writing`` begins with ``BEGIN IMMEDIATE``; ``watch`` records each INSERT, UPDATE or DELETE
sent through a SQLite engine outside such a transaction, when ptghub's own code began the
transaction (a test's setup may write in a transaction of its own).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

import ptghub

_PTGHUB = str(Path(ptghub.__file__).parent)
_TESTS = str(Path(__file__).parent)
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _caller() -> str | None:
    """The innermost frame of ptghub's or of the tests' code, as ``file:line``."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(_PTGHUB) or (name.startswith(_TESTS) and name != __file__):
            return f"{name}:{frame.f_lineno}"
        frame = frame.f_back  # type: ignore[assignment]
    return None


def watch(engine: Engine) -> list[str]:
    """Start recording unlocked writes on ``engine`` in transactions that ptghub's code
    began: the returned list gets ``file:line (began at file:line): statement`` for each."""
    found: list[str] = []

    def begin(conn: Any) -> None:
        conn.info["begun_by"] = _caller()

    def before(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if conn.info.get("write") or not statement.lstrip().upper().startswith(_WRITES):
            return
        began = conn.info.get("begun_by") or ""
        if began.startswith(_PTGHUB):
            found.append(f"{_caller()} (began at {began}): {' '.join(statement.split())[:100]}")

    event.listen(engine, "begin", begin)
    event.listen(engine, "before_cursor_execute", before)
    return found
