"""What a signed-in person sees and changes of themselves on their personal page: their
name, their addresses (never fewer than one), their chat identities, their API tokens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from ptghub.core.errors import Conflict, InvalidInput, NotFound
from ptghub.core.validate import MAX_NAME, check_text, shorten
from ptghub.store import tables as t
from ptghub.store.accounts import Accounts, address_key, check_address
from ptghub.store.engine import writing
from ptghub.store.people import person_nicks
from ptghub.store.tokens import TokenInfo, Tokens


class Profiles:
    def __init__(
        self, engine: Engine, clock: Callable[[], datetime], accounts: Accounts, tokens: Tokens
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.accounts = accounts
        self.tokens = tokens

    def rename(self, person_id: int, name: str) -> str:
        """Set the person's display name; returns it as kept."""
        name = check_text(name, what="display name", limit=MAX_NAME)
        with writing(self.engine) as conn:
            conn.execute(
                update(t.people).where(t.people.c.id == person_id).values(display_name=name)
            )
        return name

    def nicks(self, person_id: int) -> list[str]:
        """The person's nicks (chat identities, and the one they act as on the web)."""
        return person_nicks(self.engine, person_id)

    def add_address(self, person_id: int, address: str) -> str:
        """Record a verified ``address`` for the person; Conflict when another person has
        it (said only to whoever proved they receive its mail)."""
        address = check_address(address)
        try:
            with writing(self.engine) as conn:
                owner = conn.execute(
                    select(t.emails.c.person_id).where(
                        t.emails.c.address_key == address_key(address)
                    )
                ).scalar()
                if owner == person_id:
                    return address
                self.accounts.add_address(conn, person_id, address)
        except IntegrityError:
            raise Conflict(
                f"{shorten(address, 80)} already belongs to another account; sign in with it "
                "to use that account, or remove it there first."
            ) from None
        return address

    def remove_address(self, person_id: int, address: str) -> None:
        """Remove one of the person's addresses, never the last one (they sign in with it)."""
        emails = t.emails
        with writing(self.engine) as conn:
            # Lock the person (PostgreSQL; SQLite serializes writers anyway) so that two
            # removals at once cannot both see two addresses and leave none.
            conn.execute(select(t.people.c.id).where(t.people.c.id == person_id).with_for_update())
            count = conn.execute(
                select(func.count()).select_from(emails).where(emails.c.person_id == person_id)
            ).scalar_one()
            mine = (emails.c.person_id == person_id) & (
                emails.c.address_key == address_key(address)
            )
            if not conn.execute(select(func.count()).select_from(emails).where(mine)).scalar_one():
                raise NotFound(f"{shorten(address, 80)} is not one of your addresses.")
            if count <= 1:
                raise InvalidInput(
                    f"{shorten(address, 80)} is your only address: you sign in with it. Add "
                    "another address first, then remove this one."
                )
            conn.execute(delete(emails).where(mine))

    def tokens_of(self, person_id: int) -> list[TokenInfo]:
        """The API tokens of all the person's nicks, newest first."""
        found = [info for nick in self.nicks(person_id) for info in self.tokens.list(nick)]
        return sorted(found, key=lambda info: info.id, reverse=True)

    def revoke_token(self, person_id: int, token_id: int) -> TokenInfo:
        """Revoke one of the person's own tokens (NotFound for anyone else's)."""
        mine = next((i for i in self.tokens_of(person_id) if i.id == token_id), None)
        if mine is None or mine.revoked_at is not None:
            raise NotFound(f"You have no active token #{token_id}.")
        return self.tokens.revoke(token_id)
