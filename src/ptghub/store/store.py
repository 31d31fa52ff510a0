"""The store: one transaction per command, the audit log, undo, and cached event state.

Every write follows one path: claim the event (``BEGIN IMMEDIATE`` on SQLite, then one
``UPDATE ... RETURNING`` that bumps its version and, on PostgreSQL, locks its row), take
its state (from the cache when the version says it is current, else from the tables),
run the pure command, write its events (``persist``) and an audit row (``audit_log``),
commit; a command that changes nothing rolls back. Writers of one event are thus
serialized, which makes the core's checks exact; the schema's constraints are the second
line against any writer that bypasses this path.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from ptghub.commands.notices import subscriber_notices
from ptghub.commands.registry import Notice
from ptghub.commands.run import Applied, execute
from ptghub.core.apply import apply, apply_all
from ptghub.core.codec import decode, encode
from ptghub.core.errors import Conflict, NotFound, PermissionDenied, Refused
from ptghub.core.events import DomainEvent, EventCreated
from ptghub.core.model import Actor, EventInfo, EventState, nick_key
from ptghub.core.permissions import require_organizer
from ptghub.store import audit_log
from ptghub.store import tables as t
from ptghub.store.attendees import Attendees
from ptghub.store.audit_log import AuditEntry
from ptghub.store.cache import StateCache
from ptghub.store.driver_statements import DriverStatement
from ptghub.store.engine import dispose_for_good, make_engine, migrate
from ptghub.store.observed import Observed
from ptghub.store.people import People
from ptghub.store.persist import StaleWrite, persist
from ptghub.store.personal import personal
from ptghub.store.results import EventSummary, Result
from ptghub.store.tokens import Tokens

T = TypeVar("T")


def utcnow() -> datetime:
    return datetime.now(UTC)


# The write path runs these for every command: built once, they skip SQLAlchemy's
# per-call statement construction, which cost more than SQLite itself.
_EVENT_BY_SLUG = select(t.events.c.id, t.events.c.version).where(
    t.events.c.slug == bindparam("event_slug")
)
_CURRENT_EVENT = select(t.events.c.id, t.events.c.version).where(t.events.c.is_current.is_(True))
# A write claims its event by bumping the version first: one statement that also takes
# the row lock on PostgreSQL (SQLite's BEGIN IMMEDIATE already holds the database lock).
_CLAIM = update(t.events).values(version=t.events.c.version + 1)
_CLAIM_BY_SLUG = DriverStatement(
    _CLAIM.where(t.events.c.slug == bindparam("event_slug")).returning(
        t.events.c.id, t.events.c.version
    )
)
_CLAIM_CURRENT = DriverStatement(
    _CLAIM.where(t.events.c.is_current.is_(True)).returning(t.events.c.id, t.events.c.version)
)
_CLAIM_BY_ID = DriverStatement(
    _CLAIM.where(t.events.c.id == bindparam("eid")).returning(t.events.c.id, t.events.c.version)
)


@dataclass(frozen=True, slots=True)
class EventRow:
    """What the write path needs of an event's row."""

    id: int
    version: int


class Store(Observed):
    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.clock = clock
        self._sqlite = engine.dialect.name == "sqlite"
        # SQLite has one writer anyway; queueing threads here beats its busy-wait loop.
        self._write_lock = threading.Lock()
        self._writer: Connection | None = None
        self._cache = StateCache()
        self.tokens = Tokens(engine, clock)
        self.people = People(engine)
        self.accounts, self.outbox, self.links, self.profiles, self.link_codes = personal(
            engine, clock, self.tokens
        )
        self.attendees = Attendees(engine, clock, self.accounts, self.outbox)

    @classmethod
    def open(cls, url: str, *, clock: Callable[[], datetime] = utcnow, **options: Any) -> Store:
        """Connect to ``url`` (``options`` for ``make_engine``: ``pool``) and migrate it."""
        engine = make_engine(url, **options)
        try:
            migrate(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, clock=clock)

    def close(self) -> None:
        with self._write_lock:
            if self._writer is not None:
                self._writer.close()
                self._writer = None
        dispose_for_good(self.engine)

    # -- transactions ---------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        if self._sqlite:
            # One writer at a time anyway: keep its connection instead of a pool round trip.
            with self._write_lock:
                if self._writer is None or self._writer.invalidated:
                    self._writer = self.engine.connect()
                    self._writer.info["write"] = True
                with _conflicts(), self._writer.begin():
                    yield self._writer
            return
        with self.engine.connect() as conn, _conflicts(), conn.begin():
            yield conn

    def _event_row(self, conn: Connection, slug: str | None, *, claim: bool) -> EventRow:
        """The event's (id, version) as it was before this transaction.

        With ``claim``, the version is bumped and the row locked until the transaction
        ends: the caller must roll back if it changes nothing.
        """
        params = {"event_slug": slug} if slug is not None else {}
        if claim:
            row = (_CLAIM_CURRENT if slug is None else _CLAIM_BY_SLUG).execute(conn, params)[1]
        else:
            query = _CURRENT_EVENT if slug is None else _EVENT_BY_SLUG
            row = conn.execute(query, params).first()
        if row is None:
            if slug is None:
                raise NotFound(
                    "There is no current event; load one with 'ptghub event load FILE' "
                    "or 'ptghub demo'."
                )
            raise NotFound(f"Unknown event '{slug}'; 'ptghub event list' shows the events.")
        event_id, version = row
        return EventRow(event_id, version - 1 if claim else version)

    def _state(self, conn: Connection, row: EventRow) -> EventState:
        return self._cache.get(conn, row.id, row.version)

    def _commit_changes(
        self,
        conn: Connection,
        row: EventRow,
        *,
        actor: Actor,
        text: str,
        events: tuple[DomainEvent, ...],
        reverts: int | None = None,
    ) -> int:
        persist(conn, row.id, events)
        return audit_log.append(
            conn, row.id, at=self.clock(), actor=actor, text=text, events=events, reverts=reverts
        )

    # -- commands -------------------------------------------------------------------

    def run(
        self, text: str, actor: Actor, *, event: str | None = None, private: bool = True
    ) -> Result | None:
        """Run one line of the command language; None when it is channel chatter.

        Raises a PtgError, with nothing changed, when the command is refused.
        """
        with self._write() as conn:
            row = self._event_row(conn, event, claim=True)
            applied = self._execute(conn, self._state(conn, row), text, actor, private)
            if applied is None or not applied.outcome.events:
                conn.rollback()  # nothing changed: release the claim, keep the version
                return None if applied is None else Result(applied.outcome.reply)
            outcome = applied.outcome
            audit_id = self._commit_changes(
                conn, row, actor=actor, text=applied.command.raw, events=outcome.events
            )
        self._cache.put(row.id, row.version + 1, applied.state, audit_id)
        # Committed and the lock released: subscribers are matched without holding up
        # the next writer, on the state this change made.
        notices = self._notices(applied.state, outcome.events, actor)
        return Result(outcome.reply, outcome.events, notices, audit_id)

    def _notices(
        self, state: EventState, events: tuple[DomainEvent, ...], actor: Actor
    ) -> tuple[Notice, ...]:
        """What subscribers are owed for a committed change; never to its author under
        any of their nicks (read only when someone else's pattern matched)."""
        notices = subscriber_notices(state, events, skip=actor.keys)
        if notices:
            with self._read() as conn:
                keys = People.actor(conn, actor).keys
            notices = tuple(n for n in notices if nick_key(n.nick) not in keys)
        return notices

    def _execute(
        self, conn: Connection, state: EventState, text: str, actor: Actor, private: bool
    ) -> Applied | None:
        """Run the command; look up the speaker's other nicks only where they matter.

        Most commands succeed on the speaker's own nick, so the people table is read only
        when permission is refused (a role may be held under another nick).
        """
        now = self.clock()
        try:
            return execute(state, text, actor, now, private=private)
        except PermissionDenied:
            person = People.actor(conn, actor)
            if person is actor:
                raise
            return execute(state, text, person, now, private=private)

    def undo(self, audit_id: int, actor: Actor) -> Result:
        """Revert one audited change by applying its inverse, as a change of its own."""
        with self._write() as conn:
            actor = People.actor(conn, actor)
            entry_row = audit_log.row(conn, audit_id)
            if entry_row is None:
                raise NotFound(f"There is no change #{audit_id}; 'ptghub audit' lists them.")
            claimed_id, version = _CLAIM_BY_ID.execute(conn, {"eid": entry_row.event_id})[1]
            row = EventRow(claimed_id, version - 1)
            # Read again under the claim: a concurrent undo of the same change has finished.
            entry_row = audit_log.row(conn, audit_id)
            assert entry_row is not None  # audit rows are never deleted while their event is
            state = self._state(conn, row)
            require_organizer(state, actor, "Undo")
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
            audit_log.mark_undone(conn, audit_id, by=new_id)
        self._cache.put(row.id, row.version + 1, new_state, new_id)
        return Result(f"OK, change #{audit_id} ({entry_row.text}) is undone.", events, (), new_id)

    def change(
        self,
        build: Callable[[EventState, Actor], Sequence[DomainEvent]],
        actor: Actor,
        text: str,
        *,
        event: str | None = None,
        then: Callable[[Connection, int, int], None] | None = None,
    ) -> Result:
        """Apply the events ``build`` makes from the current state, as one audited change.

        For changes that are not one line of the command language (a needs file, a
        published plan): ``build`` is pure, sees the state under the write claim and the
        actor with their other nicks, and raises a PtgError to refuse (nothing changes).
        ``text`` is what the audit log shows as the command. No events: nothing is
        written and the result says so. ``then(conn, event id, audit id)`` runs in the
        same transaction after the audit row is written, for rows that must commit with
        the change (a plan marked published); it may raise a PtgError to roll back all.
        """
        with self._write() as conn:
            row = self._event_row(conn, event, claim=True)
            state = self._state(conn, row)
            events = tuple(build(state, People.actor(conn, actor)))
            if not events:
                conn.rollback()
                return Result("Nothing to change.")
            new_state = apply_all(state, events)
            audit_id = self._commit_changes(conn, row, actor=actor, text=text, events=events)
            if then is not None:
                then(conn, row.id, audit_id)
        self._cache.put(row.id, row.version + 1, new_state, audit_id)
        return Result(f"OK, {len(events)} change(s) recorded as #{audit_id}.", events, (), audit_id)

    def preview(
        self, look: Callable[[EventState, Actor], T], actor: Actor, *, event: str | None = None
    ) -> T:
        """What ``look`` (pure) makes of the event's state and the actor with their other
        nicks, changing nothing: the dry run of a ``change``."""
        with self._read() as conn:
            row = self._event_row(conn, event, claim=False)
            return look(self._state(conn, row), People.actor(conn, actor))

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
                    version=1,
                    is_current=has_current is None,
                    open_to_everyone=True,
                )
            ).inserted_primary_key
            assert event_id is not None
            conn.execute(insert(t.event_info).values(event_id=event_id[0], info=encode(info)))
            row = EventRow(int(event_id[0]), 0)
            audit_id = self._commit_changes(conn, row, actor=actor, text=text, events=tuple(events))
        self._cache.put(row.id, row.version + 1, state, audit_id)
        return Result(f"OK, event '{info.slug}' created.", tuple(events), (), audit_id)

    def set_current(self, slug: str) -> None:
        with self._write() as conn:
            self._event_row(conn, slug, claim=False)
            conn.execute(update(t.events).values(is_current=t.events.c.slug == slug))

    def events(self) -> list[EventSummary]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t.events.c.slug, t.events.c.is_current, t.event_info.c.info)
                .join(t.event_info, t.event_info.c.event_id == t.events.c.id)
                .order_by(t.events.c.id)
            ).all()
        return [EventSummary(r.slug, decode(EventInfo, r.info), r.is_current) for r in rows]

    def _read(self) -> Connection:
        """A connection whose reads all see one snapshot of the database.

        SQLite's read transaction already does; PostgreSQL's default, READ COMMITTED,
        would let a commit land between two of our SELECTs and mix two versions.
        """
        conn = self.engine.connect()
        if not self._sqlite:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        return conn

    def state(self, event: str | None = None) -> EventState:
        """The current state of an event (the current event by default)."""
        with self._read() as conn:
            return self._state(conn, self._event_row(conn, event, claim=False))

    def versioned_state(self, event: str | None = None) -> tuple[int, EventState]:
        """The state with its version (which every change bumps): for ETags and caches."""
        with self._read() as conn:
            row = self._event_row(conn, event, claim=False)
            return row.version, self._state(conn, row)

    def version(self, event: str | None = None) -> int:
        """The event's version: one cheap read, to notice changes from other processes."""
        with self._read() as conn:
            return self._event_row(conn, event, claim=False).version

    # -- audit ----------------------------------------------------------------------

    def audit(
        self, event: str | None = None, *, limit: int | None = None, after: int | None = None
    ) -> list[AuditEntry]:
        """Audited changes of an event, oldest first: the newest ``limit`` if given, only
        those after change ``after`` if given (what a live viewer has not seen yet)."""
        with self._read() as conn:
            row = self._event_row(conn, event, claim=False)
            return audit_log.entries(conn, row.id, limit=limit, after=after)

    def replay(self, event: str | None = None) -> EventState:
        """Rebuild an event's state from its audit log alone."""
        state = EventState()
        for entry in self.audit(event):
            for change in entry.events:
                apply(state, change)
        return state


@contextmanager
def _conflicts() -> Iterator[None]:
    """Turn a constraint or stale-row failure (another writer won) into a Conflict."""
    try:
        yield
    except (IntegrityError, StaleWrite) as error:
        raise Conflict(
            "Someone else changed the same thing at the same moment; try again."
        ) from error
