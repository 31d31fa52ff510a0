"""``ptghub serve --workers N``: N worker processes serving on one listening socket.

uvicorn's supervisor (``uvicorn.supervisors.Multiprocess``) starts the workers with
multiprocessing's *spawn*: each is a fresh interpreter that receives its configuration
pickled. A uvicorn configuration does not travel well (the guarded protocol is a class
made per server, ``web.server.guarded_protocol``), so what travels is a ``WorkerPlan``:
the settings as the command resolved them (environment, config file, options), the
simulated clock if any, and the server's options. Each worker rebuilds from it the same
uvicorn configuration as a single ``serve`` (``web.server.uvicorn_config``: the guarded
protocol, its limits, trusted proxies, no Server header) around its own app
(``app_factory.worker_app``: its own store and pool, its companions).

The simulated clock travels whole: its origin is a reading of the system's monotonic
clock, which every process of the machine shares, so every worker reads the same moment.

prometheus-client counts across processes through files in ``PROMETHEUS_MULTIPROC_DIR``;
when it is not set, the supervisor makes a private directory for the run, names it in
the environment the workers inherit, and removes it at the end.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import socket
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import uvicorn

from ptghub.settings import Settings

METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR"


@dataclass(frozen=True)
class WorkerPlan:
    """What a worker needs to build its server: picklable, unlike a uvicorn config."""

    settings: Settings
    clock: Callable[[], datetime] | None
    host: str
    port: int
    irc: bool = False
    options: dict[str, Any] = field(default_factory=dict)  # uvicorn's, e.g. log_level


def worker_config(plan: WorkerPlan) -> uvicorn.Config:
    """The uvicorn configuration of one worker (made in the worker, as it unpickles)."""
    from ptghub.cli.app_factory import worker_app
    from ptghub.web.limits import WebLimits
    from ptghub.web.server import uvicorn_config

    # Ctrl-C reaches the whole process group: the supervisor then stops each worker with
    # SIGTERM. Ignored here, it interrupts neither a worker's start nor its last words
    # (uvicorn raises a signal it caught again once its server has stopped).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    return uvicorn_config(
        functools.partial(worker_app, plan.settings, plan.clock, irc=plan.irc),
        WebLimits.from_settings(plan.settings),
        host=plan.host,
        port=plan.port,
        factory=True,
        **plan.options,
    )


class SupervisorConfig(uvicorn.Config):
    """The supervisor's configuration: ``workers`` processes, each of which receives
    ``plan`` and builds its own configuration from it (``worker_config``)."""

    def __init__(self, plan: WorkerPlan, workers: int) -> None:
        super().__init__(
            functools.partial(worker_config, plan),  # never loaded here
            host=plan.host,
            port=plan.port,
            workers=workers,
            **plan.options,
        )
        self.plan = plan

    def __reduce__(self) -> tuple[Any, ...]:
        return worker_config, (self.plan,)


@contextmanager
def metrics_dir() -> Iterator[str]:
    """``PROMETHEUS_MULTIPROC_DIR``: the environment's, else a private one for this run."""
    given = os.environ.get(METRICS_DIR)
    if given:
        yield given
        return
    made = tempfile.mkdtemp(prefix="ptghub-metrics-")
    os.environ[METRICS_DIR] = made
    try:
        yield made
    finally:
        os.environ.pop(METRICS_DIR, None)
        shutil.rmtree(made, ignore_errors=True)


def run_workers(
    plan: WorkerPlan,
    workers: int,
    sock: socket.socket,
) -> None:
    """Serve on ``sock`` with ``workers`` processes until Ctrl-C or SIGTERM stops them all."""
    from uvicorn.supervisors import Multiprocess

    with metrics_dir():
        Multiprocess(SupervisorConfig(plan, workers), sockets=[sock]).run()
