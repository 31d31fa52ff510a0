"""Who is signed in on this browser, and the CSRF token of its forms.

Two cookies, both HttpOnly and SameSite=Lax, Secure when ``PTGHUB_PUBLIC_URL`` is https:
- ``ptghub_session``: the secret of a server-side session (``store.accounts``);
- ``ptghub_browser``: a random value naming this browser before anyone signs in, so a
  magic link works only in the browser that asked for it, and anonymous forms (the
  sign-in form) have a CSRF token too.

A form's CSRF token is an HMAC, under the site's secret, of the session (or the browser)
cookie: nothing to store, different for every browser, useless to another site. Every
state-changing request made with the session cookie must carry it, in the form field
``csrf`` or the header ``X-CSRF-Token``; a request the browser marks cross-site
(``Sec-Fetch-Site: cross-site``) or whose ``Origin`` is another site's is refused even
with a valid token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from fastapi import Request, Response

from ptghub.core.errors import PermissionDenied
from ptghub.core.model import Actor
from ptghub.store.accounts import SESSION_LIFETIME, Account, SessionInfo
from ptghub.store.store import Store

SESSION_COOKIE = "ptghub_session"
BROWSER_COOKIE = "ptghub_browser"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
FRONTEND = "web"
SEEN = "ptghub_signed_in"  # request.state: the SignedIn found, once a request


@dataclass(frozen=True, slots=True)
class SignedIn:
    account: Account
    session: SessionInfo

    def actor(self) -> Actor:
        return self.account.actor(FRONTEND)


class CsrfRefused(PermissionDenied):
    """A state-changing request without the page's token, or from another site (403)."""


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def signed_in(request: Request) -> SignedIn | None:
    """The person signed in on this browser, or None (read once per request)."""
    if hasattr(request.state, SEEN):
        found: SignedIn | None = getattr(request.state, SEEN)
        return found
    found = None
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        store = _store(request)
        session = store.accounts.session(secret)
        if session is not None:
            found = SignedIn(store.accounts.account(session.person_id), session)
    setattr(request.state, SEEN, found)
    return found


def secure_cookies(request: Request) -> bool:
    public_url: str | None = request.app.state.settings.public_url
    return bool(public_url and public_url.startswith("https://"))


def set_session_cookie(request: Request, response: Response, secret: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
        path="/",
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="lax", secure=secure_cookies(request), path="/"
    )


def browser_id(request: Request, response: Response | None = None) -> str:
    """This browser's own random value; set on ``response`` when it has none yet (the
    value is kept on the request so that the page's forms can use it at once)."""
    value = request.cookies.get(BROWSER_COOKIE)
    if value:
        return str(value)
    # Made once a request: a page may read it before its response exists, then set it.
    value = getattr(request.state, BROWSER_COOKIE, None) or secrets.token_urlsafe(24)
    setattr(request.state, BROWSER_COOKIE, value)
    if response is not None:
        response.set_cookie(
            BROWSER_COOKIE,
            value,
            max_age=400 * 24 * 3600,
            httponly=True,
            samesite="lax",
            secure=secure_cookies(request),
            path="/",
        )
    return str(value)


def csrf_token(request: Request, response: Response | None = None) -> str:
    """The token this browser's forms carry: bound to its session when signed in, else
    to its browser cookie (set on ``response`` if missing)."""
    bound = request.cookies.get(SESSION_COOKIE) if signed_in(request) else None
    if bound:
        return csrf_for(_store(request), session=bound)
    return csrf_for(_store(request), browser=browser_id(request, response))


def csrf_for(store: Store, *, session: str | None = None, browser: str | None = None) -> str:
    """The CSRF token of the browser holding the session cookie ``session`` (or, signed
    out, the browser cookie ``browser``)."""
    subject = f"session:{session}" if session else f"browser:{browser}"
    key = store.accounts.site_secret("csrf")
    return hmac.new(key, subject.encode(), hashlib.sha256).hexdigest()


def check_same_site(request: Request) -> None:
    """Refuse a request the browser says comes from another site."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise CsrfRefused("This request came from another site; it was refused.")
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        public_url: str | None = request.app.state.settings.public_url
        allowed = {host} | ({urlsplit(public_url).netloc} if public_url else set())
        if urlsplit(origin).netloc not in allowed:
            raise CsrfRefused("This request came from another site; it was refused.")
    elif origin == "null":
        raise CsrfRefused("This request came from another site; it was refused.")


def check_csrf(request: Request, token: str | None) -> None:
    """Refuse (403) a state-changing request from a page of this site that lacks its
    token, or any from another site. ``token``: the form's field, else the header's."""
    check_same_site(request)
    given = token or request.headers.get(CSRF_HEADER) or ""
    if not (given and hmac.compare_digest(given, csrf_token(request))):
        raise CsrfRefused(
            "This form has expired or did not come from this site (its security token is "
            "missing or wrong); reload the page and try again."
        )
