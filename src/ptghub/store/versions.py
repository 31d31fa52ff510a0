"""The versions of several events in one query: a follower's round of reading."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Engine, or_, select

from ptghub.store import tables as t


def versions(engine: Engine, events: Collection[str | None]) -> dict[str | None, int]:
    """The version of each event of ``events`` by slug (None: the current event) that
    exists; one SELECT, however many events are asked for."""
    slugs = [slug for slug in events if slug is not None]
    wanted = [t.events.c.slug.in_(slugs)] if slugs else []
    if None in events:
        wanted.append(t.events.c.is_current.is_(True))
    if not wanted:
        return {}
    query = select(t.events.c.slug, t.events.c.version, t.events.c.is_current).where(or_(*wanted))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    found: dict[str | None, int] = {}
    for slug, version, is_current in rows:
        if slug in slugs:
            found[slug] = version
        if is_current and None in events:
            found[None] = version
    return found
