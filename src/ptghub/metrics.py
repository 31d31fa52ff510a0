"""The process's Prometheus metrics (prometheus-client), and how they are read out.

Every name starts with ``ptghub_``; docs/monitoring.md says what each one means. Label
values are bounded: routes are path templates, never raw paths; events are the slugs
viewers or the follower hold, front ends and bots the few the code knows.

Several workers: when ``PROMETHEUS_MULTIPROC_DIR`` is set before this module is first
imported, prometheus-client keeps every worker's values in files of that directory, and
``exposition`` adds them all up (``MultiProcessCollector``): counters and histograms
summed, viewers summed over the live workers, lag and bot state the largest of them.
Without it, the process's own registry, with prometheus-client's process metrics.

What is cheap to read where it is kept is read when it is asked for: the viewers and
the follower lag of a worker by ``refresh`` (its app calls it every few seconds and at
each scrape), the outbox depth by a collector at each scrape (``OutboxDepth``).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine, event, func, select

from ptghub.store import tables as t
from ptghub.store.observed import listeners

log = logging.getLogger(__name__)

MULTIPROCESS = "PROMETHEUS_MULTIPROC_DIR"
# The classic text format: every Prometheus reads it, and no name here needs the escaping
# that the newer 1.0.0 format adds.
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4

HTTP_REQUESTS = Counter(
    "ptghub_http_requests",
    "HTTP requests answered, by route template, method and status.",
    ["route", "method", "status"],
)
HTTP_SECONDS = Histogram(
    "ptghub_http_request_duration_seconds",
    "Time to answer an HTTP request (to the end of its body; live streams excluded).",
    ["route", "method"],
)
COMMAND_SECONDS = Histogram(
    "ptghub_command_duration_seconds",
    "Time of one write through the store (a command, a change, an undo, a new event), "
    "by kind, front end and outcome (applied, unchanged, refused).",
    ["kind", "frontend", "outcome"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
DB_QUERIES = Counter(
    "ptghub_db_queries", "SQL statements this process sent to the database.", ["backend"]
)
VIEWERS = Gauge(
    "ptghub_viewers",
    "Live streams open on an event's pages.",
    ["event"],
    multiprocess_mode="livesum",
)
FOLLOWER_LAG = Gauge(
    "ptghub_follower_lag_seconds",
    "Seconds since the change follower last read a viewed event successfully.",
    ["event"],
    multiprocess_mode="livemax",
)
BOT_CONNECTED = Gauge(
    "ptghub_bot_connected",
    "1 while a chat bot running in this process is connected (and in its channel), else 0.",
    ["bot"],
    multiprocess_mode="livemax",
)

listeners.append(
    lambda call: COMMAND_SECONDS.labels(call.kind, call.frontend, call.outcome).observe(
        call.seconds
    )
)


# -- the database's statements ----------------------------------------------------------

_counted: set[int] = set()
_counted_lock = threading.Lock()


def count_queries(engine: Engine) -> None:
    """Count every statement ``engine`` sends (once per engine, however often called)."""
    with _counted_lock:
        if id(engine) in _counted:
            return
        _counted.add(id(engine))
    counter = DB_QUERIES.labels(engine.dialect.name)

    def before(*_: Any) -> None:
        counter.inc()

    event.listen(engine, "before_cursor_execute", before)


# -- the bots of this process ------------------------------------------------------------

_bots: dict[str, Callable[[], bool]] = {}


def watch_bot(name: str, connected: Callable[[], bool] | None) -> None:
    """Report bot ``name``'s state from ``connected`` (None: the bot stopped)."""
    if connected is None:
        _bots.pop(name, None)
        BOT_CONNECTED.labels(name).set(0)
    else:
        _bots[name] = connected
    refresh_bots()


def refresh_bots() -> None:
    for name, connected in tuple(_bots.items()):
        try:
            BOT_CONNECTED.labels(name).set(1 if connected() else 0)
        except Exception:
            log.exception("metrics: reading the state of bot %s failed", name)


# -- reading out -------------------------------------------------------------------------


WAITING = ("queued", "sending", "held")  # the outbox's states of a mail not sent yet


class OutboxDepth(Collector):
    """The mails waiting in the outbox, by state, read at each scrape (one indexed
    query): the same for every worker of one database, so read by the one asked."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "ptghub_outbox_depth", "Mails in the outbox not sent yet, by state.", labels=["state"]
        )
        query = (
            select(t.outbox.c.state, func.count())
            .where(t.outbox.c.state.in_(WAITING))
            .group_by(t.outbox.c.state)
        )
        try:
            with self.engine.connect() as conn:
                counts = {str(state): int(n) for state, n in conn.execute(query)}
        except Exception as error:  # the database is down: /readyz says so, not a 500 here
            log.warning("metrics: cannot read the outbox: %s", error)
            return
        for state in WAITING:
            family.add_metric([state], counts.get(state, 0))
        yield family


def exposition(extra: Iterable[Collector] = ()) -> bytes:
    """The metrics in Prometheus' text format: every worker's when several write to
    ``PROMETHEUS_MULTIPROC_DIR``, else this process's; plus ``extra`` collectors."""
    if os.environ.get(MULTIPROCESS):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = CollectorRegistry()
        registry.register(_Default())
    for collector in extra:
        registry.register(collector)
    return generate_latest(registry)


class _Default(Collector):
    """The process's default registry (its metrics and prometheus-client's process and
    platform ones), inside a registry of its own for one scrape."""

    def collect(self) -> Iterator[Any]:
        yield from REGISTRY.collect()


def process_ended() -> None:
    """Take this process's live gauges out of the multiprocess sums (a worker's end)."""
    if os.environ.get(MULTIPROCESS):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
