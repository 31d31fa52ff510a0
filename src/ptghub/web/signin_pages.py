"""Signing in by emailed link, and signing out.

- ``GET /signin``: the form (an address; ``next``, the page to come back to, is kept),
  and a "Sign in with ..." button when OpenID Connect is configured (``/signin/oidc``).
- ``POST /signin``: mails a link (``store.links``) to the address, whoever it belongs to:
  the answer is the same page, with the same status, for an address with an account and
  one without (the first sign-in makes the account), so the page tells nobody who has
  one. Limited per address mailed and per client address (a 429 page with Retry-After).
- ``GET /signin/link?token=...``: what the mail links to. It only shows a "Sign in"
  button: a mail scanner that follows links must not use the link up.
- ``POST /signin/link``: uses the link (single use, 15 minutes, only in the browser that
  asked for it), starts a session and goes to ``next``; a refused link is a page saying
  what happened and offering a new link.
- ``POST /signout``: ends this browser's session.

The link in the mail is built on ``PTGHUB_PUBLIC_URL``; without it, on the address the
request came to, which a client chooses (its Host header): a production site sets
``PTGHUB_PUBLIC_URL`` so that no one can have a link mailed that points elsewhere.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ptghub.core.errors import InvalidInput
from ptghub.store.accounts import address_key, check_address
from ptghub.store.sign_in_links import LIFETIME, LinkRefused
from ptghub.store.store import Store
from ptghub.web.form_pages import FORM_PAGE, page_refusals, refusal_page, safe_next
from ptghub.web.guard import Tallies
from ptghub.web.pages import render_page
from ptghub.web.session import (
    BROWSER_COOKIE,
    browser_id,
    check_csrf,
    clear_session_cookie,
    csrf_token,
    set_session_cookie,
    signed_in,
)

router = APIRouter(include_in_schema=False)

AFTER_SIGN_IN = "/me"
AFTER_SIGN_OUT = "/events/"
MINUTES = LIFETIME.seconds // 60
_TITLES = {
    "unknown": "This link does not work",
    "used": "This link was already used",
    "expired": "This link has expired",
    "other-browser": "Open this link in the browser that asked for it",
    "other-person": "This link is for another account",
}
SIGNED_OUT_EVERYWHERE = "You are signed out in every browser."
_STATUS = {"unknown": 400, "used": 410, "expired": 410, "other-browser": 403, "other-person": 403}

Field = Annotated[str, Form()]
Optional = Annotated[str | None, Form()]


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def client_address(request: Request) -> str:
    """The client's address as ``web.guard`` keys it (behind a trusted proxy, uvicorn has
    already put the forwarded address here)."""
    return request.client.host if request.client else "unknown"


def site_url(request: Request) -> str:
    """Where this site is reached: ``PTGHUB_PUBLIC_URL``, else the request's base URL."""
    public_url: str | None = request.app.state.settings.public_url
    return public_url or str(request.base_url).rstrip("/")


def oidc_provider(request: Request) -> str | None:
    """The name of the OpenID Connect provider to offer, None when none is configured.
    (The settings are helper "oidc"'s: read by name so that this page works without them.)"""
    settings = request.app.state.settings
    issuer: str | None = getattr(settings, "oidc_issuer", None)
    if not issuer:
        return None
    name: str | None = getattr(settings, "oidc_name", None)
    return name or urlsplit(issuer).hostname or issuer


def limit_mail(request: Request, address: str) -> None:
    """Spend one sign-in mail of the client and one of ``address``; RateLimited past
    either (the client's is spent first: a client trying many addresses stops there)."""
    tallies: Tallies = request.app.state.tallies
    tallies.sign_ins_per_client.check(
        client_address(request), "sign-in requests from your network address"
    )
    tallies.sign_ins_per_address.check(address_key(address), "sign-in links for this address")


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"  # pages with a token or an address
    return response


def _form(
    request: Request, next_path: str, *, error: str = "", email: str = "", notice: str = ""
) -> Response:
    csrf = csrf_token(request)
    response = render_page(
        "signin.html",
        400 if error else 200,
        title="Sign in",
        body_class=FORM_PAGE,
        csrf=csrf,
        next_path=next_path,
        default_next=next_path == AFTER_SIGN_IN,
        error=error,
        email=email,
        notice=notice,
        minutes=MINUTES,
        oidc=oidc_provider(request),
        oidc_href="/signin/oidc?" + urlencode({"next": next_path}),
    )
    browser_id(request, response)  # the browser this form's link will be bound to
    return _no_store(response)


@router.get("/signin")
@page_refusals("/signin", "Back to the sign-in page")
def signin_form(
    request: Request, next: str | None = None, signed_out: str | None = None
) -> Response:
    notice = SIGNED_OUT_EVERYWHERE if signed_out == "everywhere" else ""
    return _form(request, safe_next(next, AFTER_SIGN_IN), notice=notice)


@router.post("/signin")
@page_refusals("/signin", "Back to the sign-in page")
def signin_ask(
    request: Request, email: Field = "", csrf: Optional = None, next: Optional = None
) -> Response:
    check_csrf(request, csrf)
    next_path = safe_next(next, AFTER_SIGN_IN)
    try:
        address = check_address(email)
    except InvalidInput as error:
        return _form(request, next_path, error=error.message, email=email)
    limit_mail(request, address)
    store = _store(request)
    token = store.links.create(address, browser=browser_id(request))
    query = {"token": token} | ({} if next_path == AFTER_SIGN_IN else {"next": next_path})
    link = f"{site_url(request)}/signin/link?{urlencode(query)}"
    store.outbox.enqueue(
        to=address,
        subject="Your sign-in link",
        text=sign_in_mail(link, site_url(request)),
        kind="sign-in",
    )
    return _no_store(
        render_page(
            "signin_sent.html",
            title="Check your mail",
            body_class=FORM_PAGE,
            email=address,
            minutes=MINUTES,
        )
    )


def sign_in_mail(link: str, site: str) -> str:
    return (
        f"Someone, hopefully you, asked to sign in to {site} with this address.\n\n"
        f"To sign in, open this link in the same browser, within {MINUTES} minutes:\n\n"
        f"{link}\n\n"
        "It works once. If you did not ask, ignore this mail: no one can sign in without "
        "the link.\n"
    )


def link_refused(
    error: LinkRefused, next_path: str, *, again: str = "", again_text: str = ""
) -> Response:
    """The page of a refused link: what happened, and where to ask for a new one."""
    if not again:
        again = "/signin"
        if next_path != AFTER_SIGN_IN:
            again += "?" + urlencode({"next": next_path})
    return refusal_page(
        _STATUS[error.reason],
        _TITLES[error.reason],
        error.message,
        back_href=again,
        back_text=again_text or "Ask for a new sign-in link",
    )


@router.get("/signin/link")
@page_refusals("/signin", "Ask for a new sign-in link")
def signin_link(request: Request, token: str = "", next: str | None = None) -> Response:
    next_path = safe_next(next, AFTER_SIGN_IN)
    try:
        link = _store(request).links.peek(token)
        if not link.asked_by(request.cookies.get(BROWSER_COOKIE)):
            raise LinkRefused("other-browser")
    except LinkRefused as error:
        return link_refused(error, next_path)
    response = render_page(
        "signin_link.html",
        title="Sign in",
        body_class=FORM_PAGE,
        email=link.address,
        token=token,
        next_path=next_path,
        csrf=csrf_token(request),
    )
    return _no_store(response)


@router.post("/signin/link")
@page_refusals("/signin", "Ask for a new sign-in link")
def signin_use_link(
    request: Request, token: Field = "", csrf: Optional = None, next: Optional = None
) -> Response:
    check_csrf(request, csrf)
    next_path = safe_next(next, AFTER_SIGN_IN)
    store = _store(request)
    try:
        link = store.links.redeem(token, browser=request.cookies.get(BROWSER_COOKIE))
    except LinkRefused as error:
        return link_refused(error, next_path)
    account = store.accounts.sign_up(link.address)
    previous = signed_in(request)
    if previous is not None:  # another person's session in this browser ends here
        store.accounts.end_session(previous.account.person_id, previous.session.id)
    secret = store.accounts.start_session(
        account.person_id, via="email", user_agent=request.headers.get("user-agent", "")
    )
    response = RedirectResponse(next_path, status_code=303)
    set_session_cookie(request, response, secret)
    return response


@router.post("/signout")
@page_refusals(AFTER_SIGN_OUT)
def signout(request: Request, csrf: Optional = None, next: Optional = None) -> Response:
    found = signed_in(request)
    if found is not None:  # signed out already: nothing to protect, nothing to end
        check_csrf(request, csrf)
        _store(request).accounts.end_session(found.account.person_id, found.session.id)
    response = RedirectResponse(safe_next(next, AFTER_SIGN_OUT), status_code=303)
    clear_session_cookie(request, response)
    return response
