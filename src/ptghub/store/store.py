"""The store: one transaction per command, the audit log, undo, and cached event state.

Every write follows one path: lock the event's row (``BEGIN IMMEDIATE`` on SQLite,
``SELECT ... FOR UPDATE`` on PostgreSQL), take its state (from the cache when the row's
version says it is current, else from the tables), run the pure command, write its
events and an audit row, bump the version, commit. Writers of one event are thus
serialized, which makes the core's checks exact; the schema's constraints are the
second line against any writer that bypasses this path.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from ptghub.commands.registry import Notice, is_organizer
from ptghub.commands.run import execute
from ptghub.core.apply import apply, apply_all
from ptghub.core.codec import decode, encode
from ptghub.core.errors import Conflict, NotFound, PermissionDenied, Refused
from ptghub.core.events import DomainEvent, EventCreated
from ptghub.core.model import Actor, EventInfo, EventState
from ptghub.store import tables as t
from ptghub.store.engine import make_engine, migrate
from ptghub.store.load import load_state
from ptghub.store.people import People
from ptghub.store.persist import StaleWrite, persist
from ptghub.store.tokens import Tokens


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Result:
    """What a command did. ``audit_id`` is None when it changed nothing."""

    reply: str
    events: tuple[DomainEvent, ...] = ()
    notices: tuple[Notice, ...] = ()
    audit_id: int | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    frontend: str
    text: str
    events: tuple[DomainEvent, ...]
    reverts: int | None
    undone_by: int | None


@dataclass(frozen=True, slots=True)
class EventSummary:
    slug: str
    info: EventInfo
    current: bool


class Store:
    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.clock = clock
        self._sqlite = engine.dialect.name == "sqlite"
        # SQLite has one writer anyway; queueing threads here beats its busy-wait loop.
        self._write_lock = threading.Lock()
        self._cache: dict[int, tuple[int, EventState]] = {}
        self.tokens = Tokens(engine, clock)
        self.people = People(engine)

    @classmethod
    def open(cls, url: str, *, clock: Callable[[], datetime] = utcnow) -> Store:
        """Connect to ``url`` and bring its schema up to date."""
        engine = make_engine(url)
        migrate(engine)
        return cls(engine, clock=clock)

    def close(self) -> None:
        self.engine.dispose()

    # -- transactions ---------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._write_lock if self._sqlite else _nothing(), self.engine.connect() as conn:
            conn.info["write"] = True
            try:
                with conn.begin():
                    yield conn
            except (IntegrityError, StaleWrite) as error:
                raise Conflict(
                    "Someone else changed the same thing at the same moment; try again."
                ) from error
            finally:
                conn.info.pop("write", None)

    def _event_row(self, conn: Connection, slug: str | None, *, lock: bool) -> Row[Any]:
        query = select(t.events)
        if slug is None:
            query = query.where(t.events.c.is_current.is_(True))
        else:
            query = query.where(t.events.c.slug == slug)
        if lock and not self._sqlite:
            query = query.with_for_update()
        row = conn.execute(query).first()
        if row is None:
            if slug is None:
                raise NotFound(
                    "There is no current event; load one with 'ptghub event load FILE' "
                    "or 'ptghub demo'."
                )
            raise NotFound(f"Unknown event '{slug}'; 'ptghub event list' shows the events.")
        return row

    def _state(self, conn: Connection, row: Row[Any]) -> EventState:
        cached = self._cache.get(row.id)
        if cached is not None and cached[0] == row.version:
            return cached[1]
        state = load_state(conn, row.id)
        self._cache[row.id] = (row.version, state)
        return state

    def _commit_changes(
        self,
        conn: Connection,
        row: Row[Any],
        *,
        actor: Actor,
        text: str,
        events: tuple[DomainEvent, ...],
        reverts: int | None = None,
    ) -> int:
        persist(conn, row.id, events)
        conn.execute(
            update(t.events).where(t.events.c.id == row.id).values(version=row.version + 1)
        )
        audit_id = conn.execute(
            insert(t.audit).values(
                event_id=row.id,
                at=self.clock(),
                actor=actor.nick,
                frontend=actor.frontend,
                text=text,
                changes=[e.to_json() for e in events],
                reverts=reverts,
            )
        ).inserted_primary_key
        assert audit_id is not None
        return int(audit_id[0])

    # -- commands -------------------------------------------------------------------

    def run(
        self, text: str, actor: Actor, *, event: str | None = None, private: bool = True
    ) -> Result | None:
        """Run one line of the command language; None when it is channel chatter.

        Raises a PtgError, with nothing changed, when the command is refused.
        """
        with self._write() as conn:
            actor = People.actor(conn, actor)
            row = self._event_row(conn, event, lock=True)
            applied = execute(self._state(conn, row), text, actor, self.clock(), private=private)
            if applied is None:
                return None
            outcome = applied.outcome
            if not outcome.events:
                return Result(outcome.reply)
            audit_id = self._commit_changes(
                conn, row, actor=actor, text=applied.command.raw, events=outcome.events
            )
        self._cache[row.id] = (row.version + 1, applied.state)
        return Result(outcome.reply, outcome.events, outcome.notices, audit_id)

    def undo(self, audit_id: int, actor: Actor) -> Result:
        """Revert one audited change by applying its inverse, as a change of its own."""
        with self._write() as conn:
            actor = People.actor(conn, actor)
            entry_row = conn.execute(select(t.audit).where(t.audit.c.id == audit_id)).first()
            if entry_row is None:
                raise NotFound(f"There is no change #{audit_id}; 'ptghub audit' lists them.")
            query = select(t.events).where(t.events.c.id == entry_row.event_id)
            row = conn.execute(query if self._sqlite else query.with_for_update()).one()
            state = self._state(conn, row)
            if not is_organizer(state, actor):
                raise PermissionDenied(f"Undo needs an organizer; {actor.nick} is not one.")
            if entry_row.undone_by is not None:
                raise Conflict(f"Change #{audit_id} was already undone by #{entry_row.undone_by}.")
            inverse = [DomainEvent.from_json(e).inverse() for e in reversed(entry_row.changes)]
            if any(e is None for e in inverse):
                raise Refused(f"Change #{audit_id} ({entry_row.text}) cannot be undone.")
            events = tuple(e for e in inverse if e is not None)
            try:
                new_state = apply_all(state, events)
            except Conflict as error:
                raise Conflict(f"Cannot undo #{audit_id}: {error.message}") from None
            new_id = self._commit_changes(
                conn, row, actor=actor, text=f"undo {audit_id}", events=events, reverts=audit_id
            )
            conn.execute(update(t.audit).where(t.audit.c.id == audit_id).values(undone_by=new_id))
        self._cache[row.id] = (row.version + 1, new_state)
        return Result(f"OK, change #{audit_id} ({entry_row.text}) is undone.", events, (), new_id)

    # -- events ---------------------------------------------------------------------

    def create_event(self, events: list[DomainEvent], actor: Actor, text: str) -> Result:
        """Create an event from its definition (EventCreated first, then the rest)."""
        if not events or not isinstance(events[0], EventCreated):
            raise ValueError("an event definition starts with EventCreated")
        info = events[0].info
        state = apply_all(EventState(), events)
        with self._write() as conn:
            exists = conn.execute(select(t.events.c.id).where(t.events.c.slug == info.slug))
            if exists.first() is not None:
                raise Conflict(f"Event '{info.slug}' already exists.")
            has_current = conn.execute(
                select(t.events.c.id).where(t.events.c.is_current.is_(True))
            ).first()
            event_id = conn.execute(
                insert(t.events).values(
                    slug=info.slug,
                    version=0,
                    is_current=has_current is None,
                    info=encode(info),
                    open_to_everyone=True,
                )
            ).inserted_primary_key
            assert event_id is not None
            row = conn.execute(select(t.events).where(t.events.c.id == event_id[0])).one()
            audit_id = self._commit_changes(conn, row, actor=actor, text=text, events=tuple(events))
        self._cache[row.id] = (row.version + 1, state)
        return Result(f"OK, event '{info.slug}' created.", tuple(events), (), audit_id)

    def set_current(self, slug: str) -> None:
        with self._write() as conn:
            self._event_row(conn, slug, lock=True)
            conn.execute(update(t.events).values(is_current=t.events.c.slug == slug))

    def events(self) -> list[EventSummary]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.events).order_by(t.events.c.id)).all()
        return [EventSummary(r.slug, decode(EventInfo, r.info), r.is_current) for r in rows]

    def state(self, event: str | None = None) -> EventState:
        """The current state of an event (the current event by default)."""
        with self.engine.connect() as conn:
            return self._state(conn, self._event_row(conn, event, lock=False))

    # -- audit ----------------------------------------------------------------------

    def audit(self, event: str | None = None, *, limit: int | None = None) -> list[AuditEntry]:
        """Audited changes of an event, oldest first (the newest ``limit`` if given)."""
        with self.engine.connect() as conn:
            row = self._event_row(conn, event, lock=False)
            query = select(t.audit).where(t.audit.c.event_id == row.id)
            if limit is not None:
                query = query.order_by(t.audit.c.id.desc()).limit(limit)
            rows = sorted(conn.execute(query).all(), key=lambda r: r.id)
        return [
            AuditEntry(
                r.id,
                r.at,
                r.actor,
                r.frontend,
                r.text,
                tuple(DomainEvent.from_json(e) for e in r.changes),
                r.reverts,
                r.undone_by,
            )
            for r in rows
        ]

    def replay(self, event: str | None = None) -> EventState:
        """Rebuild an event's state from its audit log alone."""
        state = EventState()
        for entry in self.audit(event):
            for change in entry.events:
                apply(state, change)
        return state


@contextmanager
def _nothing() -> Iterator[None]:
    yield
