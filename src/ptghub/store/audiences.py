"""Who an announcement's audience names (``announcements.AUDIENCES``), as addresses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Select, select

from ptghub.core.errors import InvalidInput
from ptghub.core.validate import shorten
from ptghub.store import tables as t
from ptghub.store.accounts import address_key
from ptghub.store.updates_list import CONFIRMED, UNSUBSCRIBED


def _people(event_id: int, audience: str, value: str) -> Select[Any]:
    """The ids of the people ``audience`` names."""
    r, f = t.registrations.c, t.follows.c
    if audience in ("registrants", "role"):
        query = select(r.person_id).where(r.event_id == event_id, r.state == "registered")
        return query.where(r.role == value) if audience == "role" else query
    if audience == "chairs":
        roles, nicks = t.roles.c, t.nicks.c
        return (
            select(nicks.person_id)
            .select_from(t.roles.join(t.nicks, roles.nick_key == nicks.nick_key))
            .where(roles.event_id == event_id, roles.kind == "chair")
        )
    if audience == "followers":
        return select(f.person_id).where(f.event_id == event_id, f.kind == "team", f.value == value)
    raise InvalidInput(f"'{shorten(audience, 40)}' is not an audience of people.")


def recipients_of(conn: Connection, event_id: int, audience: str, value: str) -> list[str]:
    """The addresses an announcement to ``audience`` goes to: each once, a person at their
    first verified address, none that unsubscribed from the event."""
    s = t.updates_subscribers.c
    if audience == "updates-list":
        found: Iterable[str] = conn.execute(
            select(s.address)
            .where(s.event_id == event_id, s.state == CONFIRMED)
            .order_by(s.address_key)
        ).scalars()
    else:
        e = t.emails.c
        rows = conn.execute(
            select(e.person_id, e.address)
            .where(e.person_id.in_(_people(event_id, audience, value)))
            .order_by(e.person_id, e.verified_at, e.address_key)
        )
        first: dict[int, str] = {}
        for person, address in rows:
            first.setdefault(int(person), str(address))
        found = sorted(first.values(), key=address_key)
    opted_out = set(
        conn.execute(
            select(s.address_key).where(s.event_id == event_id, s.state == UNSUBSCRIBED)
        ).scalars()
    )
    seen: set[str] = set()
    addresses = []
    for address in found:
        key = address_key(address)
        if key not in seen and key not in opted_out:
            seen.add(key)
            addresses.append(address)
    return addresses
