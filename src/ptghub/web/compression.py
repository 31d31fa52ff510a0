"""gzip for every response the client accepts it for, never for the live stream.

``Compression`` wraps the application (inside ``headers.SecurityHeaders``, outside the
guard): pages, JSON, exports, static files and error answers go out gzip-encoded when
the request's ``Accept-Encoding`` allows gzip (RFC 9110, 12.5.3: ``gzip;q=0`` refuses it,
``*`` accepts it) and the body is at least ``MINIMUM_SIZE`` bytes. Every answer that
could have been compressed says ``Vary: Accept-Encoding``, so a cache keeps both forms.

The SSE stream (``text/event-stream``, ``web.stream``) is passed through untouched and
unbuffered: a compressor holds bytes back until it has enough to work on, and a change
must reach the page at once. The compressing itself is Starlette's (``GZipResponder``);
what this module adds is the refusal by quality value and the ETag: a compressed body is
another representation than the plain one, so a strong ETag becomes weak (``W/"..."``), as
nginx does (a range asked for with ``If-Range`` is then never cut from the wrong form).
It is weak on every answer to a client that accepts gzip, 304s and bodies too small to
compress included, so that a 304 carries the very tag of the 200 it confirms. The app's
If-None-Match checks compare weakly: either form sent back gets its 304.
"""

from __future__ import annotations

from starlette.middleware.gzip import (
    DEFAULT_EXCLUDED_CONTENT_TYPES,
    GZipResponder,
    IdentityResponder,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MINIMUM_SIZE = 500  # bytes: below that the gzip header and trailer eat most of the gain
LEVEL = 6  # zlib's default: level 9 costs twice the time for a percent or two less
# Starlette already excludes the event stream; saying it here keeps it excluded whatever
# its defaults become.
EXCLUDED = (*DEFAULT_EXCLUDED_CONTENT_TYPES, "text/event-stream")


def accepts_gzip(header: str | None) -> bool:
    """Whether an Accept-Encoding header allows gzip: named (or ``x-gzip``, or ``*`` when
    gzip is not named) with a quality above zero."""
    if not header:
        return False
    qualities: dict[str, float] = {}
    for item in header.split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = 0.0  # a garbled quality is no consent
        qualities[coding.lower()] = quality
    for coding in ("gzip", "x-gzip", "*"):
        if coding in qualities:
            return qualities[coding] > 0
    return False


class Compression:
    def __init__(self, app: ASGIApp, minimum_size: int = MINIMUM_SIZE, level: int = LEVEL) -> None:
        self.app = app
        self.minimum_size = minimum_size
        self.level = level

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accept = next(
            (bytes(v).decode("latin-1") for k, v in scope["headers"] if k == b"accept-encoding"),
            None,
        )
        responder: IdentityResponder
        if gzip := accepts_gzip(accept):
            responder = GZipResponder(
                self.app,
                self.minimum_size,
                compresslevel=self.level,
                exclude_content_types=EXCLUDED,
            )
        else:  # still says Vary: Accept-Encoding where the answer could differ
            responder = IdentityResponder(
                self.app, self.minimum_size, exclude_content_types=EXCLUDED
            )

        async def send_weak_etag(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = weak_etag(list(message.get("headers", [])))
            await send(message)

        await responder(scope, receive, send_weak_etag if gzip else send)


def weak_etag(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` with a strong ETag made weak."""
    return [
        (name, b"W/" + bytes(value))
        if bytes(name).lower() == b"etag" and not bytes(value).startswith(b"W/")
        else (name, value)
        for name, value in headers
    ]
