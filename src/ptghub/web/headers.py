"""Security headers on every response: HTML, JSON, exports, streams, static files, errors.

``SecurityHeaders`` wraps the whole application, outside Starlette's own error handling,
so that even a 500 carries them. Every response gets ``X-Content-Type-Options: nosniff``
(a browser never runs a JSON body or a calendar as a script), ``Referrer-Policy:
same-origin`` (a link to an etherpad does not tell it which page it came from) and a
Content-Security-Policy: the one an HTML page set for itself (``PAGE_CSP`` for the event
pages, ``DOCS_CSP`` for the API docs), else ``DEFAULT_CSP``, which allows nothing at all:
what is not a page of ours has no business running or loading anything.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The event pages: no inline script anywhere, so scripts come from this site only. Inline
# style *attributes* carry the badge colours (normalised to #rrggbb beforehand); no
# <style> element is used, so only attributes may be inline.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "style-src-attr 'unsafe-inline'; img-src 'self' https: http:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
# /docs (Swagger UI): script and stylesheet from this site (web.docs serves them from the
# installed package, no CDN). Swagger UI sets styles at run time and shows its icons as
# data: images.
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

FIXED = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = with_security_headers(list(message.get("headers", [])))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def with_security_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` plus the fixed ones and a CSP, where the response has not set them;
    without the server's name (the ASGI server adds its own only when configured to)."""
    names = {bytes(name).lower() for name, _ in headers}
    kept = [(name, value) for name, value in headers if bytes(name).lower() != b"server"]
    kept += [(name, value) for name, value in FIXED if name not in names]
    if b"content-security-policy" not in names:
        kept.append((b"content-security-policy", DEFAULT_CSP.encode()))
    return kept
