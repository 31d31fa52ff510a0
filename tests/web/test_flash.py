"""web/flash.py: the reply of a form posted without JavaScript is shown once, and only a
reply this site signed is shown at all."""

from __future__ import annotations

import base64
import json

from fastapi.testclient import TestClient

from ptghub.store.store import Store
from ptghub.web.flash import FLASH_COOKIE
from tests.web.organizing import ORGANIZE, organizer, post


def _shown(client: TestClient) -> bool:
    return "data-flash>" in client.get(f"{ORGANIZE}/messages").text.replace(" hidden>", "")


def _cookie(message: str, signature: str) -> str:
    payload = base64.urlsafe_b64encode(json.dumps({"m": message, "ok": True}).encode())
    return f"{payload.decode().rstrip('=')}.{signature}"


def test_a_reply_is_shown_once_then_its_cookie_is_deleted(client: TestClient, store: Store) -> None:
    me = organizer(client, store)
    post(client, f"{ORGANIZE}/messages/add", **me.form(level="info", text="Hi"))
    signed = client.cookies[FLASH_COOKIE]
    page = client.get(f"{ORGANIZE}/messages")
    assert "OK, message added." in page.text
    assert FLASH_COOKIE not in client.cookies  # the page deleted it
    # The same cookie sent again (a browser that kept it): shown again, never invented.
    client.cookies.set(FLASH_COOKIE, signed)
    assert "OK, message added." in client.get(f"{ORGANIZE}/messages").text


def test_a_reply_this_site_did_not_sign_is_not_shown(client: TestClient, store: Store) -> None:
    organizer(client, store)
    for forged in (
        _cookie("Your account is locked: call +1 555 0100", "0" * 64),
        _cookie("Unsigned", ""),
        "not-even-base64.abc",
        "",
    ):
        client.cookies.set(FLASH_COOKIE, forged)
        page = client.get(f"{ORGANIZE}/messages").text
        assert "Your account is locked" not in page and "Unsigned" not in page
        assert '<p class="flash" role="status" data-flash hidden></p>' in page
