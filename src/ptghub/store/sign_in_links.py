"""Emailed links: sign in by magic link, and verify another address of a signed-in person.

A link carries a random token (32 bytes); only its SHA-256 digest is stored, with the
digest of the asking browser's own cookie (``ptghub_browser``), so that a link works only
in the browser that asked for it: someone who reads the mail elsewhere (a forwarded
message, a mail scanner) cannot sign in with it. A link expires ``LIFETIME`` after it was
made and is used at most once: the use is one ``UPDATE ... WHERE used_at IS NULL``, so of
two requests racing with the same link exactly one wins.

Why a link is refused is told apart (``LinkRefused.reason``), so the page can say what
happened and what to do; the reason never depends on whether an address has an account.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

from sqlalchemy import Engine, insert, select, update

from ptghub.core.errors import Refused
from ptghub.store import tables as t
from ptghub.store.accounts import check_address
from ptghub.store.engine import writing

LIFETIME = timedelta(minutes=15)
SIGN_IN: Final = "sign-in"
ADD_ADDRESS: Final = "add-address"
Purpose = Literal["sign-in", "add-address"]
Reason = Literal["unknown", "used", "expired", "other-browser", "other-person"]

_MESSAGES: dict[Reason, str] = {
    "unknown": "This link is not one we sent, or it was cut or changed on the way "
    "(copy the whole link from the mail).",
    "used": "This link has already been used: each link works only once.",
    "expired": f"This link has expired: a link works for {LIFETIME.seconds // 60} minutes.",
    "other-browser": "This link was asked for in another browser: it works only in the "
    "browser where you asked for it.",
    "other-person": "This link was sent to add an address to another account: sign in "
    "as the person who asked for it.",
}


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class LinkRefused(Refused):
    """A link that cannot be used, and why (``reason``)."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(_MESSAGES[reason])
        self.reason: Reason = reason


@dataclass(frozen=True, slots=True)
class Link:
    address: str
    purpose: str
    person_id: int | None
    expires_at: datetime
    browser_digest: str  # of the cookie of the browser that asked

    def asked_by(self, browser: str | None) -> bool:
        """Whether the browser whose cookie is ``browser`` asked for this link."""
        return browser is not None and digest(browser) == self.browser_digest


class SignInLinks:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def create(
        self,
        address: str,
        *,
        browser: str,
        purpose: Purpose = SIGN_IN,
        person_id: int | None = None,
    ) -> str:
        """A new link for ``address``, usable only by the browser whose cookie is
        ``browser`` (and, to add an address, by ``person_id``); returns its token."""
        address = check_address(address)
        if (purpose == ADD_ADDRESS) != (person_id is not None):
            raise ValueError("a link adds an address to a person, or signs in: not both")
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with writing(self.engine) as conn:
            conn.execute(
                insert(t.sign_in_links).values(
                    digest=digest(token),
                    address=address,
                    browser_digest=digest(browser),
                    created_at=now,
                    expires_at=now + LIFETIME,
                    purpose=purpose,
                    person_id=person_id,
                )
            )
        return token

    def peek(self, token: str, *, purpose: Purpose = SIGN_IN) -> Link:
        """The link behind ``token`` if it could be used now; LinkRefused otherwise. Uses
        nothing: a page may show what the link does before a person confirms."""
        links = t.sign_in_links
        with self.engine.connect() as conn:
            row = conn.execute(
                select(links).where(links.c.digest == digest(token), links.c.purpose == purpose)
            ).first()
        if row is None:
            raise LinkRefused("unknown")
        if row.used_at is not None:
            raise LinkRefused("used")
        if row.expires_at <= self.clock():
            raise LinkRefused("expired")
        return Link(row.address, row.purpose, row.person_id, row.expires_at, row.browser_digest)

    def redeem(
        self,
        token: str,
        *,
        browser: str | None,
        purpose: Purpose = SIGN_IN,
        person_id: int | None = None,
    ) -> Link:
        """Use the link behind ``token`` from the browser whose cookie is ``browser``
        (for an address, as ``person_id``): its address; LinkRefused saying why not."""
        link = self.peek(token, purpose=purpose)
        if purpose == ADD_ADDRESS and link.person_id != person_id:
            raise LinkRefused("other-person")
        if purpose == SIGN_IN and not link.asked_by(browser):
            raise LinkRefused("other-browser")
        links = t.sign_in_links
        with writing(self.engine) as conn:
            now = self.clock()
            used = conn.execute(
                update(links)
                .where(
                    links.c.digest == digest(token),
                    links.c.used_at.is_(None),
                    links.c.expires_at > now,
                )
                .values(used_at=now)
            )
            if used.rowcount != 1:  # another request used it since peek()
                raise LinkRefused("used")
        return link
