"""``GET /metrics``: the Prometheus metrics (``ptghub.metrics``) of the web server.

``RequestMetrics`` (a middleware outside the guard, so its refusals count too) counts
each request by its route's path template (``/events/{slug}/board``; ``(none)`` for an
address no route serves) and status, and times it to the end of its body; a live stream
is counted when it opens and not timed. ``lifespan`` starts, with the app, the counting
of the store's database statements and of its writes, and a task that reads every
``REFRESH`` seconds what this worker's gauges show (viewers per event, the follower's
lag, the bots' state); a scrape reads them once more first.

Access: with ``PTGHUB_METRICS_TOKEN`` set, ``/metrics`` wants ``Authorization: Bearer
<token>`` (else 401); unset, it answers anyone, like the public pages whose events and
counts it shows. Not in the OpenAPI schema: it is for a monitoring system, not the API.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import Gauge
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ptghub import metrics
from ptghub.live.follower import Event

log = logging.getLogger(__name__)

router = APIRouter()
REFRESH = 5.0  # seconds between two readings of this worker's gauges
NO_ROUTE = "(none)"


class RequestMetrics:
    """Counts and times every HTTP request by route template, method and status."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        handle = self._measured if scope["type"] == "http" else self.app
        await handle(scope, receive, send)

    async def _measured(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = 500  # unless a response starts: an exception becomes Starlette's 500
        streaming = False

        async def counting_send(message: Message) -> None:
            nonlocal status, streaming
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = dict(message.get("headers", []))
                streaming = headers.get(b"content-type", b"").startswith(b"text/event-stream")
                if streaming:
                    _count(scope, status)
            await send(message)

        try:
            await self.app(scope, receive, counting_send)
        finally:
            if not streaming:
                route = _count(scope, status)
                elapsed = time.perf_counter() - started
                metrics.HTTP_SECONDS.labels(route, scope["method"]).observe(elapsed)


def _count(scope: Scope, status: int) -> str:
    found = scope.get("route")
    route = getattr(found, "path", None) or NO_ROUTE
    metrics.HTTP_REQUESTS.labels(route, scope["method"], str(status)).inc()
    return str(route)


def refresh(app: FastAPI) -> None:
    """Set this worker's gauges from what it holds now (on the event loop's thread)."""
    live = getattr(app.state, "live", None)
    if live is not None:
        viewed = {slug: live.bus.count(slug) for slug in live.bus.topics()}
        _set(metrics.VIEWERS, app.state.metrics_viewed, viewed)
        app.state.metrics_viewed = set(viewed)
        lags: dict[str, float] = {}
        feed = live.watcher.feed
        if feed is not None:
            now = time.monotonic()
            for event in feed.events():
                seen = feed.follower.seen(event)
                if seen is not None:
                    lags[_label(event)] = max(0.0, now - seen[1])
        _set(metrics.FOLLOWER_LAG, app.state.metrics_lagging, lags)
        app.state.metrics_lagging = set(lags)
    metrics.refresh_bots()


def _label(event: Event) -> str:
    return event if event is not None else "(current)"


def _set(gauge: Gauge, before: set[str], values: dict[str, float]) -> None:
    for label, value in values.items():
        gauge.labels(label).set(value)
    for gone in before - set(values):
        gauge.labels(gone).set(0)  # kept at 0: a multiprocess file cannot forget a label


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Count the store's statements and writes, and read the gauges every ``REFRESH`` s."""
    metrics.count_queries(app.state.store.engine)
    app.state.metrics_viewed = set()
    app.state.metrics_lagging = set()

    async def every() -> None:
        while True:
            try:
                refresh(app)
            except Exception:
                log.exception("metrics: reading the gauges failed")
            await asyncio.sleep(REFRESH)

    task = asyncio.get_running_loop().create_task(every(), name="ptghub-metrics")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        _set(metrics.VIEWERS, app.state.metrics_viewed, {})  # its streams are closed
        _set(metrics.FOLLOWER_LAG, app.state.metrics_lagging, {})
        metrics.process_ended()


@router.get("/metrics", include_in_schema=False)
async def get_metrics(request: Request) -> Response:
    """The metrics in Prometheus' text format (a bearer token when one is configured)."""
    wanted = request.app.state.settings.metrics_token
    if wanted:
        given = request.headers.get("authorization", "")
        scheme, _, token = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            token.strip().encode(), wanted.encode()
        ):
            return JSONResponse(
                {"error": "The metrics need 'Authorization: Bearer <PTGHUB_METRICS_TOKEN>'."},
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
            )
    if hasattr(request.app.state, "metrics_viewed"):
        refresh(request.app)
    outbox = metrics.OutboxDepth(request.app.state.store.engine)
    body = await anyio.to_thread.run_sync(metrics.exposition, [outbox])
    return Response(body, media_type=metrics.CONTENT_TYPE)
