"""Accounts: a person's verified email addresses, their web sessions, and the nick they act
as on the web.

A session's cookie holds 32 random bytes; only their SHA-256 digest is stored (as for API
tokens), so a leaked database opens no browser's session. A session ends when it expires
(``SESSION_LIFETIME`` after it was last seen), when its person signs out, or when they sign
out everywhere. Its last use is recorded to the minute, so that an ordinary page view
writes nothing.

On the web a person acts as ``people.web_nick``, one of their nicks rows: roles granted to
it hold under every chat nick they link, and roles of a linked nick hold on the web
(``People.actor`` gives an actor all the keys of its person). A person who has no nick
gets ``<local part>@web``: no IRC nick or Matrix id can take that form (IRC nicks hold no
``@``; Matrix ids start with it), so no chat identity can ever carry its roles by name.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ptghub.core.errors import InvalidInput
from ptghub.core.model import Actor, nick_key
from ptghub.core.validate import MAX_NAME, MAX_NICK, check_text, shorten
from ptghub.store import tables as t
from ptghub.store.engine import writing

SESSION_LIFETIME = timedelta(days=30)
# A session's last use is kept to this precision: finer would cost a write per page.
LAST_SEEN_PRECISION = timedelta(minutes=1)
MAX_ADDRESS = 254  # RFC 5321's limit on a path
WEB_SUFFIX = "@web"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def address_key(address: str) -> str:
    """Key under which addresses are compared. The local part is case-sensitive by the
    letter of RFC 5321, but no provider people use treats it so, and two accounts for
    ``Alice@`` and ``alice@`` would be a worse surprise."""
    return address.strip().casefold()


def check_address(value: str) -> str:
    """A plausible email address: one ``@``, something on each side, a dot in the domain,
    no spaces or control characters, at most 254 characters. Whether it exists is for the
    mail to find out."""
    address = value.strip()
    local, at, domain = address.rpartition("@")
    if (
        not at
        or not local
        or "." not in domain.strip(".")
        or len(address) > MAX_ADDRESS
        or not address.isprintable()
        or any(c.isspace() for c in address)
    ):
        raise InvalidInput(
            f"'{shorten(address)}' is not an email address; write it as name@example.org."
        )
    return address


@dataclass(frozen=True, slots=True)
class Account:
    person_id: int
    display_name: str
    web_nick: str
    addresses: tuple[str, ...]

    def actor(self, frontend: str = "web") -> Actor:
        """The actor a signed-in person's commands run as (the store adds their aliases)."""
        return Actor(nick=self.web_nick, frontend=frontend)


@dataclass(frozen=True, slots=True)
class SessionInfo:
    id: int
    person_id: int
    via: str
    user_agent: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime


class Accounts:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    # -- people and their addresses -------------------------------------------------------

    def person_of(self, address: str) -> int | None:
        """The person who verified ``address``, if anyone did."""
        with self.engine.connect() as conn:
            found = conn.execute(
                select(t.emails.c.person_id).where(t.emails.c.address_key == address_key(address))
            ).scalar()
        return None if found is None else int(found)

    def sign_up(self, address: str, display_name: str | None = None) -> Account:
        """The account of whoever verified ``address``: the person who has it, or a new
        person with it (named ``display_name``, else the address's local part)."""
        address = check_address(address)
        for _ in range(3):  # another request may add the same address meanwhile
            try:
                with writing(self.engine) as conn:
                    person = self._owner(conn, address)
                    if person is None:
                        name = display_name or address.rpartition("@")[0]
                        name = check_text(name[:MAX_NAME], what="display name", limit=MAX_NAME)
                        result = conn.execute(insert(t.people).values(display_name=name))
                        assert result.inserted_primary_key is not None
                        person = int(result.inserted_primary_key[0])
                        self.add_address(conn, person, address)
                    self.ensure_web_nick(conn, person, hint=address)
                return self.account(person)
            except IntegrityError:
                continue
        raise InvalidInput(f"'{shorten(address)}' could not be recorded; try again.")

    def add_address(self, conn: Connection, person_id: int, address: str) -> None:
        """Record ``address`` as verified for ``person_id`` (IntegrityError when another
        person has it)."""
        conn.execute(
            insert(t.emails).values(
                address_key=address_key(address),
                address=address,
                person_id=person_id,
                verified_at=self.clock(),
            )
        )

    def _owner(self, conn: Connection, address: str) -> int | None:
        found = conn.execute(
            select(t.emails.c.person_id).where(t.emails.c.address_key == address_key(address))
        ).scalar()
        return None if found is None else int(found)

    def ensure_web_nick(self, conn: Connection, person_id: int, *, hint: str = "") -> str:
        """The person's web nick, chosen now when they have none: their first nick, else
        ``<local part of hint>@web`` made unique with a number."""
        row = conn.execute(select(t.people.c.web_nick).where(t.people.c.id == person_id)).one()
        if row.web_nick:
            return str(row.web_nick)
        first = conn.execute(
            select(t.nicks.c.nick)
            .where(t.nicks.c.person_id == person_id)
            .order_by(t.nicks.c.nick_key)
            .limit(1)
        ).scalar()
        nick = str(first) if first is not None else self._new_web_nick(conn, person_id, hint)
        conn.execute(update(t.people).where(t.people.c.id == person_id).values(web_nick=nick))
        return nick

    def _new_web_nick(self, conn: Connection, person_id: int, hint: str) -> str:
        local = "".join(c for c in hint.rpartition("@")[0] or hint if c.isalnum() or c in "._-")
        base = (local or "person")[: MAX_NICK - len(WEB_SUFFIX) - 4]
        for number in range(1, 10_000):
            nick = f"{base}{'' if number == 1 else number}{WEB_SUFFIX}"
            taken = conn.execute(
                select(func.count())
                .select_from(t.nicks)
                .where(t.nicks.c.nick_key == nick_key(nick))
            ).scalar_one()
            if not taken:
                conn.execute(
                    insert(t.nicks).values(nick_key=nick_key(nick), nick=nick, person_id=person_id)
                )
                return nick
        raise InvalidInput("No free web nick is left for this address.")

    def account(self, person_id: int) -> Account:
        with self.engine.connect() as conn:
            person = conn.execute(
                select(t.people.c.display_name, t.people.c.web_nick).where(
                    t.people.c.id == person_id
                )
            ).one()
            addresses = conn.execute(
                select(t.emails.c.address)
                .where(t.emails.c.person_id == person_id)
                .order_by(t.emails.c.verified_at, t.emails.c.address_key)
            ).scalars()
            return Account(person_id, person.display_name, person.web_nick or "", tuple(addresses))

    # -- sessions -------------------------------------------------------------------------

    def start_session(self, person_id: int, *, via: str, user_agent: str = "") -> str:
        """A new session for ``person_id``; returns the secret for its cookie (shown once)."""
        secret = secrets.token_urlsafe(32)
        now = self.clock()
        with writing(self.engine) as conn:
            conn.execute(
                insert(t.web_sessions).values(
                    digest=digest(secret),
                    person_id=person_id,
                    via=via,
                    user_agent=user_agent[:200],
                    created_at=now,
                    last_seen_at=now,
                    expires_at=now + SESSION_LIFETIME,
                )
            )
        return secret

    def session(self, secret: str) -> SessionInfo | None:
        """The live session behind a cookie's ``secret``; None when unknown, ended or
        expired. Seeing it extends it, written at most once a minute."""
        now = self.clock()
        s = t.web_sessions
        with self.engine.connect() as conn:
            row = conn.execute(
                select(s).where(s.c.digest == digest(secret), s.c.revoked_at.is_(None))
            ).first()
        if row is None or row.expires_at <= now:
            return None
        expires = row.expires_at
        if now - row.last_seen_at >= LAST_SEEN_PRECISION:
            expires = now + SESSION_LIFETIME
            # A transaction of its own: on SQLite the read's transaction could not go on to
            # write once another writer had committed ("database is locked", a 503 for a
            # signed-in page). The condition makes requests of one minute write once.
            with writing(self.engine) as conn:
                conn.execute(
                    update(s)
                    .where(
                        s.c.id == row.id,
                        s.c.revoked_at.is_(None),
                        s.c.last_seen_at <= now - LAST_SEEN_PRECISION,
                    )
                    .values(last_seen_at=now, expires_at=expires)
                )
        return SessionInfo(
            row.id,
            row.person_id,
            row.via,
            row.user_agent,
            row.created_at,
            row.last_seen_at,
            expires,
        )

    def sessions(self, person_id: int) -> list[SessionInfo]:
        """The person's live sessions, the most recently seen first."""
        s = t.web_sessions
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(s)
                .where(
                    s.c.person_id == person_id,
                    s.c.revoked_at.is_(None),
                    s.c.expires_at > self.clock(),
                )
                .order_by(s.c.last_seen_at.desc(), s.c.id.desc())
            ).all()
        return [
            SessionInfo(
                r.id, r.person_id, r.via, r.user_agent, r.created_at, r.last_seen_at, r.expires_at
            )
            for r in rows
        ]

    def end_session(self, person_id: int, session_id: int) -> bool:
        """End one of the person's sessions; False when it was not theirs or already over."""
        s = t.web_sessions
        with writing(self.engine) as conn:
            done = conn.execute(
                update(s)
                .where(s.c.id == session_id, s.c.person_id == person_id, s.c.revoked_at.is_(None))
                .values(revoked_at=self.clock())
            )
        return done.rowcount == 1

    def end_sessions(self, person_id: int) -> int:
        """Sign out everywhere: end every session of the person; how many were live."""
        s = t.web_sessions
        with writing(self.engine) as conn:
            done = conn.execute(
                update(s)
                .where(s.c.person_id == person_id, s.c.revoked_at.is_(None))
                .values(revoked_at=self.clock())
            )
        return int(done.rowcount)

    # -- installation secrets -------------------------------------------------------------

    def site_secret(self, name: str) -> bytes:
        """A random secret named ``name``, made on first use and the same for every process
        on this database (the first writer wins a race)."""
        query = select(t.site_secrets.c.value).where(t.site_secrets.c.name == name)
        # Read on its own: pages ask for a secret at every request, and only the first
        # one of an installation needs the write lock.
        with self.engine.connect() as conn:
            value = conn.execute(query).scalar()
        if value is None:
            with writing(self.engine) as conn:
                value = conn.execute(query).scalar()
                if value is None:
                    try:
                        with conn.begin_nested():
                            value = secrets.token_hex(32)
                            conn.execute(insert(t.site_secrets).values(name=name, value=value))
                    except IntegrityError:  # PostgreSQL: another process made it meanwhile
                        value = conn.execute(query).scalar_one()
        return bytes.fromhex(str(value))
