"""The public "keep me updated" list of an event: double opt-in, and one-click unsubscribe.

A sign-up (``subscribe``) writes a ``pending`` row and returns the confirmation token to
mail; only ``confirm`` with that token lists the address (``confirmed``). Unsubscribing
(``unsubscribe``) leaves the row ``unsubscribed``: it is the address's opt-out of every
announcement of the event, whatever the audience (``Announcements`` skips it).

Both tokens are HMAC-SHA256 under the site's secret ``updates``
(``store.accounts.site_secret``) and nothing of them is stored:

- an unsubscribe token names the address and is bound to it and to the event
  (``unsubscribe:EVENT_ID:ADDRESS_KEY``); it never expires, so an old mail's link works;
- a confirmation token names the address and when it was made, bound to both and to the
  event (``confirm:EVENT_ID:ADDRESS_KEY:ISSUED``); it works for ``CONFIRM_LIFETIME``, and
  not at all when the address unsubscribed after it was made (an old mail cannot list
  again an address that left the list).

A token of another event, changed or cut on the way, or made under another secret is
refused (``TokenRefused``), the same way whatever the address.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlalchemy import Connection, Engine, func, insert, select, update

from ptghub.core.errors import InvalidInput, NotFound, PtgError
from ptghub.store import tables as t
from ptghub.store.accounts import Accounts, address_key, check_address
from ptghub.store.engine import writing
from ptghub.store.outbox import Outbox

PENDING = "pending"
CONFIRMED = "confirmed"
UNSUBSCRIBED = "unsubscribed"
CONFIRM_LIFETIME = timedelta(days=7)
SECRET_NAME = "updates"

CONFIRM_KIND = "updates-confirm"

Outcome = Literal["new", "again", "listed"]
# The subject and text of a confirmation mail, from its token (the web knows the link).
ConfirmMail = Callable[[str], tuple[str, str]]


class TokenRefused(InvalidInput):
    """A confirmation or unsubscribe token this site did not make for this event, or
    one that no longer works."""


_FORGED = (
    "This link is not one we sent for this event, or it was cut or changed on the way "
    "(copy the whole link from the mail)."
)
_EXPIRED = (
    f"This confirmation link has expired: it works for {CONFIRM_LIFETIME.days} days. "
    "Sign up again to get a new one."
)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True, slots=True)
class Subscriber:
    address: str
    state: str
    created_at: datetime
    confirmed_at: datetime | None
    unsubscribed_at: datetime | None


def find_event_id(conn: Connection, slug: str) -> int:
    """The id of the event ``slug``; NotFound when there is none."""
    found = conn.execute(select(t.events.c.id).where(t.events.c.slug == slug)).scalar()
    if found is None:
        raise NotFound(f"There is no event '{slug[:40]}'.")
    return int(found)


class UpdatesList:
    def __init__(
        self, engine: Engine, clock: Callable[[], datetime], accounts: Accounts, outbox: Outbox
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.accounts = accounts
        self.outbox = outbox

    # -- tokens ----------------------------------------------------------------------

    def _sign(self, message: str, key: bytes | None = None) -> str:
        key = key or self.accounts.site_secret(SECRET_NAME)
        return _b64(hmac.new(key, message.encode(), hashlib.sha256).digest())

    def unsubscribe_tokens(self, event_id: int) -> Callable[[str], str]:
        """The token of an address's unsubscribe link for the event (always the same for
        one address), as a function: the secret is read once, before any transaction of
        the caller (on SQLite a second writer inside it would wait for itself)."""
        key = self.accounts.site_secret(SECRET_NAME)

        def token(address: str) -> str:
            signature = self._sign(f"unsubscribe:{event_id}:{address_key(address)}", key)
            return f"{_b64(address.strip().encode())}.{signature}"

        return token

    def confirm_token(
        self, event_id: int, address: str, issued: datetime, key: bytes | None = None
    ) -> str:
        stamp = int(issued.timestamp())
        signature = self._sign(f"confirm:{event_id}:{address_key(address)}:{stamp}", key)
        return f"{_b64(address.strip().encode())}.{stamp}.{signature}"

    def _address_of(self, encoded: str) -> str:
        try:
            return check_address(_unb64(encoded).decode())
        except (ValueError, UnicodeDecodeError, PtgError):
            raise TokenRefused(_FORGED) from None

    def check_unsubscribe(self, event_id: int, token: str) -> str:
        """The address ``token`` unsubscribes from the event; TokenRefused if forged."""
        encoded, _, signature = token.partition(".")
        address = self._address_of(encoded)
        expected = self._sign(f"unsubscribe:{event_id}:{address_key(address)}")
        if not hmac.compare_digest(signature.encode(), expected.encode()):
            raise TokenRefused(_FORGED)
        return address

    def _check_confirm(self, event_id: int, token: str) -> tuple[str, datetime]:
        encoded, _, rest = token.partition(".")
        stamp, _, signature = rest.partition(".")
        address = self._address_of(encoded)
        if not stamp.isdigit() or len(stamp) > 12:
            raise TokenRefused(_FORGED)
        expected = self._sign(f"confirm:{event_id}:{address_key(address)}:{stamp}")
        if not hmac.compare_digest(signature.encode(), expected.encode()):
            raise TokenRefused(_FORGED)
        issued = datetime.fromtimestamp(int(stamp), UTC)
        if self.clock() - issued > CONFIRM_LIFETIME:
            raise TokenRefused(_EXPIRED)
        return address, issued

    # -- the list --------------------------------------------------------------------

    def _row(self, conn: Connection, event_id: int, key: str) -> Subscriber | None:
        s = t.updates_subscribers.c
        row = conn.execute(
            select(s.address, s.state, s.created_at, s.confirmed_at, s.unsubscribed_at).where(
                s.event_id == event_id, s.address_key == key
            )
        ).first()
        return None if row is None else Subscriber(*row)

    def event_id(self, event: str) -> int:
        with self.engine.connect() as conn:
            return find_event_id(conn, event)

    def subscriber(self, event: str, address: str) -> Subscriber | None:
        with self.engine.connect() as conn:
            return self._row(conn, find_event_id(conn, event), address_key(address))

    def subscribe(
        self, event: str, address: str, mail: ConfirmMail | None = None
    ) -> tuple[Outcome, str | None]:
        """Ask to list ``address``: ``("listed", None)`` when it is already confirmed
        (nothing to mail), else ``("new" | "again", token)``: the row is ``pending`` and
        ``token`` confirms it. An address that had unsubscribed asks again this way.

        ``mail(token)`` gives the subject and text of the confirmation mail, queued to the
        address in the same transaction (kind ``updates-confirm``); without it, nothing is
        mailed (the caller has the token)."""
        address = check_address(address)
        key, now = address_key(address), self.clock()
        secret = self.accounts.site_secret(SECRET_NAME)  # before the lock: it may write
        s = t.updates_subscribers.c
        with writing(self.engine) as conn:
            event_id = find_event_id(conn, event)
            found = self._row(conn, event_id, key)
            if found is not None and found.state == CONFIRMED:
                return "listed", None
            if found is None:
                conn.execute(
                    insert(t.updates_subscribers).values(
                        event_id=event_id,
                        address_key=key,
                        address=address,
                        state=PENDING,
                        created_at=now,
                    )
                )
            else:
                conn.execute(
                    update(t.updates_subscribers)
                    .where(s.event_id == event_id, s.address_key == key)
                    .values(state=PENDING, address=address, created_at=now)
                )
            token = self.confirm_token(event_id, address, now, secret)
            if mail is not None:
                subject, text = mail(token)
                self.outbox.enqueue(
                    to=address, subject=subject, text=text, kind=CONFIRM_KIND, conn=conn
                )
        if mail is not None:
            for listener in list(self.outbox.listeners):
                listener()
        return ("new" if found is None else "again"), token

    def confirm(self, event: str, token: str) -> str:
        """List the address ``token`` confirms; returns it. Confirming twice is no error."""
        event_id = self.event_id(event)
        address, issued = self._check_confirm(event_id, token)
        key = address_key(address)
        s = t.updates_subscribers.c
        with writing(self.engine) as conn:
            found = self._row(conn, event_id, key)
            if found is not None and found.state == CONFIRMED:
                return found.address
            left = found is not None and (
                found.state == UNSUBSCRIBED
                or (found.unsubscribed_at is not None and found.unsubscribed_at > issued)
            )
            if found is None or left:
                raise TokenRefused(
                    "This confirmation link is older than your last unsubscribe: sign up "
                    "again to get a new one."
                    if left
                    else _FORGED
                )
            conn.execute(
                update(t.updates_subscribers)
                .where(s.event_id == event_id, s.address_key == key, s.state == PENDING)
                .values(state=CONFIRMED, confirmed_at=self.clock())
            )
        return found.address

    def unsubscribe(self, event: str, token: str) -> str:
        """Opt the address of ``token`` out of the event's mail (listed or not); returns it.
        Unsubscribing twice is no error."""
        event_id = self.event_id(event)
        address = self.check_unsubscribe(event_id, token)
        key, now = address_key(address), self.clock()
        s = t.updates_subscribers.c
        with writing(self.engine) as conn:
            found = self._row(conn, event_id, key)
            if found is None:
                conn.execute(
                    insert(t.updates_subscribers).values(
                        event_id=event_id,
                        address_key=key,
                        address=address,
                        state=UNSUBSCRIBED,
                        created_at=now,
                        unsubscribed_at=now,
                    )
                )
            elif found.state != UNSUBSCRIBED:
                conn.execute(
                    update(t.updates_subscribers)
                    .where(s.event_id == event_id, s.address_key == key)
                    .values(state=UNSUBSCRIBED, unsubscribed_at=now)
                )
        return address

    def counts(self, event: str) -> dict[str, int]:
        """How many addresses are in each state (states with none left out)."""
        s = t.updates_subscribers.c
        with self.engine.connect() as conn:
            event_id = find_event_id(conn, event)
            query = select(s.state, func.count()).where(s.event_id == event_id).group_by(s.state)
            return {str(state): int(n) for state, n in conn.execute(query)}
