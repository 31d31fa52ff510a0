"""Rows of attendees written straight into the store's tables, for tests that need
registrants or followers before (or without) the pages that make them: registrations
come from the registration form, follows from "My PTG" (other parts of issue 13)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import insert, select

from ptghub.core.events import EventCreated
from ptghub.core.model import Actor
from ptghub.store import tables as t
from ptghub.store.store import Store
from tests.support import small_event

EVENT = "test-ptg"


def _event_id(store: Store, event: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(t.events.c.id).where(t.events.c.slug == event)).scalar_one())


def registrant(
    store: Store,
    address: str,
    *,
    role: str = "developer",
    state: str = "registered",
    event: str = EVENT,
) -> int:
    """The person of ``address`` (signed up if new) registered for ``event``; their id."""
    person = store.accounts.sign_up(address).person_id
    now = store.clock()
    with store.engine.begin() as conn:
        conn.execute(
            insert(t.registrations).values(
                event_id=_event_id(store, event),
                person_id=person,
                role=role,
                teams=[],
                time_zone="UTC",
                coc_version=1,
                coc_accepted_at=now,
                state=state,
                created_at=now,
                updated_at=now,
                queued_at=now,
            )
        )
    return person


def follower(store: Store, address: str, team: str, *, event: str = EVENT) -> int:
    """The person of ``address`` following ``team`` (its key) on ``event``; their id."""
    person = store.accounts.sign_up(address).person_id
    with store.engine.begin() as conn:
        conn.execute(
            insert(t.follows).values(
                person_id=person,
                event_id=_event_id(store, event),
                kind="team",
                value=team,
                created_at=store.clock(),
            )
        )
    return person


def other_event(store: Store, slug: str = "other-ptg") -> str:
    """A second event, the small test event under another slug and name."""
    events = small_event()
    created = events[0]
    assert isinstance(created, EventCreated)
    other = [EventCreated(replace(created.info, slug=slug, name="Other PTG")), *events[1:]]
    store.create_event(other, Actor("loader", operator=True), "other event")
    return slug
