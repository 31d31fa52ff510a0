"""Per-person secrets that the API and the bots use to know who is speaking.

Only a SHA-256 digest is stored: a token is 32 random bytes, so a slow hash would add
nothing, and a leaked database does not leak usable tokens.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, insert, select, update

from ptghub.core.errors import NotFound
from ptghub.core.model import nick_key
from ptghub.core.validate import check_nick
from ptghub.store import tables as t

PREFIX = "ptg_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    nick: str
    created_at: datetime
    revoked_at: datetime | None


class Tokens:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def create(self, nick: str) -> tuple[int, str]:
        """A new token for ``nick``: its id and the secret, which is shown only once."""
        nick = check_nick(nick)
        secret = PREFIX + secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            result = conn.execute(
                insert(t.tokens).values(
                    nick_key=nick_key(nick),
                    nick=nick,
                    digest=_digest(secret),
                    created_at=self.clock(),
                )
            )
        assert result.inserted_primary_key is not None
        return int(result.inserted_primary_key[0]), secret

    def revoke(self, token_id: int) -> TokenInfo:
        with self.engine.begin() as conn:
            done = conn.execute(
                update(t.tokens)
                .where(t.tokens.c.id == token_id, t.tokens.c.revoked_at.is_(None))
                .values(revoked_at=self.clock())
            )
            if done.rowcount != 1:
                raise NotFound(f"There is no active token #{token_id}; 'ptghub token list'.")
        return next(i for i in self.list() if i.id == token_id)

    def identify(self, secret: str) -> str | None:
        """The nick that owns ``secret``, or None for an unknown or revoked token."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.tokens.c.nick).where(
                    t.tokens.c.digest == _digest(secret), t.tokens.c.revoked_at.is_(None)
                )
            ).first()
        return None if row is None else str(row.nick)

    def list(self, nick: str | None = None) -> list[TokenInfo]:
        query = select(t.tokens).order_by(t.tokens.c.id)
        if nick is not None:
            query = query.where(t.tokens.c.nick_key == nick_key(nick))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [TokenInfo(r.id, r.nick, r.created_at, r.revoked_at) for r in rows]
