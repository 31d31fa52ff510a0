"""Leases: which process runs each thing that must run once, however many processes run.

The mail sender and each bot must act from one process at a time, while ``ptghub serve``
may run as several workers on several machines beside ``ptghub mail worker`` and ``ptghub
bot irc``. Each of them holds a lease row named after what it runs ("mail", "irc:<server>/
<channel>", "matrix:<homeserver>/<room>"), renews it well before it expires, and deletes
it when it stops; a process that dies without deleting it is replaced once it expires.

``acquire`` is acquire-or-renew in one statement (``INSERT .. ON CONFLICT DO UPDATE ..
WHERE`` the row is ours or expired), in a write transaction: PostgreSQL locks the
conflicting row, SQLite's ``BEGIN IMMEDIATE`` serializes writers, so two processes never
both get it. One mechanism on both backends (rather than an advisory lock on PostgreSQL
and a file lock on SQLite): every process of a SQLite installation shares its file, and
a row can be read back to say who holds what.

Expiry is on the database's clock on PostgreSQL (``now()``): the machines' clocks may
differ, the database's is the one they share. SQLite is on one machine: its wall clock.
Never the store's clock, which a demo or a rehearsal simulates. Tests inject a clock.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, case, delete, func, literal, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ptghub.store import tables as t
from ptghub.store.engine import writing

c = t.leases.c


def new_holder() -> str:
    """This process's name in the leases it holds: host:pid:random (a pid is reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def wall_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class LeaseState:
    """A lease as ``acquire`` left it: whether the caller holds it, and who does."""

    name: str
    held: bool  # by the caller
    holder: str
    expires_at: datetime


class Leases:
    """The ``leases`` table of ``engine``; ``clock`` replaces the database's (tests only)."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] | None = None) -> None:
        self.engine = engine
        self.clock = clock
        self._insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert

    def _moments(self, ttl: float) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
        """Now and ``ttl`` seconds from now, as SQL: the database's clock or ours."""
        if self.clock is None and self.engine.dialect.name == "postgresql":
            return func.now(), func.now() + timedelta(seconds=ttl)
        moment = (self.clock or wall_clock)()
        at = t.UTCDateTime()
        return literal(moment, at), literal(moment + timedelta(seconds=ttl), at)

    def acquire(self, name: str, holder: str, ttl: float) -> LeaseState:
        """Take lease ``name`` for ``ttl`` seconds if it is free, expired or ``holder``'s
        own (a renewal: its expiry moves on, ``acquired_at`` stays); else leave it."""
        now, expires = self._moments(ttl)
        insert = self._insert(t.leases).values(
            name=name, holder=holder, acquired_at=now, expires_at=expires
        )
        taken = insert.excluded
        statement = insert.on_conflict_do_update(
            index_elements=[c.name],
            set_={
                "holder": taken.holder,
                "acquired_at": case(
                    (c.holder == taken.holder, c.acquired_at), else_=taken.acquired_at
                ),
                "expires_at": taken.expires_at,
            },
            where=or_(c.holder == taken.holder, c.expires_at <= taken.acquired_at),
        ).returning(c.holder, c.expires_at)
        with writing(self.engine) as conn:
            row = conn.execute(statement).first()
            if row is None:  # another's, still valid: say whose
                row = conn.execute(select(c.holder, c.expires_at).where(c.name == name)).one()
        return LeaseState(name, row.holder == holder, row.holder, row.expires_at)

    def release(self, name: str, holder: str) -> bool:
        """Give lease ``name`` up, if ``holder`` still holds it: a standby may take it
        at once. Whether it was held."""
        with writing(self.engine) as conn:
            result = conn.execute(delete(t.leases).where(and_(c.name == name, c.holder == holder)))
        return bool(result.rowcount)

    def holders(self) -> dict[str, tuple[str, datetime]]:
        """Every lease row, valid or expired: name -> (holder, expires_at)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(c.name, c.holder, c.expires_at)).all()
        return {r.name: (r.holder, r.expires_at) for r in rows}
