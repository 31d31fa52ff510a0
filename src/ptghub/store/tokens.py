"""Per-person secrets that the API and the bots use to know who is speaking.

Only a SHA-256 digest is stored: a token is 32 random bytes, so a slow hash would add
nothing, and a leaked database does not leak usable tokens.

A token may carry a label (which laptop or script holds it), an expiry and an event
scope: a scoped token acts only on that event. Its last use is recorded to the minute,
so that ``ptghub token list`` shows the tokens nobody uses; a request within a minute
of the recorded use writes nothing.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine, insert, or_, select, update

from ptghub.core.errors import InvalidInput, NotFound, Refused
from ptghub.core.model import nick_key
from ptghub.core.validate import check_nick, check_text
from ptghub.store import tables as t
from ptghub.store.engine import writing

PREFIX = "ptg_"
MAX_LABEL = 100
# Last use is kept to this precision: finer would cost a write per request.
LAST_USE_PRECISION = timedelta(minutes=1)
MAX_LIFETIME = timedelta(days=3660)
_DURATION = re.compile(r"([1-9][0-9]{0,4})([hdw])")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}
NEW_TOKEN = "ask an organizer for a new one ('ptghub token create --for NICK')"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _minute(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


class TokenRefused(Refused):
    """A known token that may not be used here: expired, or scoped to another event.

    ``wrong_event`` tells a token that is valid but for another event (HTTP 403) from
    one that is no longer valid at all (HTTP 401).
    """

    def __init__(self, message: str, *, wrong_event: bool) -> None:
        super().__init__(message)
        self.wrong_event = wrong_event


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    nick: str
    created_at: datetime
    revoked_at: datetime | None
    label: str | None = None
    expires_at: datetime | None = None
    event: str | None = None  # the slug of the one event it acts on; None: any event
    last_used_at: datetime | None = None

    def status(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return f"revoked {_minute(self.revoked_at)}"
        if self.expires_at is not None and self.expires_at <= now:
            return f"expired {_minute(self.expires_at)}"
        return "active"


def parse_expiry(text: str, now: datetime) -> datetime:
    """When a token given ``--expires TEXT`` at ``now`` stops working.

    TEXT is a duration (``12h``, ``30d``, ``8w``), a date (``2026-05-01``: its start, in
    UTC) or a date and time (``2026-05-01T18:00``, UTC unless it has an offset).
    """
    value = text.strip()
    duration = _DURATION.fullmatch(value)
    try:
        if duration is not None:
            expiry = now + timedelta(**{_UNITS[duration[2]]: int(duration[1])})
        elif re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            expiry = datetime.combine(date.fromisoformat(value), time(), UTC)
        else:
            moment = datetime.fromisoformat(value)
            expiry = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        raise InvalidInput(
            f"'{value[:40]}' is not an expiry; expected a duration such as 12h, 30d or 8w, "
            "a date such as 2026-05-01 or a time such as 2026-05-01T18:00 (UTC)."
        ) from None
    if expiry <= now:
        raise InvalidInput(
            f"The expiry {_minute(expiry)} is already past; give a later date or a duration "
            "such as 30d."
        )
    if expiry - now > MAX_LIFETIME:
        raise InvalidInput(
            f"The expiry {_minute(expiry)} is more than {MAX_LIFETIME.days} days away; "
            "give a nearer one, or none for a token that never expires."
        )
    return expiry.astimezone(UTC)


class Tokens:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def create(
        self,
        nick: str,
        *,
        label: str | None = None,
        expires: datetime | str | None = None,
        event: str | None = None,
    ) -> tuple[int, str]:
        """A new token for ``nick``: its id and the secret, which is shown only once.

        ``expires``: when it stops working, or a text for ``parse_expiry`` (counted from
        the creation time); ``event``: the slug of the only event it may act on (None:
        every event).
        """
        now = self.clock()
        nick = check_nick(nick)
        if label is not None:
            label = check_text(label, what="token label", limit=MAX_LABEL)
        expires_at = parse_expiry(expires, now) if isinstance(expires, str) else expires
        if expires_at is not None and expires_at <= now:
            raise InvalidInput(f"The expiry {_minute(expires_at)} is already past.")
        secret = PREFIX + secrets.token_urlsafe(32)
        with writing(self.engine) as conn:
            event_id = None
            if event is not None:
                event_id = conn.execute(
                    select(t.events.c.id).where(t.events.c.slug == event)
                ).scalar()
                if event_id is None:
                    raise NotFound(
                        f"Unknown event '{event[:40]}'; 'ptghub event list' shows the events."
                    )
            result = conn.execute(
                insert(t.tokens).values(
                    nick_key=nick_key(nick),
                    nick=nick,
                    digest=_digest(secret),
                    created_at=now,
                    label=label,
                    expires_at=expires_at,
                    event_id=event_id,
                )
            )
        assert result.inserted_primary_key is not None
        return int(result.inserted_primary_key[0]), secret

    def revoke(self, token_id: int) -> TokenInfo:
        with writing(self.engine) as conn:
            done = conn.execute(
                update(t.tokens)
                .where(t.tokens.c.id == token_id, t.tokens.c.revoked_at.is_(None))
                .values(revoked_at=self.clock())
            )
            if done.rowcount != 1:
                raise NotFound(f"There is no active token #{token_id}; 'ptghub token list'.")
        return next(i for i in self.list() if i.id == token_id)

    def identify(self, secret: str, *, event: str | None) -> str | None:
        """The nick that owns ``secret`` when used on ``event`` (None: the current event).

        None for an unknown or revoked token; TokenRefused, saying why, for an expired
        one or one scoped to another event. Records the use when the last one recorded
        is a minute old or more.
        """
        now = self.clock()
        query = (
            select(
                t.tokens.c.id,
                t.tokens.c.nick,
                t.tokens.c.expires_at,
                t.tokens.c.last_used_at,
                t.events.c.slug,
            )
            .select_from(t.tokens.outerjoin(t.events, t.events.c.id == t.tokens.c.event_id))
            .where(t.tokens.c.digest == _digest(secret), t.tokens.c.revoked_at.is_(None))
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
            if row is None:
                return None
            if row.expires_at is not None and row.expires_at <= now:
                raise TokenRefused(
                    f"This token (#{row.id}) expired on {_minute(row.expires_at)}; {NEW_TOKEN}.",
                    wrong_event=False,
                )
            if row.slug is not None:
                target = event
                if target is None:
                    current = select(t.events.c.slug).where(t.events.c.is_current.is_(True))
                    target = conn.execute(current).scalar()
                if target != row.slug:
                    raise TokenRefused(
                        f"This token (#{row.id}) acts only on event '{row.slug}', not on "
                        f"'{target or 'none'}'; use a token made for that event or for every "
                        "event.",
                        wrong_event=True,
                    )
        if row.last_used_at is None or now - row.last_used_at >= LAST_USE_PRECISION:
            self._used(row.id, now)
        return str(row.nick)

    def _used(self, token_id: int, now: datetime) -> None:
        # The condition makes concurrent requests of one minute write at most once.
        with writing(self.engine) as conn:
            conn.execute(
                update(t.tokens)
                .where(
                    t.tokens.c.id == token_id,
                    or_(
                        t.tokens.c.last_used_at.is_(None),
                        t.tokens.c.last_used_at <= now - LAST_USE_PRECISION,
                    ),
                )
                .values(last_used_at=now)
            )

    def list(self, nick: str | None = None) -> list[TokenInfo]:
        query = (
            select(t.tokens, t.events.c.slug)
            .select_from(t.tokens.outerjoin(t.events, t.events.c.id == t.tokens.c.event_id))
            .order_by(t.tokens.c.id)
        )
        if nick is not None:
            query = query.where(t.tokens.c.nick_key == nick_key(nick))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            TokenInfo(
                r.id,
                r.nick,
                r.created_at,
                r.revoked_at,
                r.label,
                r.expires_at,
                r.slug,
                r.last_used_at,
            )
            for r in rows
        ]
