"""``ptghub`` commands as processes of their own, as several machines would run them.

Each ``Process`` writes its output (stdout and stderr) to a file, read while it runs;
``kill()`` sends SIGKILL: the process dies without a word, its leases left behind.
``lease_holder`` says which of them holds a lease (a holder is host:pid:random).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ptghub.store.leases import Leases

# Leases of 4 s (20 s by default), a standby trying twice a second: a test's takeover
# comes within seconds.
SHORT_LEASE = {"PTGHUB_LEASE_TTL": "4", "PTGHUB_LEASE_RETRY": "0.5"}


class Process:
    """``ptghub --database-url URL ARGS`` with ``env`` added to this environment."""

    def __init__(self, database_url: str, args: list[str], env: dict[str, str], log: Path):
        self.log = log
        with log.open("w") as output:
            self.popen = subprocess.Popen(
                [sys.executable, "-m", "ptghub", "--database-url", database_url, *args],
                stdout=output,
                stderr=subprocess.STDOUT,
                text=True,
                env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), **env},
            )

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def name(self) -> str:
        """The process as a lease names its holder to people: host:pid."""
        return f"{socket.gethostname()}:{self.pid}"

    def output(self) -> str:
        return self.log.read_text()

    def kill(self) -> None:
        """SIGKILL: no clean stop, no lease given up."""
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(30)

    def stop(self) -> int:
        """SIGTERM, as systemd stops a service: its exit status."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
        return self.popen.wait(60)


def lease_holder(leases: Leases, name: str, processes: list[Process]) -> Process | None:
    """Which of ``processes`` holds lease ``name`` (valid or not), if any."""
    holder = leases.holders().get(name)
    pids = {int(holder[0].split(":")[-2])} if holder else set()
    return next((p for p in processes if p.pid in pids), None)


def wait_for(condition: Callable[[], object], what: str, timeout: float = 60.0) -> float:
    """Wait until ``condition()`` is true (polling); the seconds it took. Generous: a
    loaded machine gets there late, a broken one never."""
    began = time.monotonic()
    while not condition():
        if time.monotonic() - began > timeout:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.05)
    return time.monotonic() - began
