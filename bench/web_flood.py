"""Floods against a real ``ptghub serve``: memory for unknown events, slow clients.

    python bench/web_flood.py                      # 20,000 requests, 300 slow clients
    python bench/web_flood.py --requests 40000 --slow 1000

It loads the demo event into a fresh SQLite file (``ptghub demo --no-serve``) and starts
``ptghub serve`` on it in a subprocess, with a lowered connection limit per client
address (``PTGHUB_WEB_MAX_CONNECTIONS_PER_CLIENT``, 50) so that a few hundred slow
clients reach it. Then, measuring the server process:

1. memory: its resident size (VmRSS) after a warm-up, after ``--requests`` requests to
   ``/events/<random>/stream`` (404s: nothing may be kept for them), and, as the
   baseline in the same run, after as many requests to ``/api/v1/events`` (a known
   address). Target: the unknown events grow it by less than 10 MB.
2. slow clients: the time a normal client waits for ``/api/v1/events``, 20 times alone
   (the baseline) and 20 times while ``--slow`` clients from another address (127.0.0.2)
   hold half-sent requests open. Target: the slowest answer under load within 1 s.

Only loopback addresses are used; every wait is bounded. Exit status 1 when a target
is missed.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
SLOW_FROM = "127.0.0.2"
PER_CLIENT = 50
HALF_SENT = b"GET /api/v1/events HTTP/1.1\r\nHost: bench\r\nX-Slow: "
MB = 1024 * 1024


def ptghub(database_url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "ptghub", "--database-url", database_url, *args]


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PTGHUB_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    env["PTGHUB_WEB_MAX_CONNECTIONS_PER_CLIENT"] = str(PER_CLIENT)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def wait_until_serving(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"ptghub serve exited with {process.returncode}")
        try:
            httpx.get(url + "/api/v1/events", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit("ptghub serve did not answer within 60 s")


def hammer(client: httpx.Client, count: int, unknown: bool) -> set[int]:
    statuses = set()
    for _ in range(count):
        path = f"/events/{uuid.uuid4().hex}/stream" if unknown else "/api/v1/events"
        statuses.add(client.get(path).status_code)
    return statuses


def timed_gets(url: str, count: int) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        response = httpx.get(url + "/api/v1/events", timeout=30)  # a new connection each
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return times


def hold_slow_clients(stack: ExitStack, port: int, count: int) -> int:
    """Open ``count`` connections that never finish their headers; return how many the
    server kept (the others it answered 503 and closed)."""
    socks = []
    for _ in range(count):
        sock = stack.enter_context(
            socket.create_connection((HOST, port), timeout=10, source_address=(SLOW_FROM, 0))
        )
        sock.sendall(HALF_SENT)
        socks.append(sock)
    time.sleep(0.5)  # let the server answer the refused ones
    kept = 0
    for sock in socks:
        sock.setblocking(False)
        try:
            sock.recv(1)  # the 503's first byte, or b"" once closed: not kept
        except BlockingIOError:
            kept += 1  # nothing to read: still held open
        except ConnectionResetError:
            pass
    return kept


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--slow", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ptghub-flood-") as directory:
        database_url = f"sqlite:///{Path(directory) / 'ptghub.sqlite3'}"
        env = environment()
        subprocess.run(
            ptghub(database_url, "demo", "--no-serve"),
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        port = free_port()
        url = f"http://{HOST}:{port}"
        log = open(Path(directory) / "serve.log", "wb")  # noqa: SIM115 (closed below)
        process = subprocess.Popen(
            ptghub(database_url, "serve", "--port", str(port)),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_serving(url, process)
            with httpx.Client(base_url=url, timeout=30) as client:
                hammer(client, 1000, unknown=True)
                hammer(client, 1000, unknown=False)
                start = rss(process.pid)
                unknown = hammer(client, args.requests, unknown=True)
                after_unknown = rss(process.pid)
                known = hammer(client, args.requests, unknown=False)
                after_known = rss(process.pid)
            alone = timed_gets(url, 20)
            with ExitStack() as stack:
                kept = hold_slow_clients(stack, port, args.slow)
                loaded = timed_gets(url, 20)
        finally:
            process.terminate()
            process.wait(30)
            log.close()
    grew_unknown = (after_unknown - start) / MB
    grew_known = (after_known - after_unknown) / MB
    print(f"server RSS: {start / MB:.1f} MB after warm-up")
    print(f"{args.requests} unknown-event streams {sorted(unknown)}: +{grew_unknown:.1f} MB")
    print(f"{args.requests} known-address reads {sorted(known)} (baseline): +{grew_known:.1f} MB")
    print(
        f"{args.slow} slow clients from {SLOW_FROM}: {kept} held open "
        f"(limit {PER_CLIENT} per address), the rest answered 503 and closed"
    )
    print("normal client, GET /api/v1/events (s):   median    max")
    print(
        f"  alone (baseline)                        {statistics.median(alone):6.3f} "
        f"{max(alone):6.3f}"
    )
    print(
        f"  beside the slow clients                 {statistics.median(loaded):6.3f} "
        f"{max(loaded):6.3f}  ({statistics.median(loaded) / statistics.median(alone):.2f}x)"
    )
    ok = grew_unknown < 10 and max(loaded) < 1.0
    targets = "(targets: < 10 MB for unknown events, < 1 s beside slow clients)"
    print("PASS" if ok else "FAIL", targets)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
