"""``audit verify``: replay each event's audit log and compare it with the stored tables.

The audit log is the record of every change; the tables are what the server reads. Any
row changed behind the store's back, lost, or written wrong shows up as a difference
between the two. Both are read from one snapshot, so verifying a running server is
exact: a change commits in both or in neither.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select

from ptghub.core.apply import apply
from ptghub.core.errors import Conflict
from ptghub.core.events import DomainEvent
from ptghub.core.model import EventState
from ptghub.store import tables as t
from ptghub.store.load import load_state

# Rooms and slots keep the order of the event file; the other dicts have none to compare.
_ORDERED = frozenset({"rooms", "slots"})


@dataclass(frozen=True, slots=True)
class Verification:
    """How many events and changes were checked, and the first difference (None: none)."""

    events: int
    changes: int
    difference: str | None


def verify(engine: Engine) -> Verification:
    """Compare every event's tables with the replay of its audit log; stop at the first
    difference."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            return _verify(conn)


def _verify(conn: Connection) -> Verification:
    events = conn.execute(select(t.events.c.id, t.events.c.slug).order_by(t.events.c.id)).all()
    changes = 0
    for event_id, slug in events:
        replayed = EventState()
        rows = conn.execute(
            select(t.audit.c.id, t.audit.c.changes)
            .where(t.audit.c.event_id == event_id)
            .order_by(t.audit.c.id)
        )
        last = None
        for audit_id, entry in rows:
            try:
                for change in entry:
                    apply(replayed, DomainEvent.from_json(change))
            except Conflict as error:
                return Verification(
                    len(events),
                    changes,
                    f"Event '{slug}': change #{audit_id} does not apply to the state its "
                    f"predecessors leave: {error.message}",
                )
            changes += 1
            last = audit_id
        difference = first_difference(load_state(conn, event_id), replayed)
        if difference is not None:
            through = f"change #{last}" if last is not None else "no change"
            return Verification(
                len(events),
                changes,
                f"Event '{slug}': {difference} (the audit log replayed through {through})",
            )
    return Verification(len(events), changes, None)


def first_difference(stored: EventState, replayed: EventState) -> str | None:
    """The first thing on which the tables (``stored``) and the audit log disagree."""
    for field in dataclasses.fields(EventState):
        if not field.compare:  # bookkeeping of the cache (a tag, who owns a dict): not state
            continue
        name = field.name
        ours, theirs = getattr(stored, name), getattr(replayed, name)
        if ours == theirs and (name not in _ORDERED or list(ours) == list(theirs)):
            continue
        for difference in _differences(name, ours, theirs):
            return difference
        return f"{name}: the order is {list(ours)} in the tables, {list(theirs)} in the log"
    return None


def _differences(path: str, ours: Any, theirs: Any) -> Iterator[str]:
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for key in sorted(set(ours) | set(theirs), key=repr):
            if key not in theirs:
                yield f"{path}[{key!r}] is in the tables, not in the audit log"
            elif key not in ours:
                yield f"{path}[{key!r}] is in the audit log, not in the tables"
            else:
                yield from _differences(f"{path}[{key!r}]", ours[key], theirs[key])
    elif isinstance(ours, set) and isinstance(theirs, set):
        for item in sorted(ours - theirs, key=repr):
            yield f"{path}: {item!r} is in the tables, not in the audit log"
        for item in sorted(theirs - ours, key=repr):
            yield f"{path}: {item!r} is in the audit log, not in the tables"
    elif (
        dataclasses.is_dataclass(ours) and type(ours) is type(theirs) and not isinstance(ours, type)
    ):
        for field in (f for f in dataclasses.fields(ours) if f.compare):
            yield from _differences(
                f"{path}.{field.name}", getattr(ours, field.name), getattr(theirs, field.name)
            )
    elif ours != theirs:
        yield f"{path} is {ours!r} in the tables, {theirs!r} in the audit log"
