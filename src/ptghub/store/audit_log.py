"""The audit log: one row per change, written in the change's own transaction.

A row holds who made the change, through which front end, the command as typed and the
change's domain events as JSON: enough to show the history, to undo a change (apply its
events' inverses) and to rebuild the state from the log alone. Rows are numbered in the
order they commit, so "the entries after N" is what a follower has not seen yet.

On PostgreSQL the same transaction also sends a notification on ``CHANNEL`` (payload
``schema/slug``: the schema in the connection's search path, so that installations, or
tests, sharing one database tell their changes apart), which PostgreSQL delivers when it
commits and drops when it rolls back: the live follower's listener (``live.listener``)
wakes on it instead of polling.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Row, bindparam, func, insert, select, update

from ptghub.core.events import DomainEvent
from ptghub.core.model import Actor
from ptghub.store import tables as t
from ptghub.store.driver_statements import DriverStatement

_COLUMNS = ("event_id", "at", "actor", "frontend", "text", "changes", "reverts")
# On the write path of every command: see driver_statements.py. The person behind the
# actor's nick is looked up by the insert itself (a subquery): no extra round trip.
_PERSON = (
    select(t.nicks.c.person_id)
    .where(t.nicks.c.nick_key == bindparam("actor_key"))
    .scalar_subquery()
)
_INSERT = DriverStatement(
    insert(t.audit).values(person_id=_PERSON).returning(t.audit.c.id), _COLUMNS
)

CHANNEL = "ptghub_changes"  # the PostgreSQL notification channel of committed changes
_NOTIFY = select(func.pg_notify(CHANNEL, func.current_schema() + "/" + t.events.c.slug)).where(
    t.events.c.id == bindparam("event_id")
)


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
    person_id: int | None = None  # the person whose nick ``actor`` was at the time
    person: str | None = None  # their display name now (None: no person, or gone)

    @property
    def author(self) -> str:
        """Who made the change, for people: ``Alice Smith (alice, irc)``, or
        ``alice (irc)`` for a nick that belongs to no person."""
        if self.person:
            return f"{self.person} ({self.actor}, {self.frontend})"
        return f"{self.actor} ({self.frontend})"


def append(
    conn: Connection,
    event_id: int,
    *,
    at: datetime,
    actor: Actor,
    text: str,
    events: tuple[DomainEvent, ...],
    reverts: int | None = None,
) -> int:
    """Write the row of a change; its id, the change's number."""
    _, (audit_id,) = _INSERT.execute(
        conn,
        {
            "event_id": event_id,
            "at": at,
            "actor": actor.nick,
            "actor_key": actor.key,
            "frontend": actor.frontend,
            "text": text,
            "changes": [e.to_json() for e in events],
            "reverts": reverts,
        },
    )
    if conn.dialect.name == "postgresql":
        conn.execute(_NOTIFY, {"event_id": event_id})
    return int(audit_id)


def entries(
    conn: Connection, event_id: int, *, limit: int | None = None, after: int | None = None
) -> list[AuditEntry]:
    """An event's entries, oldest first: the newest ``limit`` if given, only those after
    change ``after`` if given."""
    query = (
        select(t.audit, t.people.c.display_name)
        .outerjoin(t.people, t.people.c.id == t.audit.c.person_id)
        .where(t.audit.c.event_id == event_id)
    )
    if after is not None:
        query = query.where(t.audit.c.id > after)
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
            r.person_id,
            r.display_name,
        )
        for r in rows
    ]


def row(conn: Connection, audit_id: int) -> Row[tuple[object, ...]] | None:
    """The row of change ``audit_id`` as stored (with its event's id), if there is one."""
    return conn.execute(select(t.audit).where(t.audit.c.id == audit_id)).first()


def mark_undone(conn: Connection, audit_id: int, by: int) -> None:
    conn.execute(update(t.audit).where(t.audit.c.id == audit_id).values(undone_by=by))
