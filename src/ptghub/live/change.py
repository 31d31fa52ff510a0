"""What the follower (``live.follower``) hands on, and its readings of the audit log."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ptghub.store.audit_log import AuditEntry
from ptghub.store.store import Store

LOG_EVERY = 60.0  # seconds between two log entries about the same event failing

Event = str | None  # an event's slug; None follows the current event


@dataclass(frozen=True, slots=True)
class Change:
    """What moved in a followed event since the subscriber's last ``Change`` of it.

    ``version`` is the event's version when it was read; ``entries`` the audit entries
    the subscriber has not had yet, oldest first (none for the first reading of an event
    followed from "wherever the log is now"); ``newest`` the newest audit id read for
    it. The entries are read before anything a subscriber reads next, so its reads
    include at least them.
    """

    event: Event
    version: int
    entries: tuple[AuditEntry, ...]
    newest: int


def newest_id(store: Store, event: Event) -> int:
    """The id of the event's newest audit entry (0 when it has none)."""
    newest = store.audit(event, limit=1)
    return newest[-1].id if newest else 0


def read_change(
    store: Store, event: Event, *, version: int | None, after: int
) -> tuple[int, tuple[AuditEntry, ...]] | None:
    """One round of following: None when the event's version is still ``version``, else
    its version and the audit entries after id ``after``."""
    current = store.version(event)
    if current == version:
        return None
    return current, tuple(store.audit(event, after=after))


@dataclass(slots=True)
class Position:
    """One subscriber's position in one event."""

    after: int | None  # newest audit id handed on; None: from the follower's first read
    version: int | None = None  # the version last handed on
    pending: list[AuditEntry] = field(default_factory=list)
    pending_version: int | None = None  # a version not handed on yet (its pace)


@dataclass(slots=True)
class Reading:
    """The follower's reading of one event."""

    version: int | None = None  # last read; None: read the entries at the next round
    next_read: float = 0.0  # time.monotonic() when it is due
    scheduled: float = -math.inf  # time.monotonic() when its last read was due
    pace: float = 0.0  # its most demanding subscriber's interval
    read_at: float | None = None  # time.monotonic() of the last successful read
    failed_at: float = -LOG_EVERY  # when its last failure was logged
