"""Each store keeps every event's state in memory, valid for one version of the event.

A write bumps the version, so a cached state is current exactly when its version is the
row's. When another process changed the event, the cache is brought forward by applying
the audit rows it has not seen (a fraction of a millisecond each) instead of reading
every table again; far behind, or when anything does not add up, it reads the tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from ptghub.core.apply import apply_all
from ptghub.core.errors import Conflict
from ptghub.core.events import DomainEvent
from ptghub.core.model import EventState
from ptghub.store import tables as t
from ptghub.store.load import load_state

# Up to this many changes behind, a cached state is brought forward from the audit log.
CATCH_UP = 100


@dataclass(frozen=True, slots=True)
class _Cached:
    """An event's state at a version, and the newest audit row that state includes."""

    version: int
    state: EventState
    audit_id: int


class StateCache:
    def __init__(self) -> None:
        self._entries: dict[int, _Cached] = {}

    def put(self, event_id: int, version: int, state: EventState, audit_id: int) -> None:
        """Record the state after a change this store committed (audit row ``audit_id``)."""
        self._entries[event_id] = _Cached(version, state, audit_id)

    def get(self, conn: Connection, event_id: int, version: int) -> EventState:
        """The event's state at ``version``, read on ``conn`` (one snapshot) if need be."""
        cached = self._entries.get(event_id)
        if cached is not None and cached.version == version:
            return cached.state
        if cached is not None and 0 < version - cached.version <= CATCH_UP:
            state = self._forward(conn, event_id, version, cached)
            if state is not None:
                return state
        state = load_state(conn, event_id)
        newest = conn.execute(
            select(func.max(t.audit.c.id)).where(t.audit.c.event_id == event_id)
        ).scalar()
        self.put(event_id, version, state, int(newest or 0))
        return state

    def _forward(
        self, conn: Connection, event_id: int, version: int, cached: _Cached
    ) -> EventState | None:
        newer = conn.execute(
            select(t.audit.c.id, t.audit.c.changes)
            .where(t.audit.c.event_id == event_id, t.audit.c.id > cached.audit_id)
            .order_by(t.audit.c.id)
        ).all()
        # Every change bumps the version once and writes one audit row: when the two
        # counts agree, these rows are exactly the changes the cache has not seen.
        if len(newer) != version - cached.version:
            return None
        changes = [DomainEvent.from_json(e) for entry in newer for e in entry.changes]
        try:
            state = apply_all(cached.state, changes)
        except Conflict:
            return None  # not the state those changes were made on: read the tables
        self.put(event_id, version, state, newer[-1].id)
        return state
