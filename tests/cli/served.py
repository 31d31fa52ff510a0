"""`ptghub serve` in a process of its own (``--workers N`` or not), and what the tests ask
of it: which worker process holds a connection, live streams read in threads, changes
made through the API or the CLI.

Which worker holds a connection is read from the kernel, not guessed: the connection's
two ports name its socket in /proc/net/tcp, and that socket's inode appears among the
open files (/proc/PID/fd) of exactly one worker once it has accepted it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

SLUG = "test-ptg"
STREAM = f"/events/{SLUG}/stream"
CLOCK = "2022-04-04T13:30Z"  # Monday of the test event, while nova meets
# Generous: a loaded machine is slow, not wrong; the figures are printed, not asserted.
DEADLINE = 30.0
# A worker imports the whole app before it listens: on a busy machine that takes a while.
STARTING = 180.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ptghub(database_url: str, *args: str) -> list[str]:
    """The command line of ``ptghub --database-url URL ARGS`` (this interpreter, whose
    ``PYTHONPATH`` the child inherits)."""
    return [sys.executable, "-m", "ptghub", "--database-url", database_url, *args]


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as file:
        return [int(child) for child in file.read().split()]


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            return file.read().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        with open(f"/proc/{pid}/stat") as file:
            return file.read().rpartition(")")[2].split()[0] != "Z"
    except FileNotFoundError:
        return False


@dataclass
class Served:
    """One running ``ptghub serve``: its process, port and output file."""

    process: subprocess.Popen[bytes]
    port: int
    output: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def text(self) -> str:
        return self.output.read_text(errors="replace")

    def workers(self) -> list[int]:
        """The worker processes: the children started by multiprocessing's spawn (not
        its resource tracker); the serving process itself when there are none."""
        spawned = [
            pid
            for pid in _children(self.process.pid)
            if "spawn_main" in (line := _cmdline(pid)) and "resource_tracker" not in line
        ]
        return spawned or [self.process.pid]

    def holder(self, client_port: int) -> int | None:
        """The worker that holds the connection from ``client_port``, once accepted."""
        inodes = _socket_inodes(self.port, client_port)
        for pid in self.workers():
            try:
                fds = os.listdir(f"/proc/{pid}/fd")
            except FileNotFoundError:
                continue
            for fd in fds:
                try:
                    target = os.readlink(f"/proc/{pid}/fd/{fd}")
                except OSError:
                    continue
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return pid
        return None

    def wait_for_holder(self, client_port: int) -> int:
        deadline = time.monotonic() + DEADLINE
        while (pid := self.holder(client_port)) is None:
            assert time.monotonic() < deadline, f"no worker holds the connection {client_port}"
            time.sleep(0.05)
        return pid


def _socket_inodes(server_port: int, client_port: int) -> set[str]:
    """The inodes of the server's end of the connection between the two ports."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as file:
            next(file)
            for line in file:
                fields = line.split()
                local, remote, inode = fields[1], fields[2], fields[9]
                if (int(local.rsplit(":")[-1], 16), int(remote.rsplit(":")[-1], 16)) == (
                    server_port,
                    client_port,
                ):
                    found.add(inode)
    return found


@contextmanager
def serving(
    database_url: str, tmp_path: Path, *options: str, env: dict[str, str] | None = None
) -> Iterator[Served]:
    """``ptghub serve OPTIONS`` on a free port, answering, until the block ends (then
    SIGTERM, and the process must end)."""
    port = free_port()
    command = ptghub(database_url, "serve", "--port", str(port), "--clock", CLOCK, *options)
    with running(command, port, tmp_path, env) as served:
        yield served


@contextmanager
def running(
    command: list[str], port: int, tmp_path: Path, env: dict[str, str] | None = None
) -> Iterator[Served]:
    """A server started by ``command`` on ``port``, once it answers; ended at the end."""
    output = tmp_path / f"serve-{port}.txt"
    with output.open("wb") as sink:
        process = subprocess.Popen(  # a session of its own: Ctrl-C goes to its group
            command, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True, env=env
        )
    served = Served(process, port, output)
    try:
        deadline = time.monotonic() + STARTING
        while True:
            assert process.poll() is None, served.text()
            try:
                httpx.get(f"{served.url}/api/v1/events", timeout=5.0)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, f"no answer in {STARTING} s: {served.text()}"
                time.sleep(0.1)
        yield served
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=60)


@dataclass
class Viewer:
    """One live stream of the event's board over a plain socket, read in a thread: what
    arrived, and when (``time.monotonic``) each change id did."""

    sock: socket.socket
    received: bytearray = field(default_factory=bytearray)
    arrivals: dict[int, float] = field(default_factory=dict)
    changed: threading.Condition = field(default_factory=threading.Condition)

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    def read(self) -> None:
        while chunk := self._recv():
            with self.changed:
                self.received += chunk
                for line in self.received.decode(errors="replace").splitlines():
                    if line.startswith("id: "):
                        self.arrivals.setdefault(int(line[4:]), time.monotonic())
                self.changed.notify_all()

    def _recv(self) -> bytes:
        try:
            return self.sock.recv(65536)
        except OSError:
            return b""

    def answer(self, timeout: float = DEADLINE) -> str:
        """The status line of the server's answer, once it came."""
        with self.changed:
            self.changed.wait_for(lambda: b"\r\n" in self.received, timeout)
            return self.received.partition(b"\r\n")[0].decode()

    def wait(self, predicate: str | int, timeout: float = DEADLINE) -> float | None:
        """Wait until ``predicate`` (a text, or a change id) arrived: its arrival time
        for an id; fails if it does not come in ``timeout`` seconds."""
        with self.changed:
            arrived = self.changed.wait_for(
                lambda: (
                    predicate.encode() in self.received
                    if isinstance(predicate, str)
                    else predicate in self.arrivals
                ),
                timeout,
            )
        assert arrived, f"{predicate!r} not on stream {self.port} in {timeout} s"
        return None if isinstance(predicate, str) else self.arrivals[predicate]


@contextmanager
def viewers(served: Served) -> Iterator[list[Viewer]]:
    """Open streams are added with ``open_viewer``; all are closed when the block ends."""
    opened: list[Viewer] = []
    try:
        yield opened
    finally:
        for viewer in opened:
            viewer.sock.close()


def open_viewer(served: Served, opened: list[Viewer], *, subscribed: bool = True) -> Viewer:
    """Open the board's stream and, with ``subscribed``, wait until the server subscribed
    it (``retry:``)."""
    sock = socket.create_connection(("127.0.0.1", served.port), timeout=DEADLINE)
    sock.settimeout(None)
    sock.sendall(f"GET {STREAM} HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n\r\n".encode())
    viewer = Viewer(sock)
    opened.append(viewer)
    threading.Thread(target=viewer.read, daemon=True).start()
    if subscribed:
        viewer.wait("retry: ")
    return viewer


def viewers_on_every_worker(served: Served, opened: list[Viewer]) -> dict[int, Viewer]:
    """Open streams until each worker holds one: a viewer per worker. A stream that lands
    on a worker already counted is closed again (a worker still starting accepts none)."""
    per_worker: dict[int, Viewer] = {}
    deadline = time.monotonic() + 2 * DEADLINE
    while set(per_worker) != set(served.workers()):
        assert time.monotonic() < deadline, f"every stream on workers {sorted(per_worker)}"
        viewer = open_viewer(served, opened)
        holder = served.wait_for_holder(viewer.port)
        if holder in per_worker:
            opened.remove(viewer)
            viewer.sock.close()
            time.sleep(0.1)
        else:
            per_worker[holder] = viewer
    return per_worker


def set_now_through_cli(database_url: str, topic: str) -> int:
    """``#nova now TOPIC`` with ``ptghub cmd`` in a process of its own: the audit id."""
    from ptghub.store.store import Store

    done = subprocess.run(
        ptghub(database_url, "cmd", f"#nova now {topic}", "--as", "nchair", "-e", SLUG),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    store = Store.open(database_url)
    try:
        return store.audit(SLUG, limit=1)[0].id
    finally:
        store.close()


def set_now_through_api(served: Served, token: str, topic: str) -> int:
    """``#nova now TOPIC`` through the JSON API of ``served``: the change's audit id."""
    response = httpx.put(
        f"{served.url}/api/v1/events/{SLUG}/teams/nova/now",
        json={"topic": topic},
        headers={"Authorization": f"Bearer {token}"},
        timeout=DEADLINE,
    )
    assert response.status_code == 200, response.text
    audit_id = response.json()["audit_id"]
    assert isinstance(audit_id, int)
    return audit_id
