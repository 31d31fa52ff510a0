"""The viewers of bench/load.py: N Server-Sent Events streams held by one asyncio process
with raw sockets (a parser of a few bytes per message, so that the load generator is not
what limits the figures), and what they saw, checked against the commands made.

Run by bench/load.py as ``python bench/_load_viewers.py PORT PATH N``. It prints
``READY`` once every stream is open, then waits for a line ``CHECK FILE`` on its stdin
(FILE: JSON with the commands' audit ids and answer times, and which worker holds which
client port), waits (bounded) for every viewer to reach the last change, and prints one
line of JSON: per worker, its viewers, their change-to-viewer lags and what was lost.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from array import array
from collections import defaultdict
from typing import Any

HOST = "127.0.0.1"
# Streams opened per second, one at a time, as people arrive: a burst would be accepted
# by whichever worker wakes first (asyncio accepts everything waiting), all on one worker.
CONNECT_RATE = 200
READY_TIMEOUT = 300.0  # seconds for every stream to open
CATCH_UP_TIMEOUT = 180.0  # seconds for every viewer to reach the last change, once the load ends
FRAME_END = b"\n\n"


class Viewer:
    """One stream: per change message its arrival time, audit id and number of regions."""

    def __init__(self) -> None:
        self.port = 0
        self.times = array("d")
        self.ids = array("q")
        self.versions = array("q")
        self.regions = array("l")
        self.closed: str | None = None  # why the stream ended early

    def take(self, frame: bytes, now: float) -> None:
        # "id: ID\nevent: change\ndata: {...,"fragments":{"KEY":"<html>",...}}" after
        # the chunked encoding's size line (each frame is one chunk); inside a JSON
        # string every quote is escaped, so '","' only separates two regions.
        at = frame.find(b"id: ", 0, 24)
        if at < 0:
            return  # retry: or a ping
        self.times.append(now)
        self.ids.append(int(frame[at + 4 : frame.index(b"\n", at)]))
        start = frame.index(b'"version":', at) + 10
        self.versions.append(int(frame[start : frame.index(b",", start)]))
        self.regions.append(frame.count(b'","') + 1)

    async def run(self, port: int, path: str, ready: asyncio.Event) -> None:
        try:
            reader, writer = await asyncio.open_connection(HOST, port)
        except OSError as error:
            self.closed = f"connect: {error}"
            ready.set()
            return
        self.port = writer.get_extra_info("sockname")[1]
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200"):
                self.closed = head.split(b"\r\n", 1)[0].decode(errors="replace")
                return
            buffer = b""
            while b"retry:" not in buffer:  # sent once the server has subscribed us
                if not (data := await reader.read(65536)):
                    raise ConnectionError("closed before subscribing")
                buffer += data
            ready.set()
            buffer = buffer[buffer.index(FRAME_END) + 2 :]
            while True:
                start = 0
                while (end := buffer.find(FRAME_END, start)) >= 0:
                    self.take(buffer[start:end], time.time())
                    start = end + 2
                buffer = buffer[start:]
                data = await reader.read(262144)
                if not data:
                    self.closed = "closed by the server"
                    return
                buffer += data
        except (OSError, asyncio.IncompleteReadError, ConnectionError) as error:
            self.closed = f"{type(error).__name__}: {error}"
        finally:
            ready.set()
            writer.close()


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50": float("nan"), "p99": float("nan"), "max": float("nan"), "n": 0}
    ordered = sorted(values)
    at = lambda share: ordered[min(len(ordered) - 1, int(share * len(ordered)))]  # noqa: E731
    return {"p50": at(0.50), "p99": at(0.99), "max": ordered[-1], "n": len(ordered)}


def check(viewers: list[Viewer], plan: dict[str, Any]) -> dict[str, Any]:
    """Lags and losses per worker. A change (its audit id A, answered at T) reached a
    viewer with the first message whose id (the newest audit id it includes) is at least
    A; its lag is that arrival - T. Lost: a viewer that did not end at the event's last
    version, whose ids went backwards, or that skipped a message its worker sent to
    others without getting a catch-up message (every region) instead. Not lost, but
    counted: a viewer at the last version under an id older than the newest change's."""
    commands = sorted((int(a), float(t)) for a, t in plan["commands"])
    final, holder = int(plan["final"]), {int(p): w for p, w in plan["holders"].items()}
    final_version = int(plan.get("final_version", 0))
    full = max((max(v.regions, default=0) for v in viewers), default=0)
    sent: dict[str, set[int]] = defaultdict(set)  # the message ids each worker sent
    for viewer in viewers:
        sent[holder.get(viewer.port, "?")].update(viewer.ids)
    report: dict[str, Any] = {}
    all_lags: list[float] = []
    for worker in sorted(set(holder.values()) | {holder.get(v.port, "?") for v in viewers}):
        mine = [v for v in viewers if holder.get(v.port, "?") == worker]
        lags: list[float] = []
        early = catch_ups = gaps = backwards = behind = stale = 0
        position = {m: i for i, m in enumerate(sorted(sent[worker]))}
        closed = [v.closed for v in mine if v.closed]
        for viewer in mine:
            ids, times = viewer.ids, viewer.times
            if not ids or viewer.versions[-1] < final_version:
                behind += 1  # its page does not show the last change
            elif ids[-1] < final:
                stale += 1  # it does, under the id of an older change
            k = 0
            for audit, answered in commands:
                while k < len(ids) and ids[k] < audit:
                    k += 1
                if k == len(ids):
                    break
                lag = times[k] - answered
                early += lag < 0
                lags.append(max(0.0, lag))
            for i in range(1, len(ids)):
                # The same id twice: the page re-rendered with no new change (the clock).
                if ids[i] < ids[i - 1]:
                    backwards += 1
                elif position[ids[i]] > position[ids[i - 1]] + 1:
                    if viewer.regions[i] == full:
                        catch_ups += 1
                    else:
                        gaps += 1
        all_lags.extend(lags)
        report[str(worker)] = {
            "viewers": len(mine),
            "lag": percentiles(lags),
            "before_answer": early,
            "messages": len(position),
            "catch_ups": catch_ups,
            "gaps": gaps,
            "backwards": backwards,
            "not_at_final": behind,
            "stale_id": stale,
            "closed": len(closed),
            "closed_why": sorted(set(closed))[:3],
        }
    return {"workers": report, "lag": percentiles(all_lags), "regions": full}


async def main(port: int, path: str, n: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, n + 256)), hard))
    viewers = [Viewer() for _ in range(n)]
    tasks, readies = [], []
    for viewer in viewers:
        readies.append(ready := asyncio.Event())
        tasks.append(asyncio.create_task(viewer.run(port, path, ready)))
        await asyncio.sleep(1 / CONNECT_RATE)
    async with asyncio.timeout(READY_TIMEOUT):
        await asyncio.gather(*(r.wait() for r in readies))
    failed = [v.closed for v in viewers if v.closed]
    print(f"READY {len(failed)} {failed[:1]}", flush=True)
    cpu = time.process_time()
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    cpu = time.process_time() - cpu  # while the load ran: this process's own CPU
    with open(line.split(" ", 1)[1].strip()) as file:
        plan = json.load(file)
    deadline = time.monotonic() + CATCH_UP_TIMEOUT
    final = int(plan.get("final_version", 0))
    waited = time.monotonic()
    while time.monotonic() < deadline and any(
        not v.closed and (not v.versions or v.versions[-1] < final) for v in viewers
    ):
        await asyncio.sleep(0.05)
    waited = time.monotonic() - waited
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    result = check(viewers, plan)
    result["cpu"] = cpu
    result["drained"] = waited  # seconds after the load until every viewer had it all
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2], int(sys.argv[3])))
