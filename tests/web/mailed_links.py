"""How the sign-in tests act as a person at a browser: read a page's form, ask for a link,
read the link from the mail queued in the outbox, open it and press its button."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

import httpx
import sqlalchemy as sa
from fastapi.testclient import TestClient

from ptghub.store import tables as t
from ptghub.store.store import Store

_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
_LINK = re.compile(r"https?://\S+")


def hidden_fields(html: str, action: str) -> dict[str, str]:
    """The hidden fields of the page's form that posts to ``action``."""
    start = html.index(f'action="{action}"')
    form = html[start : html.index("</form>", start)]
    return {name: unescape(value) for name, value in _HIDDEN.findall(form)}


def main_text(response: httpx.Response) -> str:
    """The page's <main>, tags removed and spaces squeezed: what a person reads."""
    html = response.text
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", unescape(main)).split())


def mails(store: Store, to: str | None = None) -> list[sa.Row[tuple[object, ...]]]:
    """The mails queued, oldest first (to ``to`` only, when given)."""
    query = sa.select(t.outbox).order_by(t.outbox.c.id)
    if to is not None:
        query = query.where(t.outbox.c.to_address == to)
    with store.engine.connect() as conn:
        return list(conn.execute(query).all())


def mailed_link(store: Store, to: str) -> str:
    """The link in the newest mail to ``to``."""
    body = str(mails(store, to)[-1].body_text)
    links = [link for link in _LINK.findall(body) if "token=" in link]
    assert len(links) == 1, body
    return links[0]


def local(link: str) -> str:
    """A link's path and query, as the test client asks for them."""
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def ask_link(
    client: TestClient, address: str, next_path: str | None = None, **headers: str
) -> httpx.Response:
    """Open the sign-in page (with ``next``) and ask for a link to ``address``."""
    page = client.get("/signin", params={"next": next_path} if next_path else None)
    assert page.status_code == 200, page.text
    fields = hidden_fields(page.text, "/signin") | {"email": address}
    return client.post("/signin", data=fields, headers=headers)


def open_link(client: TestClient, link: str) -> httpx.Response:
    """Open a mailed link and press its button; the answer, redirects not followed."""
    page = client.get(local(link))
    assert page.status_code == 200, page.text
    action = "/signin/link" if "/signin/link" in link else urlsplit(link).path
    return client.post(action, data=hidden_fields(page.text, action), follow_redirects=False)


def sign_in_by_mail(
    client: TestClient, store: Store, address: str, next_path: str | None = None
) -> httpx.Response:
    """The whole sign-in: ask, read the mail, open the link, press the button."""
    assert ask_link(client, address, next_path).status_code == 200
    return open_link(client, mailed_link(store, address))
