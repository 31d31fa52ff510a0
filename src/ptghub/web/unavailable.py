"""503 while the database cannot be reached: ``DatabaseUnavailable``, the app's outermost
middleware.

When PostgreSQL restarts, every request that needs it fails at once (the connection is
refused, or a pooled connection is found dead), or after ``PTGHUB_DB_CONNECT_TIMEOUT``
(an unreachable host) or ``PTGHUB_DB_POOL_TIMEOUT`` (every connection busy). Whatever layer
met the error (a page, the API, the guard identifying a token, the stream's first read),
the answer is 503 with ``Retry-After``: ``{"error": ...}`` for programs (the addresses
``site_pages.wants_json`` names), a short HTML page for people. A warning is logged once
a minute with the number of requests refused meanwhile, not a traceback per request.
Nothing is kept: the next request tries the database again, and the pool's pre-ping
replaces the connections that died (``store.pool``), so ptghub recovers by itself.

Open event streams are left alone: they do not hold a connection, their heartbeats go
on, and the follower (``live.follower``) retries its reads until the database answers,
then delivers the changes made meanwhile.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time

from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ptghub.web.pages import render_page
from ptghub.web.site_pages import wants_json

log = logging.getLogger(__name__)

RETRY_AFTER = 5  # seconds: a restart usually takes a few
LOG_EVERY = 60.0  # seconds between two warnings
_SQLITE_AWAY = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR")
MESSAGE = "The database cannot be reached just now; try again in a few seconds."


def database_down(error: BaseException) -> bool:
    """Whether ``error`` says the database is out of reach (or too busy), not that a
    query is wrong: an operational error (refused, dropped, shutting down, starting up),
    a dead connection found, or no free connection in the pool in time. SQLite reports
    bad SQL as an operational error too: only its busy, locked, unopenable and I/O
    errors count. A group of errors (from a task group) counts when every error does."""
    if isinstance(error, BaseExceptionGroup):
        return all(database_down(inner) for inner in error.exceptions)
    if isinstance(error, PoolTimeout):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if not isinstance(error, OperationalError):
        return False
    if isinstance(error.orig, sqlite3.Error):
        return getattr(error.orig, "sqlite_errorname", "").startswith(_SQLITE_AWAY)
    return True


def unavailable_response(path: str, *, again: str | None = None) -> Response:
    """The 503 for a request of ``path``: JSON for programs, a page for people, whose
    link leads to ``again`` (the address to load again), else to the list of events."""
    headers = {"Retry-After": str(RETRY_AFTER), "Cache-Control": "no-store"}
    if wants_json(path):
        return JSONResponse({"error": MESSAGE}, status_code=503, headers=headers)
    response = render_page(
        "error.html",
        503,
        title="Temporarily unavailable",
        message=MESSAGE,
        back_href=again or "/events/",
        back_text="Try again" if again else "See the list of events",
    )
    response.headers.update(headers)
    return response


def _again(scope: Scope) -> str | None:
    """The address a GET came to, to load again; not one starting "//", which a link
    would take to another site."""
    raw = scope.get("raw_path")  # as sent, still percent-encoded
    path = raw.decode("latin-1") if raw else str(scope["path"])
    if scope["method"] != "GET" or not path.startswith("/") or path.startswith("//"):
        return None
    query = bytes(scope.get("query_string", b"")).decode("latin-1")
    return path + (f"?{query}" if query else "")


class _Warnings:
    """One warning per ``LOG_EVERY`` seconds, counting the refusals in between."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._logged_at = -LOG_EVERY
        self._unlogged = 0

    def refused(self, error: BaseException) -> None:
        with self._lock:
            now = time.monotonic()
            if now - self._logged_at < LOG_EVERY:
                self._unlogged += 1
                return
            self._logged_at, unlogged, self._unlogged = now, self._unlogged, 0
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()
        log.warning(
            "database unavailable, answering 503 (%d more since the last warning): %s",
            unlogged,
            reason[0] if reason else type(error).__name__,
        )


class DatabaseUnavailable:
    """ASGI middleware: a database that cannot be reached becomes a 503 (see above)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.warnings = _Warnings()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except BaseException as error:
            if started or not database_down(error):
                raise  # an answer under way cannot be taken back: the client sees it cut
            self.warnings.refused(error)
            response = unavailable_response(scope["path"], again=_again(scope))
            await response(scope, receive, send)
