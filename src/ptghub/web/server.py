"""Running the app with uvicorn, protected at the connection level.

uvicorn alone keeps a connection open for as long as its client likes while the request
headers are still arriving (its keep-alive timeout only runs between two requests), and
accepts connections until the process runs out of file descriptors; then every accept
fails and is logged with a traceback. ``GuardedH11`` (uvicorn's h11 protocol with limits,
made by ``guarded_protocol``) adds what one anonymous client must not be able to take:

- at most ``max_connections`` open connections, and ``max_connections_per_client`` from
  one address (a trusted proxy's excepted: it speaks for many clients); a connection
  past either gets a 503 at once and is closed, before anything is read from it;
- ``header_timeout`` seconds to send each request's headers, counted from the connection
  or from the end of the previous response; then the connection is closed;
- these refusals are logged once per ``LOG_EVERY`` seconds with a count, and so are
  uvicorn's own per-connection complaints (a malformed request) and asyncio's failed
  accepts (``ThrottledLog``), so a flood cannot become a flood of log lines.

``uvicorn_config`` builds the whole server configuration from ``WebLimits``: this
protocol, the trusted proxies (whose ``X-Forwarded-For`` gives the client address the
guard counts), no ``Server`` header.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from ptghub.web.headers import DEFAULT_CSP
from ptghub.web.limits import WebLimits

log = logging.getLogger("ptghub.web")

LOG_EVERY = 60.0  # seconds between two log lines about the same kind of refusal
FD_RESERVE = 64  # descriptors kept for the database, logs and files when capping connections

_BODY = b'{"error": "The server is busy: too many open connections. Try again shortly."}'
BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\n"
    b"content-type: application/json\r\n"
    b"content-length: " + str(len(_BODY)).encode() + b"\r\n"
    b"retry-after: 5\r\n"
    b"connection: close\r\n"
    b"x-content-type-options: nosniff\r\n"
    b"referrer-policy: same-origin\r\n"
    b"content-security-policy: " + DEFAULT_CSP.encode() + b"\r\n"
    b"\r\n" + _BODY
)


class ThrottledLog(logging.Filter):
    """Lets one record of each kind (logger and message template) through per ``every``
    seconds; the next one that passes says how many were held back, without traceback."""

    def __init__(self, every: float = LOG_EVERY, clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.every = every
        self.clock = clock
        self._last: dict[tuple[str, str], float] = {}
        self._held: dict[tuple[str, str], int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        kind = (record.name, str(record.msg))
        now = self.clock()
        last = self._last.get(kind)
        if last is not None and now - last < self.every:
            self._held[kind] = self._held.get(kind, 0) + 1
            return False
        self._last[kind] = now
        held = self._held.pop(kind, 0)
        if held:
            record.msg = f"{record.msg} (and {held} more like it in the last %.0f s)"
            record.args = (*_args(record.args), now - last if last is not None else 0.0)
            record.exc_info = None
            record.exc_text = None
        return True


def _args(args: Any) -> tuple[Any, ...]:
    if args is None:
        return ()
    return args if isinstance(args, tuple) else (args,)


class Connections:
    """The open connections of one server, counted in all and per client address."""

    def __init__(self, limits: WebLimits) -> None:
        self.limits = limits
        self.total = 0
        self.by_client: dict[str, int] = {}  # no zeros kept: an address gone leaves nothing

    def admit(self, address: str) -> tuple[str, int] | None:
        """Count a new connection, or say why it is refused (a log message and the limit
        it names) and count nothing."""
        if self.total >= self.limits.max_connections:
            return "connections refused: the server holds its limit of %d", (
                self.limits.max_connections
            )
        per_client = self.limits.max_connections_per_client
        trusted = address in self.limits.trusted_proxies
        if not trusted and self.by_client.get(address, 0) >= per_client:
            return "connections refused: one address holds its limit of %d", per_client
        self.total += 1
        self.by_client[address] = self.by_client.get(address, 0) + 1
        return None

    def release(self, address: str) -> None:
        self.total -= 1
        left = self.by_client[address] - 1
        if left:
            self.by_client[address] = left
        else:
            del self.by_client[address]


class GuardedH11(H11Protocol):
    """uvicorn's h11 protocol with the limits above (``connections`` is set per server)."""

    connections_of_server: Connections

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._admitted: str | None = None
        self._header_timer: asyncio.TimerHandle | None = None
        address = self.client[0] if self.client else "unknown"
        counts = self.connections_of_server
        refused = counts.admit(address)
        if refused is not None:
            log.warning(*refused)
            transport.write(BUSY)
            transport.close()
            return
        self._admitted = address
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        if getattr(self, "_header_timer", None) is not None:
            assert self._header_timer is not None
            self._header_timer.cancel()
            self._header_timer = None
        if getattr(self, "_admitted", None) is not None:
            assert self._admitted is not None
            self.connections_of_server.release(self._admitted)
            self._admitted = None
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_header_timer()  # the next request's headers get the same time

    def _arm_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
        timeout = self.connections_of_server.limits.header_timeout
        self._header_timer = self.loop.call_later(timeout, self._headers_late)

    def _headers_late(self) -> None:
        self._header_timer = None
        waiting = self.cycle is None or self.cycle.response_complete
        if waiting and self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            log.warning(
                "connections closed: request headers not complete within %.0f s",
                self.connections_of_server.limits.header_timeout,
            )
            self.transport.close()


def guarded_protocol(limits: WebLimits) -> type[GuardedH11]:
    """A protocol class whose servers share one count of connections (one per call)."""
    return type(
        "GuardedH11",
        (GuardedH11,),
        {"connections_of_server": Connections(limits)},
    )


def connection_cap(wanted: int) -> int:
    """``wanted``, or fewer when the open-files limit would not allow that many."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or wanted + FD_RESERVE <= soft:
        return wanted
    return max(1, soft - FD_RESERVE)


def throttle_logs(every: float = LOG_EVERY) -> ThrottledLog:
    """Throttle the loggers that speak once per connection (installed once per logger)."""
    throttle = ThrottledLog(every)
    for name in ("ptghub.web", "uvicorn.error", "asyncio"):
        logger = logging.getLogger(name)
        for old in [f for f in logger.filters if isinstance(f, ThrottledLog)]:
            logger.removeFilter(old)
        logger.addFilter(throttle)
    return throttle


def uvicorn_config(
    app: Any, limits: WebLimits, *, host: str, port: int, **options: Any
) -> uvicorn.Config:
    """The uvicorn configuration for ``app`` under ``limits`` (``options`` pass through,
    e.g. ``log_level``, ``timeout_graceful_shutdown``)."""
    cap = connection_cap(limits.max_connections)
    if cap < limits.max_connections:
        log.warning(
            "web_max_connections lowered from %d to %d: the open-files limit allows no more",
            limits.max_connections,
            cap,
        )
        limits = replace(limits, max_connections=cap)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        http=guarded_protocol(limits),
        server_header=False,
        proxy_headers=True,
        forwarded_allow_ips=list(limits.trusted_proxies),
        **options,
    )
    throttle_logs()  # after uvicorn configured its loggers
    return config
