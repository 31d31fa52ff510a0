"""Who an OpenID Connect sign-in is: the person behind a provider's (issuer, subject).

A provider's subject identifier is the one stable name of its user (an email address can
change hands); ``oidc_identities`` keeps the person each one signed in as. The first time
a subject signs in, it is linked by its address, and only when the provider says the
address is verified: to the person who verified that address here, else to a new person
who has it (``Accounts.sign_up``). A subject without a verified address is refused: ptghub
could not tell whose it is, nor mail them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from ptghub.core.errors import InvalidInput, PermissionDenied
from ptghub.core.validate import MAX_NAME, check_text
from ptghub.store import tables as t
from ptghub.store.accounts import Accounts, check_address
from ptghub.store.engine import writing


class NoVerifiedAddress(PermissionDenied):
    """A first sign-in whose provider gives no verified email address."""


class How(StrEnum):
    KNOWN = "known"  # this subject signed in before
    LINKED = "linked"  # first time: linked to the person who verified its address
    NEW = "new"  # first time: a new person with its address


@dataclass(frozen=True, slots=True)
class Resolved:
    person_id: int
    how: How


def _display_name(name: object) -> str | None:
    """The provider's ``name`` claim when it is a usable display name, else None (the
    address's local part is used)."""
    if not isinstance(name, str) or not name.strip():
        return None
    try:
        return check_text(name.strip()[:MAX_NAME], what="display name", limit=MAX_NAME)
    except InvalidInput:
        return None


def person_for(
    accounts: Accounts,
    *,
    issuer: str,
    subject: str,
    email: str | None,
    email_verified: bool,
    name: object = None,
) -> Resolved:
    """The person ``subject`` of ``issuer`` signs in as, linking or creating them on a
    first sign-in with a verified address (see the module's docstring). Raises
    ``NoVerifiedAddress`` on a first sign-in without one, ``InvalidInput`` when the
    address is not one ptghub accepts."""
    ident = t.oidc_identities
    key = (ident.c.issuer == issuer) & (ident.c.subject == subject)
    with writing(accounts.engine) as conn:
        known = conn.execute(select(ident.c.person_id).where(key)).scalar()
        if known is not None:
            if email and email_verified:
                conn.execute(update(ident).where(key).values(email=email[:320]))
            return Resolved(int(known), How.KNOWN)
    if not (email and email_verified):
        raise NoVerifiedAddress(
            "Your account at the provider has no verified email address, and ptghub needs "
            "one the first time you sign in (to know whether you already have an account "
            "here). Verify your address with the provider, then sign in again; or sign in "
            "with an emailed link."
        )
    address = check_address(email)
    how = How.LINKED if accounts.person_of(address) is not None else How.NEW
    account = accounts.sign_up(address, _display_name(name))
    try:
        with writing(accounts.engine) as conn:
            conn.execute(
                insert(ident).values(
                    issuer=issuer,
                    subject=subject,
                    person_id=account.person_id,
                    email=address,
                    created_at=accounts.clock(),
                )
            )
    except IntegrityError:  # the same subject's other sign-in, at the same moment, won
        with accounts.engine.connect() as conn:
            return Resolved(
                int(conn.execute(select(ident.c.person_id).where(key)).scalar_one()), how
            )
    return Resolved(account.person_id, how)


def identities(accounts: Accounts, person_id: int) -> list[tuple[str, str, str | None]]:
    """The (issuer, subject, email) a person signs in with, oldest first."""
    ident = t.oidc_identities
    with accounts.engine.connect() as conn:
        rows = conn.execute(
            select(ident.c.issuer, ident.c.subject, ident.c.email)
            .where(ident.c.person_id == person_id)
            .order_by(ident.c.created_at, ident.c.subject)
        ).all()
    return [(r.issuer, r.subject, r.email) for r in rows]
