"""Helpers of the organizers' pages tests: people signed in with a role, a form posted as
a browser without JavaScript (``post``) or by the page's script (``post_json``), and what
a refused request must leave unchanged."""

from __future__ import annotations

import re
from datetime import datetime

import httpx
from fastapi.testclient import TestClient

from ptghub.commands.run import execute
from ptghub.core.model import Actor
from ptghub.store.store import Store
from tests.web.signing_in import SignedInClient, sign_in

EVENT = "test-ptg"
ORGANIZE = f"/events/{EVENT}/organize"
# Someone at the server's shell: who grants the roles a test starts from.
OPERATOR = Actor("root", frontend="cli", operator=True)


def organizer(
    client: TestClient, store: Store, address: str = "olga@example.org"
) -> SignedInClient:
    """``client`` signed in as a person whose web nick organizes the event."""
    me = sign_in(client, store, address)
    store.run(f"~role grant {me.account.web_nick} organizer", OPERATOR)
    return me


def chair(client: TestClient, store: Store, address: str = "chad@example.org") -> SignedInClient:
    """``client`` signed in as a chair of nova (and of nothing else)."""
    me = sign_in(client, store, address)
    store.run(f"~role grant {me.account.web_nick} chair nova", OPERATOR)
    return me


def nobody(client: TestClient, store: Store, address: str = "nora@example.org") -> SignedInClient:
    """``client`` signed in as a person with no role."""
    return sign_in(client, store, address)


def post(client: TestClient, path: str, **fields: str) -> httpx.Response:
    """A form posted by a browser without JavaScript (redirects not followed)."""
    return client.post(path, data=fields, follow_redirects=False)


def post_json(client: TestClient, path: str, **fields: str) -> httpx.Response:
    """A form posted by the page's script, which asks for JSON."""
    return client.post(
        path, data=fields, headers={"Accept": "application/json"}, follow_redirects=False
    )


def bot_reply(store: Store, text: str, actor: Actor, now: datetime | None = None) -> str:
    """What the bots answer ``text`` from ``actor`` on the event as it is now (changing
    nothing: the pure command on the current state)."""
    applied = execute(store.state(EVENT), text, actor, now or store.clock())
    assert applied is not None
    return applied.outcome.reply


def audit_count(store: Store) -> int:
    return len(store.audit(EVENT))


def comparison_rows(html: str) -> list[list[str]]:
    """The cells of the compare page's table, row by row, its head first."""
    table = html.split('id="comparison"')[1].split("</table>")[0]
    return [
        re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        for row in re.findall(r"<tr>(.*?)</tr>", table)
    ]
