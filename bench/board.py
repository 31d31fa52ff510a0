"""Board JSON requests per second, against a static file of the same size, same server.

Usage: ``python bench/board.py [--concurrency 32] [--rounds 5] [--seconds 5] [--profile]``

Setup: a new temporary directory; the demo event (the April 2022 PTG: 34 teams, 16 rooms,
60 slots) loaded into a SQLite file there with ``python -m ptghub --data-dir DIR demo
--no-serve``; then one server process, run as ``ptghub serve`` runs it (one uvicorn worker,
``uvicorn.run(create_app(store))``), from a launcher generated in DIR that also mounts
``StaticFiles`` at ``/bench-static``: the same process, event loop and ASGI stack serve both
(bench/_board_server.py: the launcher, and starting and stopping the server).

ptghub: ``GET /api/v1/events/ptg-2022-04/board``, the full body (no If-None-Match).
Baseline: ``GET /bench-static/board.json``, a file holding the bytes of one board response.
A third line, the board with ``If-None-Match`` (304s), shows what ETag revalidation gives.

Load: this process (not the server's) drives N keep-alive HTTP/1.1 connections with raw
asyncio streams; a warm-up per target, then alternating timed rounds. The table shows the
median req/s of the rounds and p50/p99 latency over all of them. Target: board >= 50 % of
the static file's req/s; exit status 1 when missed. Only 127.0.0.1 is used.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import pstats
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path

try:
    from ptghub import demo
except ImportError:  # run from a checkout without installing: use its src/
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from ptghub import demo

from _board_server import (
    HOST,
    BenchError,
    cpu_seconds,
    fetch,
    free_port,
    load_demo,
    start_server,
    stop_server,
)

TARGET = 0.50  # board req/s as a share of the static file's
STATIC_NAME = "board.json"


@dataclass
class Round:
    requests: int
    seconds: float
    latencies: list[float]
    client_cpu: float  # CPU seconds of this process (the load generator)
    server_cpu: float  # CPU seconds of the server process


@dataclass
class Target:
    name: str
    request: bytes
    status: int
    rounds: list[Round] = field(default_factory=list)


# -- the load generator -----------------------------------------------------------------


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """(status, server keeps the connection) of one HTTP/1.1 response; reads its body.

    Uvicorn sends Content-Length for these responses (no chunked encoding to parse).
    """
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status, length, keep = int(lines[0].split(b" ", 2)[1]), None, True
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection":
            keep = b"close" not in value.lower()
    if length is None and status != 304:
        raise BenchError(f"a {status} response without Content-Length: {head!r}")
    await reader.readexactly(length or 0)
    return status, keep


async def timed_round(
    port: int, target: Target, concurrency: int, seconds: float, pid: int
) -> Round:
    """Every connection sends its next request as soon as the last one's body is read."""
    connections = [await asyncio.open_connection(HOST, port) for _ in range(concurrency)]
    latencies: list[float] = []

    async def loop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while (began := time.perf_counter()) < deadline:
            writer.write(target.request)
            status, keep = await read_response(reader)
            latencies.append(time.perf_counter() - began)
            if status != target.status or not keep:
                raise BenchError(
                    f"{target.name}: status {status} (expected {target.status}), keep-alive {keep}"
                )

    cpu, server_cpu = time.process_time(), cpu_seconds(pid)
    start = time.perf_counter()
    deadline = start + seconds
    try:
        await asyncio.wait_for(asyncio.gather(*(loop(r, w) for r, w in connections)), seconds + 60)
    finally:
        for _, writer in connections:
            writer.close()
    elapsed = time.perf_counter() - start
    client, server = time.process_time() - cpu, cpu_seconds(pid) - server_cpu
    return Round(len(latencies), elapsed, latencies, client, server)


def request(port: int, path: str, etag: str | None = None) -> bytes:
    match = f"If-None-Match: {etag}\r\n" if etag else ""
    return f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n{match}\r\n".encode("latin-1")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# -- profiles (--profile) ---------------------------------------------------------------


def in_process_breakdown(url: str, slug: str, n: int = 50) -> None:
    """Time each step of ``GET .../board`` (web/api.py ``get_board`` and FastAPI's
    response_model path), in this process, on the same database."""
    from pydantic import TypeAdapter

    from ptghub.core.board import build_board, current_slot
    from ptghub.store.store import Store
    from ptghub.web.api_models import BoardOut, board_out

    store = Store.open(url)
    try:
        at = store.clock()
        _, state = store.versioned_state(slug)
        board = build_board(state, at)
        out = board_out(board, state)
        adapter = TypeAdapter(BoardOut)
        steps: dict[str, Callable[[], object]] = {
            "store.version (one read)": lambda: store.version(slug),
            "store.versioned_state (cached)": lambda: store.versioned_state(slug),
            "current_slot (for the ETag)": lambda: current_slot(state, at),
            "build_board": lambda: build_board(state, at),
            "api_models.board_out (pydantic)": lambda: board_out(board, state),
            "response_model dump_json": lambda: adapter.dump_json(out, by_alias=True),
        }
        print(f"\nIn-process, the steps of one board response (median of {n} calls):")
        for name, step in steps.items():
            times = []
            for _ in range(n):
                began = time.perf_counter()
                step()
                times.append(time.perf_counter() - began)
            print(f"  {name:<34}{statistics.median(times) * 1e3:>9.3f} ms")
    finally:
        store.close()


IDLE = ("<method 'acquire' of '_thread.lock' objects>", "<method 'poll' of 'select.epoll' objects>")
CODE = "ptghub|fastapi|starlette|pydantic|uvicorn|h11|sqlalchemy"  # where a request's work is


def server_profile(directory: Path, url: str, args: argparse.Namespace) -> None:
    """Board requests one at a time on a server under cProfile; print where the time goes.

    One connection: with 32, the threads' waits for the GIL and the pool blur the picture.
    """
    port, out = free_port(), directory / "server.prof"
    server = start_server(directory, url, port, out)
    try:
        target = Target("board JSON", request(port, args.path), 200)
        done = asyncio.run(timed_round(port, target, 1, args.seconds, server.pid))
    finally:
        stop_server(server)
    print(
        f"\nServer under cProfile, board only, 1 connection: {done.requests} requests in "
        f"{done.seconds:.1f} s (every thread; idle waits, {', '.join(IDLE)}, left out):"
    )
    stats = pstats.Stats(str(out))
    for key in [k for k in stats.stats if k[2] in IDLE]:  # type: ignore[attr-defined]
        del stats.stats[key]  # type: ignore[attr-defined]
    stats.total_tt = sum(v[2] for v in stats.stats.values())  # type: ignore[attr-defined]
    stats.sort_stats("tottime").print_stats(20)
    stats.sort_stats("cumulative").print_stats(CODE, 30)


# -- the run ----------------------------------------------------------------------------


def facts() -> str:
    """The machine and the stack: the numbers mean little without them."""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    models = [ln.split(":", 1)[1].strip() for ln in cpuinfo.splitlines() if "model name" in ln]
    http = "httptools" if find_spec("httptools") else "h11"
    loop = "uvloop" if find_spec("uvloop") else "asyncio"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({models[0] if models else '?'}), load average {load} at the end"
        f" | {platform.system()} {platform.release()}\nPython {platform.python_version()} | "
        f"uvicorn {version('uvicorn')} (http {http}, loop {loop}) | starlette "
        f"{version('starlette')} | fastapi {version('fastapi')} | pydantic {version('pydantic')}"
    )


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=32, help="connections (32)")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per target (5)")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per round (5)")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per target (2)")
    parser.add_argument("--path", default=f"/api/v1/events/{demo.SLUG}/board", help="board URL")
    parser.add_argument(
        "--profile", action="store_true", help="then time the board's steps and profile it"
    )
    return parser.parse_args()


def targets_of(port: int, path: str, directory: Path) -> tuple[list[Target], str]:
    """Fetch the board once, write the static file of its bytes; the targets and a summary."""
    status, headers, body = fetch(port, path)
    if status != 200:
        log = (directory / "server.log").read_text()[-2000:]
        raise BenchError(f"GET {path} answered {status}: {body[:300]!r}\n{log}")
    (directory / "static" / STATIC_NAME).write_bytes(body)
    static = f"/bench-static/{STATIC_NAME}"
    s_status, s_headers, s_body = fetch(port, static)
    if s_status != 200 or s_body != body:
        raise BenchError(f"GET {static} answered {s_status} with {len(s_body)} bytes")
    etag = headers.get("etag")
    targets = [
        Target("board JSON", request(port, path), 200),
        Target("static file", request(port, static), 200),
    ]
    if etag:  # revalidation: what a board page polling with its ETag costs
        targets.append(Target("board If-None-Match", request(port, path, etag), 304))
    summary = (
        f"board:  GET {path} -> 200, {len(body)} bytes, {headers.get('content-type')}, "
        f"ETag {etag or '(none)'}\nstatic: GET {static} -> 200, {len(s_body)} bytes (the same "
        f"bytes), {s_headers.get('content-type')}; StaticFiles in the same app and process"
    )
    return targets, summary


async def measure(targets: list[Target], args: argparse.Namespace, port: int, pid: int) -> None:
    for target in targets:
        await timed_round(port, target, args.concurrency, args.warmup, pid)
    for number in range(args.rounds):
        # Alternate the order so that slow drifts of the machine hit every target alike.
        for target in targets if number % 2 == 0 else reversed(targets):
            round_ = await timed_round(port, target, args.concurrency, args.seconds, pid)
            target.rounds.append(round_)


def main() -> int:
    args = arguments()
    directory = Path(tempfile.mkdtemp(prefix="ptghub-bench-board-"))
    try:
        url = load_demo(directory)
        (directory / "static").mkdir()
        port = free_port()
        server = start_server(directory, url, port, None)
        try:
            targets, summary = targets_of(port, args.path, directory)
            asyncio.run(measure(targets, args, port, server.pid))
        finally:
            stop_server(server)
        print(f"command: {shlex.join(['python', *sys.argv])}\n{facts()}\n{summary}")
        print(f"server: one uvicorn worker (as `ptghub serve`), SQLite in {directory}")
        print(
            f"load:   {args.concurrency} keep-alive HTTP/1.1 connections from this process; "
            f"{args.warmup:g} s warm-up each; {args.rounds} alternating rounds of "
            f"{args.seconds:g} s\n"
        )
        ratio = report(targets)
        verdict = "PASS" if ratio >= TARGET else "FAIL"
        print(f"\nratio board/static: {ratio:.1%} (target >= {TARGET:.0%}): {verdict}")
        if args.profile:
            in_process_breakdown(url, demo.SLUG)
            server_profile(directory, url, args)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return 0 if verdict == "PASS" else 1


def report(targets: list[Target]) -> float:
    """Print the table; return the board's median req/s over the static file's.

    CPU: the server's share of one core and its CPU time per request, and the load
    generator's share: it must stay well below 100 % for the numbers to be the server's.
    """
    print(
        f"{'target':<20}{'status':>7}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}"
        f"{'server CPU':>11}{'ms/req':>8}{'client CPU':>11}   rounds (req/s)"
    )
    median = {}
    for t in targets:
        rates = [r.requests / r.seconds for r in t.rounds]
        median[t.name] = statistics.median(rates)
        latencies = [x for r in t.rounds for x in r.latencies]
        seconds, requests = sum(r.seconds for r in t.rounds), sum(r.requests for r in t.rounds)
        server = sum(r.server_cpu for r in t.rounds)
        client = sum(r.client_cpu for r in t.rounds)
        print(
            f"{t.name:<20}{t.status:>7}{median[t.name]:>8.0f}"
            f"{percentile(latencies, 0.50) * 1e3:>8.1f}{percentile(latencies, 0.99) * 1e3:>8.1f}"
            f"{server / seconds:>11.0%}{server / requests * 1e3:>8.2f}{client / seconds:>11.0%}"
            f"   {' '.join(f'{r:.0f}' for r in rates)}"
        )
    return median["board JSON"] / median["static file"]


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"bench/board.py: {error}", file=sys.stderr)
        sys.exit(2)
