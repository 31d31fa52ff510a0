"""The reply to a form posted without JavaScript, shown once on the page it returns to.

A form's POST answers ``303 See Other`` back to its page (so that reloading the page does
not post again) and puts the reply in a short-lived cookie, ``ptghub_flash``; the page
shows it and deletes the cookie, so it is shown once. The cookie is signed (HMAC-SHA256
under the site's secret ``flash``, ``store.accounts.site_secret``): a page only ever shows
a reply this site wrote, never text another site (or a sibling domain) planted in a
cookie. The text is escaped where it is shown, like any other.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass

from fastapi import Request, Response

from ptghub.store.store import Store
from ptghub.web.session import secure_cookies

FLASH_COOKIE = "ptghub_flash"
# Long enough for the redirect to be followed on a slow connection; a reply nobody saw
# in that time is stale anyway.
FLASH_LIFETIME = 120
MAX_FLASH = 2000  # characters kept: a cookie holds about 4 KB


@dataclass(frozen=True, slots=True)
class Flash:
    """A reply: ``ok`` (done, or nothing to do) or not (refused, and why)."""

    message: str
    ok: bool = True


def _key(request: Request) -> bytes:
    store: Store = request.app.state.store
    return store.accounts.site_secret("flash")


def _sign(key: bytes, payload: str) -> str:
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def set_flash(request: Request, response: Response, flash: Flash) -> None:
    """Keep ``flash`` for the next page this browser loads."""
    data = json.dumps({"m": flash.message[:MAX_FLASH], "ok": flash.ok}, ensure_ascii=True)
    payload = base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")
    response.set_cookie(
        FLASH_COOKIE,
        f"{payload}.{_sign(_key(request), payload)}",
        max_age=FLASH_LIFETIME,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
        path="/",
    )


def read_flash(request: Request) -> Flash | None:
    """The reply waiting for this page, if the cookie is there and this site signed it."""
    value = request.cookies.get(FLASH_COOKIE, "")
    payload, _, signature = value.partition(".")
    if not (payload and signature):
        return None
    if not hmac.compare_digest(signature, _sign(_key(request), payload)):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return Flash(str(data["m"]), bool(data["ok"]))
    except (ValueError, KeyError, TypeError):
        return None


def forget_flash(request: Request, response: Response) -> None:
    """Delete the reply's cookie once a page has shown it (when there was one)."""
    if FLASH_COOKIE in request.cookies:
        response.delete_cookie(
            FLASH_COOKIE, httponly=True, samesite="lax", secure=secure_cookies(request), path="/"
        )
