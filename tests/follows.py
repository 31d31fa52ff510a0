"""Follows and notice channels written as plain rows, for the tests of the notices.

The My PTG pages own these rows (their own store module writes them); the notices only
read them, so their tests write them here, directly, without a second store module.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select

from ptghub.store import tables as t
from ptghub.store.store import Store


def _event_id(store: Store, event: str | None) -> int:
    e = t.events.c
    with store.engine.connect() as conn:
        query = select(e.id).where(e.slug == event if event is not None else e.is_current)
        return int(conn.execute(query).scalar_one())


def follow(store: Store, person_id: int, kind: str, value: str, event: str | None = None) -> None:
    """``person_id`` follows team ``value`` (``kind`` 'team') or pattern ``value``."""
    with store.engine.begin() as conn:
        conn.execute(
            insert(t.follows).values(
                person_id=person_id,
                event_id=_event_id(store, event),
                kind=kind,
                value=value,
                created_at=store.clock(),
            )
        )


def choose(
    store: Store, person_id: int, *, chat: bool = False, email: bool = False, browser: bool = False
) -> None:
    """The channels ``person_id`` is told by (the My PTG settings form's row)."""
    with store.engine.begin() as conn:
        conn.execute(delete(t.person_settings).where(t.person_settings.c.person_id == person_id))
        conn.execute(
            insert(t.person_settings).values(
                person_id=person_id, notify_chat=chat, notify_email=email, notify_browser=browser
            )
        )
