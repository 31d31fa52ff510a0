"""The app factory under an external process manager: uvicorn's own command line with
``--factory ptghub.cli.app_factory:app_from_environment --workers 2``, configured by
``PTGHUB_*`` environment variables alone, keeps ``ptghub serve``'s guarded protocol when
given ``--http ptghub.cli.app_factory:GuardedH11``, and a change reaches both workers."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from ptghub.core.model import Actor
from ptghub.store.store import Store
from tests.cli.served import (
    CLOCK,
    DEADLINE,
    Viewer,
    free_port,
    open_viewer,
    running,
    set_now_through_cli,
    viewers,
)
from tests.support import small_event

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

PROXY = "192.0.2.1"  # the same in uvicorn's option and in ptghub's setting
UVICORN = [
    "--factory",
    "ptghub.cli.app_factory:app_from_environment",
    "--workers",
    "2",
    "--http",
    "ptghub.cli.app_factory:GuardedH11",
    "--no-server-header",
    "--timeout-graceful-shutdown",
    "3",
    "--timeout-worker-healthcheck",
    "30",
    "--log-level",
    "warning",
    "--forwarded-allow-ips",
    PROXY,
]
BUSY = "HTTP/1.1 503 Service Unavailable"


def test_uvicorn_serves_the_factory_in_two_guarded_workers_that_both_see_a_change(
    database_url: str, tmp_path: Path
) -> None:
    store = Store.open(database_url)  # the schema first: 'ptghub init' in a deployment
    store.create_event(small_event(), Actor("loader", operator=True), "test setup")
    store.close()
    port = free_port()
    env = {
        **os.environ,
        "PTGHUB_DATABASE_URL": database_url,
        "PTGHUB_CLOCK": CLOCK,
        # One connection per client address and worker: the guard's 503 shows it works.
        "PTGHUB_WEB_MAX_CONNECTIONS_PER_CLIENT": "1",
        "PTGHUB_WEB_TRUSTED_PROXIES": PROXY,  # not the test's address: no exception
    }
    command = [sys.executable, "-m", "uvicorn", *UVICORN, "--port", str(port)]
    with running(command, port, tmp_path, env=env) as served, viewers(served) as opened:
        held: dict[int, Viewer] = {}
        refused = 0
        deadline = time.monotonic() + 2 * DEADLINE
        while len(held) < 2 or not refused:
            assert time.monotonic() < deadline, (held, refused, served.text())
            viewer = open_viewer(served, opened, subscribed=False)
            if viewer.answer() == BUSY:  # its worker holds this address's one stream
                refused += 1
                continue
            viewer.wait("retry: ")
            holder = served.wait_for_holder(viewer.port)
            assert holder not in held, "a worker took a second stream from one address"
            held[holder] = viewer
        assert sorted(held) == sorted(served.workers())
        audit_id = set_now_through_cli(database_url, "Via the CLI")
        for viewer in held.values():
            viewer.wait(audit_id)
            assert b"\r\nserver:" not in viewer.received.lower()
