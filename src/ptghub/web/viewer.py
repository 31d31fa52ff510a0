"""Who is looking at the page being rendered: every page's header shows "Sign in", or the
person's name (a link to their page) and a sign-out button.

The pages are rendered by ``render_page``, which knows nothing of the request; as for the
simulated clock (``clock_note``), ``ViewerNote`` (ASGI middleware) makes the request
known to the templates for its duration, and the template global ``viewer()`` reads it.
Nothing is looked up until a template asks, and the lookup is the endpoint's own
(``session.signed_in`` keeps it in the request's state): a page costs no second query.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import quote

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ptghub.web.session import SEEN, SignedIn, csrf_token, signed_in

_SCOPE: ContextVar[Scope | None] = ContextVar("ptghub_viewer_scope", default=None)
SIGN_IN = "/signin"


@dataclass(frozen=True, slots=True)
class Viewer:
    """``signed_in``: the person, or None; ``csrf``: the token of this browser's forms
    (empty when signed out: the header then has no form); ``sign_in_href``: the sign-in
    page, coming back to this page afterwards."""

    signed_in: SignedIn | None
    csrf: str
    sign_in_href: str

    @property
    def name(self) -> str:
        return self.signed_in.account.display_name if self.signed_in else ""


ANONYMOUS = Viewer(None, "", SIGN_IN)


def _back_here(request: Request) -> str:
    path = request.url.path
    if request.method != "GET" or path.startswith(SIGN_IN):
        return SIGN_IN
    here = path + (f"?{request.url.query}" if request.url.query else "")
    return f"{SIGN_IN}?next={quote(here, safe='/')}"


def viewer() -> Viewer:
    """The viewer of the page being rendered (anonymous outside a request)."""
    scope = _SCOPE.get()
    if scope is None:
        return ANONYMOUS
    request = Request(scope)
    found = signed_in(request)
    if found is None:
        return Viewer(None, "", _back_here(request))
    return Viewer(found, csrf_token(request), SIGN_IN)


class ViewerNote:
    """Makes each HTTP request known to the page templates while it is served."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = _SCOPE.set(scope)

        async def send_private(message: Message) -> None:
            # A page made for a signed-in person (their name, their forms' token) is
            # theirs: no shared cache may keep it for the next visitor.
            if message["type"] == "http.response.start" and scope.get("state", {}).get(SEEN):
                headers = list(message.get("headers", []))
                if not any(bytes(name).lower() == b"cache-control" for name, _ in headers):
                    headers.append((b"cache-control", b"private, no-store"))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_private)
        finally:
            _SCOPE.reset(token)
