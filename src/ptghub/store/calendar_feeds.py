"""A person's own calendar feed of an event: the sessions of the teams they follow, at a
secret address.

The address holds a random secret; only its SHA-256 digest is stored (as for API tokens
and sign-in links), so the secret is shown once, when the feed is made, and a copy of
the database gives no one the feeds. A person has at most one working feed per event:
making a new one revokes the old (the way to change a leaked address), and revoking
leaves none. A revoked or unknown secret reads as no feed at all.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, insert, select, update

from ptghub.core.errors import NotFound
from ptghub.store import tables as t
from ptghub.store.accounts import digest
from ptghub.store.engine import writing

# 32 random bytes: a feed address nobody can guess, however many tries.
SECRET_BYTES = 32


@dataclass(frozen=True, slots=True)
class FeedInfo:
    """A working feed, as its owner's page shows it (never its secret)."""

    person_id: int
    created_at: datetime


def event_id(conn: Connection, event: str) -> int:
    """The id of the event with slug ``event``; NotFound when there is none."""
    found = conn.execute(select(t.events.c.id).where(t.events.c.slug == event)).scalar()
    if found is None:
        raise NotFound(f"Unknown event '{event}'; 'ptghub event list' shows the events.")
    return int(found)


class CalendarFeeds:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def create(self, person_id: int, event: str) -> str:
        """A new feed of ``event`` for ``person_id``: its secret, shown once. Any feed
        of theirs for the event that still worked is revoked."""
        secret = secrets.token_urlsafe(SECRET_BYTES)
        now = self.clock()
        feeds = t.calendar_feeds
        with writing(self.engine) as conn:
            eid = event_id(conn, event)
            _revoke(conn, person_id, eid, now)
            conn.execute(
                insert(feeds).values(
                    digest=digest(secret), person_id=person_id, event_id=eid, created_at=now
                )
            )
        return secret

    def revoke(self, person_id: int, event: str) -> bool:
        """Revoke the person's feed of ``event``; False when they had none working."""
        with writing(self.engine) as conn:
            return _revoke(conn, person_id, event_id(conn, event), self.clock())

    def active(self, person_id: int, event: str) -> FeedInfo | None:
        """The person's working feed of ``event``, if they have one."""
        feeds = t.calendar_feeds
        with self.engine.connect() as conn:
            eid = event_id(conn, event)
            made = conn.execute(
                select(feeds.c.created_at)
                .where(
                    feeds.c.person_id == person_id,
                    feeds.c.event_id == eid,
                    feeds.c.revoked_at.is_(None),
                )
                .order_by(feeds.c.created_at.desc())
            ).scalar()
        return None if made is None else FeedInfo(person_id, made)

    def owner(self, event: str, secret: str) -> int | None:
        """Whose working feed of ``event`` ``secret`` opens; None for a secret that is
        unknown, revoked, or another event's."""
        if not secret or len(secret) > 200:
            return None
        feeds = t.calendar_feeds
        with self.engine.connect() as conn:
            row = conn.execute(
                select(feeds.c.person_id)
                .select_from(feeds.join(t.events, t.events.c.id == feeds.c.event_id))
                .where(
                    feeds.c.digest == digest(secret),
                    feeds.c.revoked_at.is_(None),
                    t.events.c.slug == event,
                )
            ).first()
        return None if row is None else int(row.person_id)


def _revoke(conn: Connection, person_id: int, eid: int, at: datetime) -> bool:
    feeds = t.calendar_feeds
    done = conn.execute(
        update(feeds)
        .where(
            feeds.c.person_id == person_id,
            feeds.c.event_id == eid,
            feeds.c.revoked_at.is_(None),
        )
        .values(revoked_at=at)
    )
    return bool(done.rowcount)
