"""The server side of bench/load.py: a fresh PostgreSQL database with the demo event and
API tokens, `ptghub serve [--workers N]` on it, its worker processes (their pids, their
memory, the viewer connections each holds) and the database's own statistics.

The database is created on the shared server and dropped afterwards; the server itself is
never reconfigured. Only 127.0.0.1 is used.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from _board_server import HOST, BenchError, child_env, cpu_seconds, stop_server

SLUG = "ptg-2022-04"
# Teams of the demo event with a chair, who may change them with an API token each.
CHAIRS = {"nova": "nova-chair", "cinder": "cinder-chair", "neutron": "neutron-chair"}
CHAIRS["tc"] = "tc-chair"


def plain(url: str) -> str:
    """The URL as psycopg takes it (no SQLAlchemy driver name)."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def with_database(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` instead (any query string is kept)."""
    head, _, query = url.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{query}" if query else "")


@dataclass
class Database:
    """A database of its own on the shared PostgreSQL, dropped by ``drop``."""

    admin_url: str  # a database that exists (e.g. .../test), to create and drop ours
    name: str
    url: str

    @classmethod
    def create(cls, admin_url: str) -> Database:
        import psycopg

        name = f"ptghub_load_{uuid.uuid4().hex[:12]}"
        try:
            with psycopg.connect(plain(admin_url), autocommit=True, connect_timeout=10) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
        except psycopg.Error as error:
            raise BenchError(
                f"cannot create a database through {admin_url} ({error}); give a PostgreSQL "
                "with --database-url or PTGHUB_TEST_DATABASE_URL"
            ) from None
        return cls(admin_url, name, with_database(admin_url, name))

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(plain(self.admin_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def stats(self) -> tuple[float, int, int, int, int]:
        """(when, transactions, rows read, connections open, connections opened so far)
        of this database, from pg_stat_database (PostgreSQL 14 or newer), read from the
        admin database so that reading counts nothing."""
        import psycopg

        with psycopg.connect(plain(self.admin_url), autocommit=True) as conn:
            row = conn.execute(
                "SELECT xact_commit + xact_rollback, tup_returned + tup_fetched, numbackends,"
                " sessions FROM pg_stat_database WHERE datname = %s",
                (self.name,),
            ).fetchone()
        if row is None:
            raise BenchError(f"pg_stat_database has no row for {self.name}")
        return time.monotonic(), int(row[0]), int(row[1]), int(row[2]), int(row[3])


def last_change(url: str) -> tuple[int, int]:
    """(version, newest audit id) of the event, read once the load is over."""
    import psycopg

    with psycopg.connect(plain(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT e.version, (SELECT max(a.id) FROM audit a WHERE a.event_id = e.id)"
            " FROM events e WHERE e.slug = %s",
            (SLUG,),
        ).fetchone()
    if row is None:
        raise BenchError(f"no event {SLUG} in the database")
    return int(row[0]), int(row[1] or 0)


def load_event(url: str) -> dict[str, str]:
    """Load the demo event into ``url`` (at the newest schema); one API token per chair."""
    from ptghub import demo
    from ptghub.core.model import Actor
    from ptghub.eventfile import load_event_file
    from ptghub.store.store import Store

    store = Store.open(url)
    try:
        with resources.as_file(resources.files(demo) / demo.FILE) as path:
            store.create_event(load_event_file(path), Actor("loader", operator=True), "demo")
        return {team: store.tokens.create(nick)[1] for team, nick in CHAIRS.items()}
    finally:
        store.close()


def server_env(url: str, data_dir: Path, viewers: int) -> dict[str, str]:
    """The server's environment: the benchmark's clients all come from 127.0.0.1, so the
    per-client limits are raised above what they open, and the per-token write rate above
    the commands they send (every other setting keeps its default)."""
    env = child_env()
    room = str(viewers + 1000)
    env.update(
        PTGHUB_DATABASE_URL=url,
        PTGHUB_DATA_DIR=str(data_dir),
        PTGHUB_WEB_MAX_CONNECTIONS=room,
        PTGHUB_WEB_MAX_CONNECTIONS_PER_CLIENT=room,
        PTGHUB_WEB_MAX_STREAMS_PER_CLIENT=room,
        PTGHUB_WEB_WRITES_PER_TOKEN="1000000/60/100000",
    )
    return env


def serve_command(port: int, workers: int) -> list[str]:
    command = [sys.executable, "-m", "ptghub", "serve", "--host", HOST, "--port", str(port)]
    return command + (["--workers", str(workers)] if workers != 1 else [])


def has_workers_option() -> bool:
    done = subprocess.run(
        [sys.executable, "-m", "ptghub", "serve", "--help"],
        capture_output=True,
        text=True,
        env={**child_env(), "COLUMNS": "200"},
        timeout=60,
    )
    return "--workers" in done.stdout


def start(port: int, workers: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """``ptghub serve`` answering on ``port`` with ``workers`` worker processes."""
    with log.open("wb") as out:
        server = subprocess.Popen(
            serve_command(port, workers), stdout=out, stderr=out, env=env, start_new_session=True
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"ptghub serve exited with {server.returncode}:\n{log.read_text()}")
        with (
            contextlib.suppress(OSError, urllib.error.URLError),
            urllib.request.urlopen(f"http://{HOST}:{port}/api/v1/events", timeout=5),
        ):
            if len(worker_pids(server.pid)) == workers:
                return server
        time.sleep(0.2)
    stop(server)
    raise BenchError(f"ptghub serve --workers {workers} not ready within 120 s:\n{log.read_text()}")


def stop(server: subprocess.Popen[bytes]) -> None:
    """Ctrl-C, as an operator stops it (open streams get their 3 s); then kill whatever is
    left of its process group (it runs in a session of its own: the workers too)."""
    stop_server(server)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    return children


def worker_pids(root: int) -> list[int]:
    """The processes that serve requests: the descendants of ``root`` (multiprocessing's
    resource tracker excepted), or ``root`` itself when it has none (one worker)."""
    children, found, todo = _children(), [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            with contextlib.suppress(OSError):
                if b"resource_tracker" in Path(f"/proc/{child}/cmdline").read_bytes():
                    continue
                found.append(child)
                todo.append(child)
    return sorted(found) or [root]


def _server_sockets(port: int) -> dict[int, int]:
    """Socket inode -> client port of every established connection to ``port``."""
    inodes: dict[int, int] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                local, remote, state, inode = fields[1], fields[2], fields[3], int(fields[9])
                if state == "01" and int(local.rsplit(":", 1)[1], 16) == port:
                    inodes[inode] = int(remote.rsplit(":", 1)[1], 16)
    return inodes


def connections_by_worker(port: int, pids: list[int]) -> dict[int, int]:
    """Client port -> pid of the worker holding that connection to ``port``, from the
    workers' open files (/proc/PID/fd) matched against /proc/net/tcp's socket inodes."""
    inodes, holder = _server_sockets(port), {}
    for pid in pids:
        try:
            fds = list(Path(f"/proc/{pid}/fd").iterdir())
        except OSError:
            continue  # gone (the driver notices: the workers differ at the end)
        for fd in fds:
            with contextlib.suppress(OSError):
                link = os.readlink(fd)
                if link.startswith("socket:["):
                    client = inodes.get(int(link[8:-1]))
                    if client is not None:
                        holder[client] = pid
    return holder


def memory(pid: int) -> tuple[int, int]:
    """(resident, peak resident) in MB, from /proc/PID/status (VmRSS, VmHWM)."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0]) // 1024
    return values["VmRSS"], values["VmHWM"]


def worker_cpu(pids: list[int]) -> dict[int, float]:
    return {pid: cpu_seconds(pid) for pid in pids}
