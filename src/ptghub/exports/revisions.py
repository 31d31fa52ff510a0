"""SEQUENCE numbers for the ICS feeds, computed from the audit log.

RFC 5545 wants a VEVENT's SEQUENCE to grow whenever its content changes, so that
clients replace their copy. ptghub stores no per-VEVENT counter; the audit log already
holds every change, so ``RevisionLog`` replays it: after each audited change that can
touch a calendar it renders the entries (cheap dataclasses, see ``ics.entries``) and
compares each with the last content seen under its UID. A VEVENT's sequence is the
number of times its content differed; a session that disappears and comes back with the
same content keeps its number, one that comes back changed gets the next one.

``RevisionLog`` takes changes as plain data (id, time, domain events) and can be fed
incrementally, so a server replays each audit entry once, not on every request.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from ptghub.core.apply import apply
from ptghub.core.events import (
    CellChanged,
    DomainEvent,
    MotdChanged,
    OpenToEveryoneChanged,
    OutcomeChanged,
    PresenceChanged,
    RoleGranted,
    RoleRevoked,
    SubscriptionChanged,
    TopicsChanged,
)
from ptghub.core.model import EventState
from ptghub.exports.ics import Revision, entries

# Changes that no VEVENT shows: replaying them needs no re-render. Anything else (and any
# event type added later) re-renders, which is only slower, never wrong.
_INVISIBLE: tuple[type[DomainEvent], ...] = (
    TopicsChanged,
    MotdChanged,
    PresenceChanged,
    SubscriptionChanged,
    RoleGranted,
    RoleRevoked,
    OpenToEveryoneChanged,
    OutcomeChanged,
)


class RevisionLog:
    """Replays audited changes, oldest first, and keeps each VEVENT's ``Revision``."""

    def __init__(self) -> None:
        self.last_id = 0
        self.revisions: dict[str, Revision] = {}
        self._state = EventState()

    def feed(self, change_id: int, at: datetime, events: Sequence[DomainEvent]) -> None:
        """Replay one audited change; one already fed (``change_id <= last_id``) is skipped."""
        if change_id <= self.last_id:
            return
        self.last_id = change_id
        for event in events:
            apply(self._state, event)
        visible = [e for e in events if not isinstance(e, _INVISIBLE)]
        if self._state.info is None or not visible:
            return
        # A cell change touches only the sessions of its room: re-render just those rooms.
        cells = [e for e in visible if isinstance(e, CellChanged)]
        rooms = {e.room for e in cells} if len(cells) == len(visible) else None
        for entry in entries(self._state, rooms):
            known = self.revisions.get(entry.uid)
            if known is None:
                self.revisions[entry.uid] = Revision(0, at, entry)
            elif known.entry != entry:
                self.revisions[entry.uid] = Revision(known.sequence + 1, at, entry)


Change = tuple[int, datetime, Sequence[DomainEvent]]  # audit id, time, what changed


def revisions(changes: Iterable[Change]) -> dict[str, Revision]:
    """The revisions after replaying ``changes`` (id, time, events), oldest first."""
    log = RevisionLog()
    for change_id, at, events in changes:
        log.feed(change_id, at, events)
    return log.revisions
