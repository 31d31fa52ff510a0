"""Sign-in with OpenID Connect: ``GET /signin/oidc`` and its callback.

``/signin/oidc?next=PATH`` makes a fresh ``state``, ``nonce`` and PKCE verifier, keeps them
in this browser (the ``ptghub_oidc`` cookie: HttpOnly, SameSite=Lax, sent only to
``/signin/oidc``, ten minutes, its contents HMAC-signed under the site secret "oidc" so
nobody can forge or alter one) and sends the browser to the provider. The provider sends
it back to ``/signin/oidc/callback?code=...&state=...``, which:

1. refuses an answer whose ``state`` is not one this browser started (another browser's
   sign-in, a forged link, an expired or replayed attempt), or that names another issuer
   (RFC 9207) — each attempt is used once;
2. exchanges the code (with the PKCE verifier) and verifies the ID token
   (``oidc_protocol``), its ``nonce`` being the attempt's;
3. finds the person (``store.oidc_identities.person_for``): by the provider's subject,
   else by a verified email address, else a new person with that address; a first
   sign-in without a verified address is refused;
4. starts a session (``via="oidc"``), sets its cookie and goes to ``next``: a path on this
   site, never another site's address (anything else goes to ``/``).

Each refusal is an HTML page (400, 403; 502 when the provider fails) that says what went
wrong. The routes answer 404 when ``PTGHUB_OIDC_ISSUER`` is unset.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from ptghub.core.errors import InvalidInput
from ptghub.settings import Settings
from ptghub.store.oidc_identities import NoVerifiedAddress, person_for
from ptghub.store.store import Store
from ptghub.web.oidc_protocol import OidcRefused, Provider
from ptghub.web.pages import render_page
from ptghub.web.session import secure_cookies, set_session_cookie

router = APIRouter(include_in_schema=False)

ATTEMPT_COOKIE = "ptghub_oidc"
ATTEMPT_PATH = "/signin/oidc"
ATTEMPT_LIFETIME = 600  # seconds between leaving for the provider and coming back
MAX_ATTEMPTS = 3  # sign-ins started in other tabs that still may come back
MAX_NEXT = 1000


@dataclass(frozen=True, slots=True)
class Attempt:
    state: str
    nonce: str
    verifier: str
    next: str
    expires: float


def same_site_path(value: str | None) -> str:
    """``value`` when it is a path on this site (``/events/x?y``), else ``/``: never an
    absolute or scheme-relative address, which would make sign-in an open redirect."""
    if not value or len(value) > MAX_NEXT or not value.startswith("/"):
        return "/"
    if value.startswith("//") or "\\" in value or not value.isprintable():
        return "/"
    parts = urlsplit(value)
    return "/" if parts.scheme or parts.netloc else value


# -- the attempt cookie -----------------------------------------------------------------


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _mac(store: Store, payload: str) -> str:
    key = store.accounts.site_secret("oidc")
    return hmac.new(key, payload.encode("ascii"), hashlib.sha256).hexdigest()


def _same(a: str, b: str) -> bool:
    # Bytes: compare_digest refuses str with non-ASCII characters, which anyone can send.
    return hmac.compare_digest(a.encode(), b.encode())


def _seal(store: Store, attempts: list[Attempt]) -> str:
    data = json.dumps([asdict(a) for a in attempts], separators=(",", ":"))
    payload = base64.urlsafe_b64encode(data.encode()).decode("ascii").rstrip("=")
    return f"{payload}.{_mac(store, payload)}"


def _attempts(request: Request) -> list[Attempt]:
    """This browser's unexpired sign-in attempts; none when its cookie is missing, expired
    or not signed by this site."""
    value = request.cookies.get(ATTEMPT_COOKIE, "")
    payload, _, mac = value.partition(".")
    if not payload or not _same(mac, _mac(_store(request), payload)):
        return []
    try:
        data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        attempts = [Attempt(**item) for item in json.loads(data)]
    except (ValueError, TypeError):
        return []
    return [a for a in attempts if a.expires > time.time()]


def _keep(request: Request, response: Response, attempts: list[Attempt]) -> None:
    if not attempts:
        response.delete_cookie(
            ATTEMPT_COOKIE, path=ATTEMPT_PATH, httponly=True, samesite="lax",
            secure=secure_cookies(request),
        )  # fmt: skip
        return
    response.set_cookie(
        ATTEMPT_COOKIE,
        _seal(_store(request), attempts),
        max_age=ATTEMPT_LIFETIME,
        path=ATTEMPT_PATH,
        httponly=True,
        samesite="lax",  # sent on the provider's top-level redirect back, not on a POST
        secure=secure_cookies(request),
    )


# -- the provider -----------------------------------------------------------------------


def provider_of(request: Request) -> Provider | None:
    """The configured provider (one per app, made on first use), None when unset."""
    settings: Settings = request.app.state.settings
    if not settings.oidc_issuer:
        return None
    found: Provider | None = getattr(request.app.state, "oidc_provider", None)
    if found is None or found.issuer != settings.oidc_issuer:
        found = Provider(
            settings.oidc_issuer, settings.oidc_client_id or "", settings.oidc_client_secret or ""
        )
        request.app.state.oidc_provider = found
    return found


def _redirect_uri(request: Request) -> str:
    public_url: str | None = request.app.state.settings.public_url
    if public_url:
        return f"{public_url}{ATTEMPT_PATH}/callback"
    return str(request.url_for("oidc_callback"))


def _name(request: Request) -> str:
    settings: Settings = request.app.state.settings
    return settings.oidc_name


def _refusal(request: Request, refused: OidcRefused) -> Response:
    response = render_page(
        "error.html",
        refused.status,
        title=refused.title,
        message=refused.message,
        back_href="/signin",
        back_text="Back to signing in",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _not_set_up(request: Request) -> Response:
    return _refusal(
        request,
        OidcRefused(
            "Sign-in with OpenID Connect is not set up on this site (PTGHUB_OIDC_ISSUER).",
            status=404,
            title="Not available",
        ),
    )


# -- the routes -------------------------------------------------------------------------


@router.get("/signin/oidc", name="oidc_start")
def start(request: Request, next_path: str | None = Query(None, alias="next")) -> Response:
    provider = provider_of(request)
    if provider is None:
        return _not_set_up(request)
    settings: Settings = request.app.state.settings
    attempt = Attempt(
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        verifier=secrets.token_urlsafe(48),  # 64 characters, within RFC 7636's 43 to 128
        next=same_site_path(next_path),
        expires=time.time() + ATTEMPT_LIFETIME,
    )
    try:
        url = provider.authorization_url(
            redirect_uri=_redirect_uri(request),
            scopes=settings.oidc_scopes,
            state=attempt.state,
            nonce=attempt.nonce,
            verifier=attempt.verifier,
        )
    except OidcRefused as refused:
        return _refusal(request, refused)
    response = RedirectResponse(url, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    _keep(request, response, [*_attempts(request)[-(MAX_ATTEMPTS - 1) :], attempt])
    return response


@router.get("/signin/oidc/callback", name="oidc_callback")
def callback(request: Request) -> Response:
    provider = provider_of(request)
    if provider is None:
        return _not_set_up(request)
    params = request.query_params
    attempts = _attempts(request)
    given = params.get("state", "")
    attempt = next((a for a in attempts if _same(a.state, given)), None)
    others = [a for a in attempts if a is not attempt]  # each attempt is used once
    try:
        response = _finish(request, provider, attempt, had_attempts=bool(attempts))
    except OidcRefused as refused:
        response = _refusal(request, refused)
    _keep(request, response, others)
    return response


def _finish(
    request: Request, provider: Provider, attempt: Attempt | None, *, had_attempts: bool
) -> Response:
    params, name = request.query_params, _name(request)
    if "error" in params:
        error = params["error"][:100]
        # The provider's own words only for this browser's sign-in: anyone can make a
        # link to this address, and the page should not repeat a stranger's text.
        detail = params.get("error_description", "")[:300] if attempt else ""
        said = f" It said: {detail}" if detail else ""
        if attempt is None:
            error = "".join(c for c in error if c.isalnum() or c in "_-.")
        if error == "access_denied":
            raise OidcRefused(
                f"Signing in with {name} was cancelled, or {name} did not allow it; you are "
                f"not signed in.{said}",
                status=403,
                title="Sign-in cancelled",
            )
        raise OidcRefused(f"{name} could not sign you in ({error}).{said}")
    if not params.get("code") or not params.get("state"):
        raise OidcRefused(
            f"This address is where {name} sends you back after signing in, but the "
            "answer lacks its code or state. Start the sign-in again."
        )
    if attempt is None:
        if not had_attempts:
            raise OidcRefused(
                "This sign-in did not start in this browser, or it started more than ten "
                "minutes ago, or it was already used. Start the sign-in again."
            )
        raise OidcRefused(
            "The answer's state is not the one this browser's sign-in started with: it "
            "belongs to another sign-in. Start the sign-in again."
        )
    info = provider.info()
    if info.iss_parameter and params.get("iss") != provider.issuer:
        raise OidcRefused(
            f"The answer comes from issuer {params.get('iss', '(none)')[:100]!r}, not from "
            f"{name}. Start the sign-in again."
        )
    tokens = provider.exchange_code(
        code=params["code"], redirect_uri=_redirect_uri(request), verifier=attempt.verifier
    )
    claims = provider.verify_id_token(tokens.id_token, nonce=attempt.nonce)
    if not ("email" in claims and "email_verified" in claims) and tokens.access_token:
        claims = {**provider.userinfo(tokens.access_token, subject=claims["sub"]), **claims}
    person = _person(request, provider, claims)
    store = _store(request)
    secret = store.accounts.start_session(
        person, via="oidc", user_agent=request.headers.get("user-agent", "")
    )
    response = RedirectResponse(attempt.next, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    set_session_cookie(request, response, secret)
    return response


def _person(request: Request, provider: Provider, claims: dict[str, Any]) -> int:
    email = claims.get("email")
    verified = claims.get("email_verified")
    try:
        return person_for(
            _store(request).accounts,
            issuer=provider.issuer,
            subject=claims["sub"],
            email=email if isinstance(email, str) else None,
            # Some providers send the JSON string "true".
            email_verified=verified is True or verified == "true",
            name=claims.get("name"),
        ).person_id
    except NoVerifiedAddress as error:
        raise OidcRefused(error.message, status=403, title="A verified email is needed") from None
    except InvalidInput as error:
        raise OidcRefused(
            f"The email address {_name(request)} gives is not one ptghub accepts: {error.message}"
        ) from None
