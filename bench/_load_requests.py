"""The reads and commands of bench/load.py, at fixed rates, from one asyncio process over
a small pool of keep-alive HTTP/1.1 connections (raw sockets).

Run by bench/load.py as ``python bench/_load_requests.py PORT READS COMMANDS SECONDS
TOKENS_JSON``. Request i of a kind is due at start + i / rate whether or not the server
has answered the earlier ones (an open loop: a slow server makes requests wait, and the
wait counts), so a latency is answer - due time. Prints one line of JSON at the end.

Reads rotate over four requests a board page or an API client makes: the board JSON, the
board revalidated with the last ETag seen (a 304 while the event has not changed), the
event's teams and its schedule. Commands are ``#TEAM now Load N`` through
``POST /api/v1/events/SLUG/commands`` with the team's chair's token, the teams in turn.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

HOST = "127.0.0.1"
SLUG = "ptg-2022-04"
API = f"/api/v1/events/{SLUG}"
POOL = 64  # connections per kind at most
TIMEOUT = 60.0  # seconds a request may take before it counts as an error
KEEP_ALIVE = 3.0  # seconds a connection may stay idle and still be reused


Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class Pool:
    """Keep-alive connections, opened when none is free (up to POOL). One idle for longer
    than the server keeps it (uvicorn's timeout_keep_alive, 5 s) is closed, not reused,
    as an HTTP client does: else its next request would meet the server's close."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.idle: list[tuple[Connection, float]] = []  # and when it was last used
        self.opened = 0
        self.free = asyncio.Condition()

    async def take(self) -> Connection:
        async with self.free:
            while not self.idle and self.opened >= POOL:
                await self.free.wait()
            while self.idle:
                conn, used = self.idle.pop()
                if time.monotonic() - used < KEEP_ALIVE:
                    return conn
                conn[1].close()
                self.opened -= 1
            self.opened += 1
        try:
            return await asyncio.open_connection(HOST, self.port)
        except BaseException:
            await self.give(None)
            raise

    async def give(self, conn: Connection | None) -> None:
        async with self.free:
            if conn is None:
                self.opened -= 1  # broken: a new one may be opened in its place
            else:
                self.idle.append((conn, time.monotonic()))
            self.free.notify()


async def exchange(pool: Pool, request: bytes) -> tuple[int, dict[bytes, bytes], bytes]:
    """Send one request on a pooled connection; (status, headers, body) of the answer."""
    conn = await pool.take()
    try:
        reader, writer = conn
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        body = await reader.readexactly(int(headers.get(b"content-length", b"0")))
        if b"close" in headers.get(b"connection", b"").lower():
            writer.close()
            conn = None  # type: ignore[assignment]
        return int(lines[0].split(b" ", 2)[1]), headers, body
    except BaseException:
        conn[1].close()
        conn = None  # type: ignore[assignment]
        raise
    finally:
        await pool.give(conn)


def get(port: int, path: str, etag: bytes | None) -> bytes:
    match = b"If-None-Match: " + etag + b"\r\n" if etag else b""
    return f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n".encode() + match + b"\r\n"


def post(port: int, path: str, token: str, body: dict[str, str]) -> bytes:
    data = json.dumps(body).encode()
    return (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
    ).encode() + data


class Load:
    def __init__(self, port: int, tokens: dict[str, str], warm: Load | None = None) -> None:
        self.port = port
        self.tokens = sorted(tokens.items())
        self.reads = warm.reads if warm else Pool(port)
        self.commands = warm.commands if warm else Pool(port)
        self.first = len(warm.changes) if warm else 0  # numbers the commands' topics
        self.etag: bytes | None = None
        self.read_latencies: list[float] = []
        self.command_latencies: list[float] = []
        self.changes: list[tuple[int, float]] = []  # (audit id, wall time of the answer)
        self.statuses: dict[str, int] = {}
        self.errors: list[str] = []

    def error(self, what: str) -> None:
        self.errors.append(what)

    async def read(self, i: int, due: float) -> None:
        kind = i % 4
        path = (f"{API}/board", f"{API}/board", f"{API}/teams", f"{API}/schedule")[kind]
        etag = self.etag if kind == 1 else None
        try:
            async with asyncio.timeout(TIMEOUT):
                status, headers, _ = await exchange(self.reads, get(self.port, path, etag))
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
            self.error(f"read {path}: {type(error).__name__} {error}")
            return
        self.read_latencies.append(time.perf_counter() - due)
        self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
        if status == 200 and kind == 0:
            self.etag = headers.get(b"etag", self.etag)
        if status not in (200, 304) or (status == 304 and kind != 1):
            self.error(f"read {path}: status {status}")

    async def command(self, i: int, due: float) -> None:
        team, token = self.tokens[i % len(self.tokens)]
        path, body = f"{API}/commands", {"text": f"#{team} now Load {self.first + i}"}
        try:
            async with asyncio.timeout(TIMEOUT):
                status, _, data = await exchange(self.commands, post(self.port, path, token, body))
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
            self.error(f"command {i}: {type(error).__name__} {error}")
            return
        answered = time.time()
        self.command_latencies.append(time.perf_counter() - due)
        if status != 200:
            self.error(f"command {i}: status {status} {data[:200]!r}")
            return
        out = json.loads(data)
        if not out.get("changed") or out.get("audit_id") is None:
            self.error(f"command {i}: changed nothing: {out.get('reply')!r}")
            return
        self.changes.append((int(out["audit_id"]), answered))

    async def paced(self, rate: float, seconds: float, start: float, send: Any) -> None:
        """Start ``send(i, due)`` at start + i / rate for ``seconds``; wait for them all."""
        tasks, i = [], 0
        while rate > 0 and (due := start + i / rate) < start + seconds:
            if (wait := due - time.perf_counter()) > 0:
                await asyncio.sleep(wait)
            tasks.append(asyncio.create_task(send(i, due)))
            i += 1
        await asyncio.gather(*tasks)


async def main(port: int, reads: float, commands: float, seconds: float, tokens: str) -> None:
    load = Load(port, json.loads(tokens))
    # A warm-up at the same rates (connections opened, each worker's caches filled), its
    # figures dropped: what is measured is the steady state.
    warm_up = min(3.0, seconds / 5)
    start = time.perf_counter() + 0.1
    await asyncio.gather(
        load.paced(reads, warm_up, start, load.read),
        load.paced(commands, warm_up, start, load.command),
    )
    if load.errors:
        raise SystemExit(f"errors during the warm-up: {load.errors[:3]}")
    load = Load(port, json.loads(tokens), load)
    print("MEASURING", flush=True)
    cpu, start = time.process_time(), time.perf_counter() + 0.1
    await asyncio.gather(
        load.paced(reads, seconds, start, load.read),
        load.paced(commands, seconds, start, load.command),
    )
    elapsed = time.perf_counter() - start
    result: dict[str, Any] = {
        "reads": load.read_latencies,
        "commands": load.command_latencies,
        "changes": load.changes,
        "statuses": load.statuses,
        "errors": load.errors,
        "seconds": elapsed,
        "cpu": time.process_time() - cpu,
        "connections": load.reads.opened + load.commands.opened,
    }
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    port, reads, commands, seconds = sys.argv[1:5]
    asyncio.run(main(int(port), float(reads), float(commands), float(seconds), sys.argv[5]))
