"""A second ``ptghub serve`` on the browser tests' database, on a simulated clock: the
demo event as it is while it runs (a day of today, a slot running), which the package's
server, on the real clock, shows as over."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

from tests.browser.conftest import (
    LiveServer,
    _free_port,
    _hermetic_env,
    _ptghub,
    _wait_until_serving,
)

# Where `ptghub demo` starts its clock: Tuesday of the event week, during slot Tue-15h.
DEMO_NOW = "2022-04-05T15:10Z"


@contextmanager
def serve_on_clock(live_server: LiveServer, clock: str = DEMO_NOW) -> Iterator[str]:
    """Serve the live server's database with ``--clock CLOCK`` at 1x; yields its URL."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = live_server.log.with_name(f"rehearsal-{port}.log")
    with log.open("ab") as output:
        process = subprocess.Popen(
            _ptghub(
                live_server.database_url,
                "serve",
                "--port",
                str(port),
                "--clock",
                clock,
                "--clock-speed",
                "1",
            ),
            stdout=output,
            stderr=subprocess.STDOUT,
            env=_hermetic_env(),
        )
    try:
        _wait_until_serving(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
