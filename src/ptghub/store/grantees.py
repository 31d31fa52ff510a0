"""Who a role goes to when an organizer names a person rather than a nick.

Roles are granted to nicks (``~role grant NICK ...``). A person is named by an email
address they verified, by one of their nicks, or by their display name when no one else
has it; the role then goes to their web nick (``Accounts.ensure_web_nick``), which is one
of their nicks, so it holds under every chat identity they link.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from ptghub.core.errors import InvalidInput, NotFound
from ptghub.core.model import nick_key
from ptghub.core.validate import shorten
from ptghub.store import tables as t
from ptghub.store.accounts import address_key, check_address
from ptghub.store.engine import writing
from ptghub.store.store import Store


def is_address(name: str) -> bool:
    """Whether ``name`` is meant as an email address: an ``@`` inside it (a Matrix id
    starts with one; an IRC nick has none)."""
    local, at, domain = name.strip().rpartition("@")
    return bool(at and local and domain and not name.strip().startswith("@"))


def person_named(conn: Connection, name: str) -> int | None:
    """The person ``name`` means: by address, else by nick, else by display name (which
    must be unambiguous). None when nobody is meant; InvalidInput when several are."""
    text = name.strip()
    if is_address(text):
        check_address(text)
        found = conn.execute(
            select(t.emails.c.person_id).where(t.emails.c.address_key == address_key(text))
        ).scalar()
        return None if found is None else int(found)
    found = conn.execute(
        select(t.nicks.c.person_id).where(t.nicks.c.nick_key == nick_key(text))
    ).scalar()
    if found is not None:
        return int(found)
    # Compared here, not in SQL: SQLite's lower() folds ASCII letters only.
    wanted = text.casefold()
    people = conn.execute(select(t.people.c.id, t.people.c.display_name).order_by(t.people.c.id))
    named = [p.id for p in people if p.display_name.strip().casefold() == wanted]
    if len(named) > 1:
        raise InvalidInput(
            f"{len(named)} people are called '{shorten(text)}'; name the one you mean by "
            "email address or nick."
        )
    return int(named[0]) if named else None


def role_nick(store: Store, name: str, *, bare_nicks: bool = False) -> str:
    """The nick a role for ``name`` goes to: the web nick of the person it names.

    With ``bare_nicks`` (the CLI), a nick is used as given, whether or not a person has
    it, as ``~role`` always did; only addresses and display names are looked up.
    Refused when no person is meant (an address nobody verified, an unknown name).
    """
    text = name.strip()
    if not text:
        raise InvalidInput("Name the person: an email address, a nick or a display name.")
    with writing(store.engine) as conn:
        if bare_nicks and not is_address(text) and " " not in text:
            return text
        person = person_named(conn, text)
        if person is None:
            if is_address(text):
                raise NotFound(
                    f"Nobody has signed in with {shorten(text)} yet; once they have, "
                    "you can give them a role."
                )
            raise NotFound(
                f"No person is called '{shorten(text)}'; name them by the email address "
                "they sign in with, one of their nicks, or their display name."
            )
        return store.accounts.ensure_web_nick(conn, person)


@dataclass(frozen=True, slots=True)
class Holder:
    """The person behind a nick key that holds a role (None: no person has that nick)."""

    person_id: int
    display_name: str
    nicks: tuple[str, ...]


def holders(store: Store, keys: set[str]) -> dict[str, Holder]:
    """The people behind nick ``keys``, with all their nicks, in two queries."""
    if not keys:
        return {}
    n = t.nicks
    with store.engine.connect() as conn:
        owners = dict(
            conn.execute(select(n.c.nick_key, n.c.person_id).where(n.c.nick_key.in_(keys))).all()
        )
        rows = conn.execute(
            select(n.c.person_id, n.c.nick, t.people.c.display_name)
            .join(t.people, t.people.c.id == n.c.person_id)
            .where(n.c.person_id.in_(set(owners.values())))
            .order_by(n.c.nick_key)
        ).all()
    people: dict[int, Holder] = {}
    for row in rows:
        known = people.get(row.person_id)
        nicks = (*known.nicks, row.nick) if known else (row.nick,)
        people[row.person_id] = Holder(row.person_id, row.display_name, nicks)
    return {key: people[pid] for key, pid in owners.items() if pid in people}
