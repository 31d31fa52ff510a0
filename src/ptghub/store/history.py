"""An event's history read from its audit log, kept until the event's version moves.

``event_history(store, event, until)`` replays the event's audited changes up to ``until``
(by default the end of the event as its current state says, ``history.event_end``) into a
``Timeline`` (pure: ``ptghub.history``), with the joint sessions of the plan on the board
(``plan_versions.Plans.current``) as the sessions' guests.

Each store keeps the timelines it built, per event and ``until``, with the event's version
they were built at: a reader gets the kept one while the version has not moved (one cheap
read of the version), and when it has, only the changes after the last one read are fed to
the kept replay (``history.replay.Replay``), which is then derived again: the live demo
adds a change every few seconds, and a page or API call may ask for the history of an event
with tens of thousands of changes. When the changes read do not add up to the version's
move (the log was restored, say), the timeline is built again from the whole log.

A returned timeline is shared by every reader of that version: read it, never change it.
The guests come from the plan on the board when the timeline is built: a draft marked
published without changing the board (``Plans.publish_unchanged``, no new version) shows
its guests from the event's next change on.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from ptghub.core.apply import copy_state
from ptghub.core.errors import NotFound
from ptghub.core.model import EventState
from ptghub.history.replay import Replay
from ptghub.history.timeline import Timeline, event_end
from ptghub.store import audit_log
from ptghub.store import tables as t
from ptghub.store.plan_versions import Plans
from ptghub.store.store import Store

# Timelines kept per store: each keeps its replay (the state and what the history
# recorded), so a few events at a few moments, not every ``until`` ever asked.
KEPT = 16

Guests = dict[tuple[str, str], tuple[str, ...]]


def event_history(
    store: Store, event: str | None = None, until: datetime | None = None
) -> Timeline:
    """The history of ``event`` (the current event by default) up to ``until`` (aware; by
    default the end of the event). Raises NotFound for an unknown event and ValueError for
    a naive ``until``."""
    if until is not None and until.tzinfo is None:
        raise ValueError("until must be an aware datetime (UTC)")
    version, state = store.versioned_state(event)
    assert state.info is not None  # a stored event has been created
    end = until if until is not None else event_end(state)
    return _histories(store).timeline(store, state.info.slug, version, end)


def joint_sessions(store: Store, event: str, state: EventState) -> Guests:
    """The guests of the plan on the board, per cell (room, slot), where the plan's host
    still holds the cell in ``state`` (as the board gives them back: ``held_by``)."""
    current = Plans(store.engine).current(event)
    if current is None:
        return {}
    return {
        where: placement.guests
        for where, placement in current.schedule.items()
        if placement.guests and state.cell(*where).team == placement.team
    }


@dataclass(slots=True)
class _Kept:
    version: int  # the event's version the timeline was built at
    read_id: int | None  # the newest audit id read (applied or not)
    replay: Replay
    timeline: Timeline


class Histories:
    """One store's timelines, kept until their event's version moves (see the module)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: OrderedDict[tuple[str, datetime], _Kept] = OrderedDict()
        self._building: dict[tuple[str, datetime], threading.Lock] = {}

    def timeline(self, store: Store, slug: str, version: int, until: datetime) -> Timeline:
        """The timeline of ``slug`` up to ``until`` at ``version`` or later."""
        key = (slug, until)
        kept = self._kept.get(key)
        if kept is not None and kept.version >= version:
            return kept.timeline
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        with building:  # one build per event and moment; readers of it wait for it
            kept = self._kept.get(key)
            if kept is not None and kept.version >= version:
                return kept.timeline
            try:
                kept = self._build(store, slug, until, kept)
            except BaseException:
                # The kept replay may be fed halfway: the next reader starts afresh.
                with self._lock:
                    self._kept.pop(key, None)
                raise
            # Kept before the next builder of this key looks: it must not feed the
            # replay again the changes just fed.
            with self._lock:
                self._kept[key] = kept
                self._kept.move_to_end(key)
                while len(self._kept) > KEPT:
                    gone, _ = self._kept.popitem(last=False)
                    self._building.pop(gone, None)
        return kept.timeline

    def _build(self, store: Store, slug: str, until: datetime, kept: _Kept | None) -> _Kept:
        with _snapshot(store) as conn:
            event_id, version = _event_row(conn, slug)
            after = kept.read_id if kept is not None else None
            entries = audit_log.entries(conn, event_id, after=after)
            if kept is not None and len(entries) != version - kept.version:
                kept = None  # not the log the kept replay read: read it all again
                entries = audit_log.entries(conn, event_id)
        if kept is None:
            replay = Replay(until)
        else:
            replay = kept.replay
            if entries and not replay.stopped:
                # The kept timeline holds the state: it keeps the one it was built on.
                replay.state = copy_state(replay.state)
        replay.feed(entries)
        read_id = entries[-1].id if entries else (kept.read_id if kept is not None else None)
        timeline = replay.timeline(joint_sessions(store, slug, replay.state))
        return _Kept(version, read_id, replay, timeline)


_HISTORIES: weakref.WeakKeyDictionary[Store, Histories] = weakref.WeakKeyDictionary()
_HISTORIES_LOCK = threading.Lock()


def _histories(store: Store) -> Histories:
    with _HISTORIES_LOCK:
        histories = _HISTORIES.get(store)
        if histories is None:
            histories = _HISTORIES[store] = Histories()
        return histories


def _snapshot(store: Store) -> Connection:
    """A connection whose reads see one snapshot (as ``Store._read``): the version and the
    audit rows read on it agree."""
    conn = store.engine.connect()
    if store.engine.dialect.name != "sqlite":
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    return conn


def _event_row(conn: Connection, slug: str) -> tuple[int, int]:
    row = conn.execute(
        select(t.events.c.id, t.events.c.version).where(t.events.c.slug == slug)
    ).first()
    if row is None:
        raise NotFound(f"Unknown event '{slug}'; 'ptghub event list' shows the events.")
    return int(row.id), int(row.version)
