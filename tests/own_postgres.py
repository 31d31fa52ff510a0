"""A PostgreSQL server of a test's own, which the test may stop and start: never the
shared one (PTGHUB_TEST_DATABASE_URL), which other tests are using.

``initdb`` into a temporary directory, then ``pg_ctl start`` on a free loopback port,
with its socket in that directory. PostgreSQL refuses to run as root: as root, the
commands run as the ``postgres`` user, who owns the directory; as anyone else, as
oneself. Skips, saying why, when the binaries or that user are missing.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

BIN = Path(os.environ.get("PTGHUB_TEST_POSTGRES_BIN", "/usr/lib/postgresql/15/bin"))
RUN_AS = "postgres"  # when the tests run as root


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class OwnPostgres:
    """One server in ``directory``: ``url`` reaches it; ``stop``/``start`` it at will."""

    def __init__(self, directory: Path, user: str | None) -> None:
        self.directory = directory
        self.data = directory / "data"
        self.log = directory / "server.log"
        self.user = user
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        result = subprocess.run(
            args, user=self.user, capture_output=True, text=True, timeout=120, check=False
        )
        assert result.returncode == 0, f"{args[0]} failed:\n{result.stdout}{result.stderr}"

    def init(self) -> None:
        self._run(
            str(BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--no-sync", "--no-instructions",
        )  # fmt: skip

    def start(self) -> None:
        """Start it and wait until it accepts connections."""
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        self._run(
            str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
            "-w", "-t", "120", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """Stop it: ``fast`` ends every connection at once, as a restart does."""
        self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        status = subprocess.run(
            [str(BIN / "pg_ctl"), "-D", str(self.data), "status"],
            user=self.user,
            capture_output=True,
            check=False,
        )
        return status.returncode == 0


def _user() -> str | None:
    """Whom to run PostgreSQL as: None (oneself) unless one is root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(RUN_AS)
    except KeyError:
        pytest.skip(f"running as root, and there is no {RUN_AS!r} user to run PostgreSQL as")
    return RUN_AS


@contextmanager
def own_postgres() -> Iterator[OwnPostgres]:
    """A running server of the caller's own, stopped and deleted when the block ends."""
    missing = [name for name in ("initdb", "pg_ctl", "postgres") if not (BIN / name).is_file()]
    if missing:
        pytest.skip(f"PostgreSQL binaries {', '.join(missing)} not found in {BIN}")
    user = _user()
    directory = Path(tempfile.mkdtemp(prefix="ptghub-pg-"))
    try:
        if user is not None:
            shutil.chown(directory, user)
        server = OwnPostgres(directory, user)
        server.init()
        server.start()
        try:
            yield server
        finally:
            if server.running():
                server.stop("immediate")
    finally:
        shutil.rmtree(directory, ignore_errors=True)
