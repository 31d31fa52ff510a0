"""The guard: what is refused before a request reaches its endpoint.

An ASGI middleware, because FastAPI reads and parses a body before any dependency runs:
by the time ``web.auth`` looks at the token, an anonymous client could already have made
the server hold hundreds of megabytes. Here, in this order, before a byte of the body is
read:

1. a write to the API (an operation whose OpenAPI entry asks for the bearer token) from
   an address that failed authentication too often gets 429 with ``Retry-After``; one
   without a token or with an unknown token gets 401 (the failure is counted for its
   address); one over its token's write rate gets 429 with ``Retry-After``;
2. a body declared (``Content-Length``) larger than the endpoint accepts gets 413, and
   one that grows past it while streaming (chunked) gets 413 as soon as it does;
3. a live stream beyond ``max_streams_per_client`` open from one client address gets
   429 (a trusted proxy's own address, when it names no client, is not limited).

The guard identifies the token once, for the event its path names (a token may be scoped
to one event, or expired: 403 or 401 with the store's reason), and hands the holder's nick
to ``web.auth`` in the request's state, which turns it into the request's Actor.
Refusals are ``{"error": ...}`` JSON like every other API error; a refusal sent while
the client still has a body to send closes the connection, so the unread body is never
read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import time
from collections.abc import Callable
from typing import Any

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ptghub.core.ratelimit import RateLimiter, retry_after_seconds, too_many
from ptghub.store.tokens import TokenRefused
from ptghub.web.auth import HOLDER, MISSING, REALM, UNKNOWN, Unauthorized
from ptghub.web.limits import WebLimits

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# A command: to the API, or from a page's form (web.actions).
COMMANDS = re.compile(r"(?:/api/v1)?/events/[^/]+/commands")
STREAM = re.compile(r"/events/[^/]+/stream|/me/notices/stream")  # live and personal


class BodyTooLarge(Exception):
    """Raised from ``receive`` to stop an endpoint that is reading a body past its limit."""


def _json(status: int, message: str, headers: dict[str, str] | None = None) -> list[Message]:
    body = json.dumps({"error": message}).encode()
    raw = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    return [
        {"type": "http.response.start", "status": status, "headers": raw},
        {"type": "http.response.body", "body": body},
    ]


def too_large(limit: int) -> str:
    return (
        f"The request body is larger than the {limit} bytes this address accepts; "
        "send a smaller one."
    )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def _bearer(scope: Scope) -> str | None:
    """The token of an ``Authorization: Bearer TOKEN`` header, as ``HTTPBearer`` reads it."""
    header = _header(scope, b"authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def _template(path: str) -> re.Pattern[str]:
    """An OpenAPI path template as a regular expression (each parameter one segment)."""
    parts = re.split(r"\{([^}]+)\}", path)
    # re.split with a group alternates text and parameter names: text, name, text, ...
    return re.compile(
        "".join(
            re.escape(part) if n % 2 == 0 else f"(?P<{part}>[^/]+)" for n, part in enumerate(parts)
        )
    )


class Tallies:
    """What the guard counts, kept by the app (``app.state.tallies``): failed
    authentications per client address, writes per token (a digest, not the secret),
    sign-in mails per address and per client address, open live streams per client
    address (an address with none has no entry)."""

    def __init__(self, limits: WebLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.failures = RateLimiter(limits.auth_failures, clock=clock)
        self.writes = RateLimiter(limits.writes, clock=clock)
        # Sign-in mails asked for (web.signin_pages), per address mailed and per client.
        self.sign_ins_per_address = RateLimiter(limits.sign_ins_per_address, clock=clock)
        self.sign_ins_per_client = RateLimiter(limits.sign_ins_per_client, clock=clock)
        self.streams: dict[str, int] = {}


class Guard:
    """The middleware; ``identify(token, event=SLUG)`` gives who holds the token, None for
    an unknown one, or raises TokenRefused (blocking: run in a worker thread),
    ``openapi()`` the app's OpenAPI document (which operations need the token)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limits: WebLimits,
        tallies: Tallies,
        identify: Callable[..., str | None],
        openapi: Callable[[], dict[str, Any]],
    ) -> None:
        self.app = app
        self.limits = limits
        self.identify = identify
        self.openapi = openapi
        self.failures = tallies.failures
        self.writes = tallies.writes
        self.streams = tallies.streams
        self._secured: list[tuple[str, re.Pattern[str]]] | None = None

    def secured(self, method: str, path: str) -> dict[str, str] | None:
        """The path's parameters when its operation needs the bearer token (from the
        OpenAPI), else None."""
        if self._secured is None:
            self._secured = [
                (verb.upper(), _template(template))
                for template, operations in self.openapi().get("paths", {}).items()
                for verb, operation in operations.items()
                if verb.upper() in WRITE_METHODS and operation.get("security")
            ]
        for verb, rx in self._secured:
            match = rx.fullmatch(path) if verb == method else None
            if match is not None:
                return match.groupdict()
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        refusal = None
        params = self.secured(method, path) if method in WRITE_METHODS else None
        if params is not None:
            refusal = await self._authenticate(scope, params.get("slug"))
        limit = self.limits.max_body
        if method == "POST" and COMMANDS.fullmatch(path):
            limit = self.limits.max_command_body
        if refusal is None:
            declared = _header(scope, b"content-length")
            if declared is not None and declared.strip().isdigit() and int(declared) > limit:
                refusal = _json(413, too_large(limit))
        if refusal is not None:
            await self._refuse(scope, send, refusal)
            return
        if method == "GET" and STREAM.fullmatch(path):
            await self._stream(scope, receive, send)
            return
        await self._limited(scope, receive, send, limit)

    async def _authenticate(self, scope: Scope, event: str | None) -> list[Message] | None:
        address = _client(scope)
        wait = self.failures.wait(address)
        if wait > 0:
            what = "failed authentications from your address"
            return _json(429, too_many(what, wait), _retry(wait))
        token = _bearer(scope)
        if token is None:
            return _json(401, MISSING, {"WWW-Authenticate": f'Bearer realm="{REALM}"'})
        try:
            holder = await anyio.to_thread.run_sync(lambda: self.identify(token, event=event))
        except TokenRefused as error:
            self.failures.charge(address)
            refused = Unauthorized(error.message, invalid_token=True, other_event=error.wrong_event)
            return _json(refused.status, refused.message, {"WWW-Authenticate": refused.challenge})
        if holder is None:
            self.failures.charge(address)
            challenge = f'Bearer realm="{REALM}", error="invalid_token"'
            return _json(401, UNKNOWN, {"WWW-Authenticate": challenge})
        key = hashlib.sha256(token.encode()).hexdigest()  # no secret kept in memory
        wait = self.writes.hit(key)
        if wait > 0:
            return _json(429, too_many("writes with this token", wait), _retry(wait))
        scope.setdefault("state", {})[HOLDER] = holder
        return None

    async def _refuse(self, scope: Scope, send: Send, messages: list[Message]) -> None:
        if _has_body(scope):
            # The client has a body on its way: close rather than read it to stay in step.
            messages[0]["headers"].append((b"connection", b"close"))
        for message in messages:
            await send(message)

    async def _stream(self, scope: Scope, receive: Receive, send: Send) -> None:
        address = _client(scope)
        if address in self.limits.trusted_proxies:
            # A proxy that names no client (no X-Forwarded-For) speaks for many of them.
            await self.app(scope, receive, send)
            return
        open_now = self.streams.get(address, 0)
        if open_now >= self.limits.max_streams_per_client:
            message = (
                f"Too many live streams from your address (at most "
                f"{self.limits.max_streams_per_client} at once); close one and try again."
            )
            await self._refuse(scope, send, _json(429, message, {"Retry-After": "10"}))
            return
        self.streams[address] = open_now + 1
        try:
            await self.app(scope, receive, send)
        finally:
            left = self.streams[address] - 1
            if left:
                self.streams[address] = left
            else:
                del self.streams[address]

    async def _limited(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Run the endpoint with a ``receive`` that stops at ``limit`` bytes; its answer is
        then replaced by the 413."""
        received = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise BodyTooLarge(too_large(limit))
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # the endpoint's answer to the interrupted body: the 413 replaces it
            started = started or message["type"] == "http.response.start"
            await send(message)

        with contextlib.suppress(BodyTooLarge):  # an endpoint let it through: answered below
            await self.app(scope, counting_receive, guarded_send)
        if exceeded and not started:
            await self._refuse(scope, send, _json(413, too_large(limit)))


def _has_body(scope: Scope) -> bool:
    length = _header(scope, b"content-length")
    if length is not None:
        return length.strip() not in ("", "0")
    return _header(scope, b"transfer-encoding") is not None


def _retry(wait: float) -> dict[str, str]:
    return {"Retry-After": str(retry_after_seconds(wait))}
