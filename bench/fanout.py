"""Live fan-out: time from a command to its delivery at N Server-Sent Events clients.

    python bench/fanout.py                 # N = 500, 1000, 2000; 5 measured changes each
    python bench/fanout.py --n 200 --rounds 2

For each N it starts, one after the other, two servers as uvicorn subprocesses on
127.0.0.1, each alone on the machine while it is measured:

- ptghub: ``create_app`` around a Store on a fresh SQLite file holding the demo event,
  with its default live settings (the watcher polls the event's version every 0.02 s);
- minimal: a Starlette app written below, one SSE endpoint, one trigger endpoint, an
  in-memory broadcast to a queue per client, with a payload of the size ptghub sent.

N clients connect from a separate process (asyncio raw sockets, so that the clients'
parsing does not run on the server's core: this machine has 2, one for the server and
one for the clients). Once all are subscribed, this process makes a change: for ptghub,
a '#nova now ...' command through its own Store on the same database (another process,
as ``ptghub cmd`` would be); for the minimal one, a POST to its trigger. Each client
notes the wall-clock time at which the whole change message has arrived; the latency is
that minus the time just before the change was made. One warm-up change, then
``--rounds`` measured ones. Targets at the largest N: ptghub's p50 and p99 each at most
1.5x the minimal server's, and ptghub's p99 under 1 s. Only loopback addresses are used;
every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:
    import ptghub  # noqa: F401
except ModuleNotFoundError:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))

HOST = "127.0.0.1"
CONNECT_BATCH = 100  # clients connecting at once (the listen backlog holds more)
ROUND_TIMEOUT = 20.0  # seconds for every client to get one change
READY_TIMEOUT = 180.0  # seconds for all clients to connect
CHANGE_MARK = b"event: change\ndata: "


def raise_open_files(needed: int) -> int:
    """Raise the soft limit of open files toward ``needed`` (never above the hard one)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


# -- the servers (each runs as a subprocess of this script) -------------------------------


def serve_ptghub(url: str, port: int) -> None:
    import uvicorn

    from ptghub.store.store import Store
    from ptghub.web.app import create_app

    raise_open_files(65536)
    uvicorn.run(
        create_app(Store.open(url)), host=HOST, port=port, log_level="warning", backlog=4096
    )


def serve_minimal(port: int, size: int) -> None:
    """The baseline: the least a Starlette server must do to broadcast a change over SSE."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, Response, StreamingResponse
    from starlette.routing import Route

    subscribers: set[asyncio.Queue[bytes]] = set()

    async def stream(request: Request) -> Response:
        queue: asyncio.Queue[bytes] = asyncio.Queue(maxsize=8)

        async def frames() -> AsyncIterator[bytes]:
            subscribers.add(queue)
            try:
                yield b"retry: 2000\n\n"
                while True:
                    yield await queue.get()
            finally:
                subscribers.discard(queue)

        return StreamingResponse(frames(), media_type="text/event-stream")

    async def trigger(request: Request) -> Response:
        n = int(request.query_params["n"])
        head = f'id: {n}\nevent: change\ndata: {{"id":{n},"version":{n},"fragments":{{"x":"'
        tail = '"}}\n\n'
        frame = (head + "x" * max(0, size - len(head) - len(tail)) + tail).encode()
        for queue in tuple(subscribers):
            if not queue.full():
                queue.put_nowait(frame)
        return PlainTextResponse(str(len(subscribers)))

    raise_open_files(65536)
    app = Starlette(routes=[Route("/stream", stream), Route("/trigger", trigger, methods=["POST"])])
    uvicorn.run(app, host=HOST, port=port, log_level="warning", backlog=4096)


# -- the clients (one subprocess holding all N connections) -------------------------------


async def one_client(
    port: int, path: str, ready: asyncio.Event, got: list[tuple[float, int]]
) -> None:
    """Subscribe, then note (arrival time, size) of every whole change message."""
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(head.decode(errors="replace"))
    buffer = b""
    while b"retry:" not in buffer:  # the server sends it once it has subscribed us
        buffer += await reader.read(65536)
    ready.set()
    buffer, scan = b"", 0
    try:
        while True:
            data = await reader.read(262144)
            if not data:
                return
            buffer += data
            while True:
                start = buffer.find(CHANGE_MARK, scan)
                if start < 0:
                    scan = max(0, len(buffer) - len(CHANGE_MARK))
                    break
                end = buffer.find(b"\n\n", start)
                if end < 0:
                    scan = start  # wait for the rest of this message
                    break
                got.append((time.time(), end + 2 - start))
                buffer, scan = buffer[end + 2 :], 0
    finally:
        writer.close()


async def run_clients(port: int, path: str, n: int, rounds: int) -> None:
    raise_open_files(n + 256)
    got: list[list[tuple[float, int]]] = [[] for _ in range(n)]
    tasks = []
    for first in range(0, n, CONNECT_BATCH):
        events = []
        for i in range(first, min(n, first + CONNECT_BATCH)):
            ready = asyncio.Event()
            events.append(ready)
            tasks.append(asyncio.create_task(one_client(port, path, ready, got[i])))
        async with asyncio.timeout(READY_TIMEOUT):
            await asyncio.gather(*(e.wait() for e in events))
    print("READY", flush=True)
    for k in range(1, rounds + 1):
        deadline = time.monotonic() + ROUND_TIMEOUT
        while any(len(g) < k for g in got) and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        print(f"DONE {k}", flush=True)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    print(json.dumps(got), flush=True)


# -- the driver ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"no server on port {port} after 30 s")


def expect(process: subprocess.Popen[str], line: str, timeout: float) -> None:
    """Read the client process's stdout until ``line`` (bounded by ``timeout``)."""
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = process.stdout.readline().strip()
        if got == line:
            return
        if got == "" and process.poll() is not None:
            raise RuntimeError(f"the clients exited with {process.returncode} before {line!r}")
    raise RuntimeError(f"no {line!r} from the clients within {timeout} s")


def measure(kind: str, n: int, rounds: int, url: str, size: int) -> tuple[list[float], int, str]:
    """Latencies (seconds) of ``rounds`` measured changes at ``n`` clients, the median
    message size, and per round the first and last delivery (ms); the server and the
    clients run as subprocesses, this process makes the changes."""
    from ptghub.core.model import Actor
    from ptghub.store.store import Store

    port = free_port()
    script = str(Path(__file__).resolve())
    server_args = ["--serve-ptghub", url] if kind == "ptghub" else ["--serve-minimal", str(size)]
    server = subprocess.Popen([sys.executable, script, *server_args, "--port", str(port)])
    store = Store.open(url) if kind == "ptghub" else None
    clients = None
    try:
        wait_for_port(port, server)
        path = "/events/ptg-2022-04/stream" if kind == "ptghub" else "/stream"
        client_args = ["--clients", path, "--port", str(port), "--n", str(n)]
        clients = subprocess.Popen(
            [sys.executable, script, *client_args, "--rounds", str(rounds + 1)],
            stdout=subprocess.PIPE,
            text=True,
        )
        expect(clients, "READY", READY_TIMEOUT)
        started: list[float] = []
        for k in range(1, rounds + 2):
            time.sleep(0.5)  # let the previous round's writes drain
            started.append(time.time())
            if store is not None:
                store.run(f"#nova now Bench topic {k}", Actor("bench", operator=True))
            else:
                request = urllib.request.Request(f"http://{HOST}:{port}/trigger?n={k}", b"")
                with urllib.request.urlopen(request, timeout=10) as response:
                    response.read()
            expect(clients, f"DONE {k}", ROUND_TIMEOUT + 5)
        assert clients.stdout is not None
        got = json.loads(clients.stdout.readline())
        clients.wait(30)
    finally:
        for process in (clients, server):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(30)
        if store is not None:
            store.close()
    spans = []
    for k in range(1, rounds + 1):
        times = [received[k][0] - started[k] for received in got if k < len(received)]
        spans.append(f"{min(times) * 1000:.0f}-{max(times) * 1000:.0f}" if times else "none")
    latencies, sizes = [], []
    for received in got:
        for k in range(1, rounds + 1):  # round 0 warms up
            if k < len(received):
                latencies.append(received[k][0] - started[k])
                sizes.append(received[k][1])
            else:
                latencies.append(float("inf"))  # never arrived within the round's time
    return latencies, int(statistics.median(sizes)) if sizes else size, " ".join(spans)


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def load_demo(url: str) -> None:
    from importlib import resources

    from ptghub import demo
    from ptghub.core.model import Actor
    from ptghub.eventfile import load_event_file
    from ptghub.store.store import Store

    store = Store.open(url)
    with resources.as_file(resources.files(demo) / demo.FILE) as path:
        store.create_event(load_event_file(path), Actor("loader", operator=True), "demo")
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, action="append", help="clients (repeatable)")
    parser.add_argument("--rounds", type=int, default=5, help="measured changes per N")
    parser.add_argument("--port", type=int)
    parser.add_argument("--serve-ptghub", metavar="URL")
    parser.add_argument("--serve-minimal", metavar="SIZE", type=int)
    parser.add_argument("--clients", metavar="PATH")
    args = parser.parse_args()
    if args.serve_ptghub:
        serve_ptghub(args.serve_ptghub, args.port)
        return 0
    if args.serve_minimal is not None:
        serve_minimal(args.port, args.serve_minimal)
        return 0
    if args.clients:
        asyncio.run(run_clients(args.port, args.clients, args.n[0], args.rounds))
        return 0

    counts = args.n or [500, 1000, 2000]
    if max(counts) > 5000 or args.rounds > 20:
        parser.error("at most 5000 clients and 20 rounds")
    raise_open_files(max(counts) + 256)
    from ptghub.live.watcher import DEFAULT_INTERVAL

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; server and clients in")
    print("separate processes; latency = command start -> whole message at the client;")
    print(f"ptghub polls every {DEFAULT_INTERVAL} s; load average {load()} at the start.")
    header = f"{'N':>5} {'server':<8} {'bytes':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    header += "   first-last delivery per change, ms"
    print(header)
    results: dict[int, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory(prefix="ptghub-fanout-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'ptghub.sqlite3'}"
        load_demo(url)
        for n in counts:
            results[n] = {}
            ours, size, our_spans = measure("ptghub", n, args.rounds, url, 0)
            base, _, base_spans = measure("minimal", n, args.rounds, url, size)
            for kind, values, spans in (("ptghub", ours, our_spans), ("minimal", base, base_spans)):
                results[n][kind] = values
                row = [percentile(values, p) * 1000 for p in (50, 99, 100)]
                print(
                    f"{n:>5} {kind:<8} {size:>6} "
                    + " ".join(f"{v:>8.1f}" for v in row)
                    + f"   {spans}"
                )
    print(f"load average {load()} at the end (above ~0.5 the machine was not idle).")
    largest = max(counts)
    ours, base = results[largest]["ptghub"], results[largest]["minimal"]
    checks = [
        (f"p50 ratio at {largest}", percentile(ours, 50) / percentile(base, 50), 1.5),
        (f"p99 ratio at {largest}", percentile(ours, 99) / percentile(base, 99), 1.5),
        (f"ptghub p99 s at {largest}", percentile(ours, 99), 1.0),
    ]
    failed = False
    for name, value, limit in checks:
        ok = value <= limit if "ratio" in name else value < limit
        failed |= not ok
        print(
            f"{name}: {value:.2f} (target {'<=' if 'ratio' in name else '<'} {limit}) "
            f"{'PASS' if ok else 'FAIL'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
