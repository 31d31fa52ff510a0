"""Signing a test client in as a real person: an account made by a verified address, a
real server-side session, its cookie on the client, and the CSRF token its pages carry."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient

from ptghub.store.accounts import Account
from ptghub.store.store import Store
from ptghub.web.session import SESSION_COOKIE, csrf_for


@dataclass(frozen=True, slots=True)
class SignedInClient:
    account: Account
    session: str  # the cookie's secret
    csrf: str

    def form(self, **fields: str) -> dict[str, str]:
        """Form fields with the CSRF token added."""
        return {"csrf": self.csrf, **fields}

    @property
    def headers(self) -> dict[str, str]:
        """Headers the page's JavaScript sends with a change."""
        return {"X-CSRF-Token": self.csrf}


def sign_in(client: TestClient, store: Store, address: str) -> SignedInClient:
    """Sign ``client`` in as the person who verified ``address`` (made if new)."""
    account = store.accounts.sign_up(address)
    secret = store.accounts.start_session(account.person_id, via="email")
    client.cookies.set(SESSION_COOKIE, secret)
    return SignedInClient(account, secret, csrf_for(store, session=secret))
