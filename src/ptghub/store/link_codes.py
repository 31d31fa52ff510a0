"""Link codes: how a signed-in person proves that a chat identity is theirs.

The person's page makes a one-time code; they send ``link CODE`` to the bot in private,
and the identity that sent it (the network account, else the nick) becomes one of their
nicks rows, so it carries their roles from then on (``People.actor``).

A code is 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U), shown
as ``ABCD-EFGH`` and read back whatever the case, spaces or dashes. Only its SHA-256
digest is stored. It lasts ``LINK_CODE_LIFETIME`` and is used once; a new code replaces
the person's unused ones. 30^8 codes against a 10-minute life and the bot's flood
control leave nothing to guess.

Unlinking removes a chat nick from its person; their web nick stays (it is how they act
on the web).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from ptghub.core.errors import InvalidInput, NotFound, Refused
from ptghub.core.model import nick_key
from ptghub.core.validate import check_nick, shorten
from ptghub.store import tables as t
from ptghub.store.accounts import digest
from ptghub.store.engine import writing
from ptghub.store.people import person_nicks

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
LINK_CODE_LIFETIME = timedelta(minutes=10)
_NEW_CODE = "make a new one on your page on the web (My chat identities)"
UNKNOWN_CODE = f"That link code is unknown; check it, or {_NEW_CODE}."
USED_CODE = f"That link code was already used; each code links once: {_NEW_CODE}."
EXPIRED_CODE = f"That link code has expired (a code lasts 10 minutes); {_NEW_CODE}."


class LinkRefused(Refused):
    """A link code that links nothing: unknown, used, expired, or the identity is taken."""


@dataclass(frozen=True, slots=True)
class Linked:
    """What a ``link CODE`` did: ``nick`` now belongs to ``person_id`` (``new``: it did not
    before; False when it already was theirs)."""

    person_id: int
    display_name: str
    nick: str
    new: bool


def normalize(code: str) -> str | None:
    """The code as generated (upper case, no separators), or None if it cannot be one."""
    plain = "".join(c for c in code.upper() if c not in " -_.")
    if len(plain) != CODE_LENGTH or any(c not in ALPHABET for c in plain):
        return None
    return plain


def shown(code: str) -> str:
    """A code as people read it: two groups of four."""
    return f"{code[:4]}-{code[4:]}"


class LinkCodes:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def create(self, person_id: int) -> str:
        """A new code for ``person_id``, as shown (``ABCD-EFGH``); it replaces their
        unused codes. Shown once: only its digest is kept."""
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        now = self.clock()
        codes = t.link_codes
        with writing(self.engine) as conn:
            conn.execute(
                delete(codes).where(codes.c.person_id == person_id, codes.c.used_at.is_(None))
            )
            conn.execute(
                insert(codes).values(
                    digest=digest(code),
                    person_id=person_id,
                    created_at=now,
                    expires_at=now + LINK_CODE_LIFETIME,
                )
            )
        return shown(code)

    def redeem(self, code: str, nick: str, *, what: str = "nick") -> Linked:
        """Link ``nick`` (a chat nick, a network account or a Matrix id) to the person
        whose code ``code`` is, and use the code up.

        Refused, with nothing changed and the code still usable, when ``nick`` belongs
        to another person; LinkRefused when the code is unknown, used or expired.
        ``what`` names the identity in messages ("IRC nick", "Matrix id").
        """
        plain = normalize(code)
        if plain is None:
            raise LinkRefused(UNKNOWN_CODE)
        nick = check_nick(nick)
        now = self.clock()
        codes = t.link_codes
        try:
            with writing(self.engine) as conn:
                row = conn.execute(select(codes).where(codes.c.digest == digest(plain))).first()
                if row is None:
                    raise LinkRefused(UNKNOWN_CODE)
                if row.used_at is not None:
                    raise LinkRefused(USED_CODE)
                if row.expires_at <= now:
                    raise LinkRefused(EXPIRED_CODE)
                owner = _owner(conn, nick)
                if owner is not None and owner != row.person_id:
                    raise LinkRefused(_taken(what, nick))
                # Conditional: of two redemptions at once, one uses the code.
                used = conn.execute(
                    update(codes)
                    .where(codes.c.digest == row.digest, codes.c.used_at.is_(None))
                    .values(used_at=now, used_by=nick[:64])
                )
                if used.rowcount != 1:
                    raise LinkRefused(USED_CODE)
                if owner is None:
                    conn.execute(
                        insert(t.nicks).values(
                            nick_key=nick_key(nick), nick=nick, person_id=row.person_id
                        )
                    )
                name = conn.execute(
                    select(t.people.c.display_name).where(t.people.c.id == row.person_id)
                ).scalar_one()
        except IntegrityError:  # another person linked the same nick meanwhile
            raise LinkRefused(_taken(what, nick)) from None
        return Linked(row.person_id, str(name), nick, new=owner is None)

    def burn(self, code: str) -> bool:
        """Use ``code`` up without linking anything (it was seen in public); whether there
        was such an unused code."""
        plain = normalize(code)
        if plain is None:
            return False
        codes = t.link_codes
        with writing(self.engine) as conn:
            done = conn.execute(
                update(codes)
                .where(codes.c.digest == digest(plain), codes.c.used_at.is_(None))
                .values(used_at=self.clock(), used_by="(made public)")
            )
        return done.rowcount == 1

    def nicks(self, person_id: int) -> list[str]:
        """The person's nicks (chat identities and web nick), by key."""
        return person_nicks(self.engine, person_id)

    def unlink(self, person_id: int, nick: str) -> str:
        """Remove ``nick`` from the person's chat identities; the nick as it was stored.
        Their web nick stays: it is how they act on the web."""
        key = nick_key(nick.strip())
        with writing(self.engine) as conn:
            row = conn.execute(
                select(t.nicks.c.nick).where(
                    t.nicks.c.nick_key == key, t.nicks.c.person_id == person_id
                )
            ).first()
            if row is None:
                raise NotFound(f"'{shorten(nick)}' is not one of your chat identities.")
            web_nick = conn.execute(
                select(t.people.c.web_nick).where(t.people.c.id == person_id)
            ).scalar()
            if web_nick is not None and nick_key(web_nick) == key:
                raise InvalidInput(
                    f"{row.nick} is the nick you act as on the web; it cannot be unlinked."
                )
            conn.execute(delete(t.nicks).where(t.nicks.c.nick_key == key))
        return str(row.nick)


def _owner(conn: Connection, nick: str) -> int | None:
    found = conn.execute(
        select(t.nicks.c.person_id).where(t.nicks.c.nick_key == nick_key(nick))
    ).scalar()
    return None if found is None else int(found)


def _taken(what: str, nick: str) -> str:
    return (
        f"The {what} {shorten(nick)} already belongs to another person; nothing changed. "
        "If it is yours, ask an organizer to help."
    )
