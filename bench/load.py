"""Load: SSE viewers, board/API reads and commands at once against `ptghub serve
--workers N` on PostgreSQL, for several N in the same run.

    python bench/load.py           # 2000 viewers, 200 reads/s, 20 commands/s, 60 s; 1,2,4 workers
    python bench/load.py --quick   # 200 viewers, 20 reads/s, 5 commands/s, 10 s; 1,2 workers
    python bench/load.py --workers 1 --seconds 20

For each N: a new database on the PostgreSQL of ``--database-url`` (default
PTGHUB_TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/test; created and
dropped by the run) holding the demo event and an API token per chair; ``ptghub serve
[--workers N]`` on it, with the per-client limits raised (every client is 127.0.0.1);
the viewers open their streams (one process: _load_viewers.py), then the reads and the
commands run at fixed rates for ``--seconds`` (another process: _load_requests.py).
Printed per N: p50/p99/max of reads, commands (answer - due time) and change-to-viewer
(arrival of the first message holding a change - the command's answer), errors, per
worker its viewers, their lag, catch-up messages, memory and CPU, the database's
transactions and rows read per second (pg_stat_database), the generators' CPU.
Exit status 1 when anything failed or was lost; there is no speed target.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from _board_server import BenchError, free_port
from _load_server import (
    SLUG,
    Database,
    connections_by_worker,
    has_workers_option,
    last_change,
    load_event,
    memory,
    server_env,
    start,
    stop,
    worker_cpu,
    worker_pids,
)
from _load_viewers import percentiles

BENCH = Path(__file__).resolve().parent
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--viewers", type=int, help="open SSE streams (2000)")
    parser.add_argument("--reads", type=float, help="board/API reads per second (200)")
    parser.add_argument("--commands", type=float, help="commands per second (20)")
    parser.add_argument("--seconds", type=float, help="how long the load runs (60)")
    parser.add_argument("--workers", help="worker counts, comma-separated (1,2,4)")
    parser.add_argument(
        "--quick", action="store_true", help="200 viewers, 20 reads/s, 5 commands/s, 10 s, 1,2"
    )
    parser.add_argument("--database-url", default=os.environ.get("PTGHUB_TEST_DATABASE_URL"))
    args = parser.parse_args()
    defaults = (200, 20, 5, 10, "1,2") if args.quick else (2000, 200, 20, 60, "1,2,4")
    for name, default in zip(
        ("viewers", "reads", "commands", "seconds", "workers"), defaults, strict=True
    ):
        if getattr(args, name) is None:  # what is given wins over --quick
            setattr(args, name, default)
    try:
        args.counts = [int(n) for n in args.workers.split(",")]
    except ValueError:
        parser.error(f"--workers takes whole numbers separated by commas, not {args.workers!r}")
    if not all(1 <= n <= 16 for n in args.counts):
        parser.error("--workers: each count between 1 and 16")
    if args.viewers < 1 or args.viewers > 10000 or args.seconds <= 0 or args.commands <= 0:
        parser.error("--viewers between 1 and 10000, --seconds and --commands above 0")
    args.database_url = args.database_url or DEFAULT_URL
    if not args.database_url.startswith("postgresql"):
        parser.error(f"--database-url must be a PostgreSQL URL, not {args.database_url!r}")
    return args


class Sampler(threading.Thread):
    """Peak resident memory of each worker, sampled every half second."""

    def __init__(self, pids: list[int]) -> None:
        super().__init__(daemon=True)
        self.pids, self.peak = pids, dict.fromkeys(pids, 0)
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.5):
            for pid in self.pids:
                with contextlib.suppress(OSError, KeyError):  # a worker that is gone
                    self.peak[pid] = max(self.peak[pid], memory(pid)[0])


def python(script: str, *args: object) -> list[str]:
    return [sys.executable, str(BENCH / script), *map(str, args)]


def measure(workers: int, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """One configuration: a fresh database, the server, the load; every figure of it."""
    database = Database.create(args.database_url)
    try:
        tokens = json.dumps(load_event(database.url))
        port = free_port()
        env = server_env(database.url, tmp, args.viewers)
        server = start(port, workers, env, tmp / f"serve-{workers}.log")
        viewers = requests = None
        try:
            pids = worker_pids(server.pid)
            viewers = subprocess.Popen(
                python("_load_viewers.py", port, f"/events/{SLUG}/stream", args.viewers),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            assert viewers.stdin is not None and viewers.stdout is not None
            ready = viewers.stdout.readline().split(" ", 2)
            if ready[0] != "READY" or ready[1] != "0":
                raise BenchError(f"the viewers did not all connect: {' '.join(ready)}")
            # Again: uvicorn's supervisor replaces a worker that misses its health check.
            pids = worker_pids(server.pid)
            holders = connections_by_worker(port, pids)
            sampler = Sampler(pids)
            sampler.start()
            requests = subprocess.Popen(
                python("_load_requests.py", port, args.reads, args.commands, args.seconds, tokens),
                stdout=subprocess.PIPE,
                text=True,
            )
            assert requests.stdout is not None
            if requests.stdout.readline().strip() != "MEASURING":  # after its warm-up
                raise BenchError(f"the requests process failed ({requests.wait(60)})")
            before, cpu_before = database.stats(), worker_cpu(pids)
            done = requests.stdout.readline()
            after, cpu_after = database.stats(), worker_cpu(pids)
            if requests.wait(60) != 0 or not done:
                raise BenchError(f"the requests process failed ({requests.returncode})")
            load = json.loads(done)
            final_version, final_id = last_change(database.url)
            plan = {
                "commands": load["changes"],
                "final": final_id,
                "final_version": final_version,
                "holders": holders,
            }
            (tmp / "plan.json").write_text(json.dumps(plan))
            viewers.stdin.write(f"CHECK {tmp / 'plan.json'}\n")
            viewers.stdin.flush()
            seen = json.loads(viewers.stdout.readline())
            sampler.done.set()
            replaced = sorted(set(pids) - set(worker_pids(server.pid)))
            rss = {pid: memory(pid) if pid not in replaced else (0, 0) for pid in pids}
        finally:
            for process in (viewers, requests):
                if process is not None and process.poll() is None:
                    process.kill()
                    process.wait()
            stop(server)
            log = (tmp / f"serve-{workers}.log").read_text(errors="replace").splitlines()
    finally:
        database.drop()
    seconds = after[0] - before[0]
    return {
        "workers": workers,
        "pids": pids,
        "load": load,
        "seen": seen,
        "rss": {pid: (rss[pid][0], max(sampler.peak[pid], rss[pid][0])) for pid in pids},
        "cpu": {pid: cpu_after.get(pid, 0) - cpu_before.get(pid, 0) for pid in pids},
        "xact": (after[1] - before[1]) / seconds,
        "rows": (after[2] - before[2]) / seconds,
        "db_connections": after[3],
        "db_opened": (after[4] - before[4]) / seconds,
        "log": log[-12:],
        "replaced": replaced,
    }


def errors_of(result: dict[str, Any]) -> dict[str, int]:
    seen, load = result["seen"]["workers"], result["load"]
    total = {k: sum(w[k] for w in seen.values()) for k in ("closed", "gaps", "backwards")}
    total["not at the last change"] = sum(w["not_at_final"] for w in seen.values())
    total["requests"] = len(load["errors"])
    total["viewers on no known worker"] = seen.get("?", {}).get("viewers", 0)
    total["workers replaced during the run"] = len(result["replaced"])
    return total


def ms(stats: dict[str, float]) -> str:
    return " ".join(f"{stats[k] * 1000:>8.1f}" for k in ("p50", "p99", "max")) + f" {stats['n']:>8}"


def report(result: dict[str, Any], args: argparse.Namespace) -> bool:
    """Print one configuration's table; True when nothing failed or was lost."""
    load, seen, n = result["load"], result["seen"], result["workers"]
    print(f"\n== {n} worker{'s' if n > 1 else ''} (pids {' '.join(map(str, result['pids']))})")
    print(f"{'':<18}{'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'count':>8}")
    print(f"{'reads':<18}{ms(percentiles(load['reads']))}")
    print(f"{'commands':<18}{ms(percentiles(load['commands']))}")
    print(f"{'change-to-viewer':<18}{ms(seen['lag'])}")
    done = load["seconds"]
    print(
        f"achieved: {len(load['reads']) / done:.0f} reads/s ({load['statuses']}), "
        f"{len(load['changes']) / done:.1f} changes/s over {done:.1f} s"
    )
    head = f"{'worker':>8} {'viewers':>7} {'lag p50':>8} {'lag p99':>8} {'lag max':>8}"
    print(head + f" {'messages':>8} {'catch-up':>8} {'RSS MB':>7} {'peak MB':>7} {'CPU s':>6}")
    for pid in result["pids"]:
        w = seen["workers"].get(str(pid))
        rss, peak = result["rss"][pid]
        if w is None:
            print(f"{pid:>8} {0:>7}   (no viewer)  {rss:>7} {peak:>7} {result['cpu'][pid]:>6.1f}")
            continue
        lag = w["lag"]
        print(
            f"{pid:>8} {w['viewers']:>7} {lag['p50'] * 1000:>8.1f} {lag['p99'] * 1000:>8.1f} "
            f"{lag['max'] * 1000:>8.1f} {w['messages']:>8} {w['catch_ups']:>8} "
            f"{rss:>7} {peak:>7} {result['cpu'][pid]:>6.1f}"
        )
    print(
        f"database: {result['xact']:.0f} transactions/s, {result['rows']:.0f} rows read/s, "
        f"{result['db_connections']} connections open at the end, "
        f"{result['db_opened']:.1f} opened/s"
    )
    print(
        f"generators' CPU: viewers {seen['cpu']:.1f} s, requests {load['cpu']:.1f} s "
        f"over {done:.0f} s ({(seen['cpu'] + load['cpu']) / done:.0%} of one core)"
    )
    errors = errors_of(result)
    bad = {k: v for k, v in errors.items() if v}
    kinds = Counter(" ".join(line.split()[:3]) for line in load["errors"])
    for kind, count in kinds.most_common(5):
        print(f"  {count} errors: {kind} ...")
    stale = sum(w.get("stale_id", 0) for w in seen["workers"].values())
    if stale:
        print(f"  {stale} viewers show the last version under an older change's id")
    early = sum(w["before_answer"] for w in seen["workers"].values())
    if early:
        print(f"  {early} deliveries came before the command's answer (counted as 0 ms)")
    if "drained" in seen:
        print(f"every viewer had the last version {seen['drained']:.1f} s after the load ended")
    for why in {w for v in seen["workers"].values() for w in v["closed_why"]}:
        print(f"  stream ended: {why}")
    print(f"errors: {sum(errors.values())} {bad or ''}".rstrip())
    if bad and result["log"]:
        print("  the server's log ends:", *result["log"], sep="\n    ")
    return not bad and bool(load["changes"])


def summary(results: list[dict[str, Any]], passed: list[bool]) -> None:
    print("\nworkers  reads p50/p99 ms  commands p50/p99 ms  viewer p50/p99 ms  errors", end="")
    print("  viewers per worker  RSS MB per worker  transactions/s")
    for result in results:
        load, seen, pids = result["load"], result["seen"], result["pids"]
        reads, commands = percentiles(load["reads"]), percentiles(load["commands"])
        lag, errors = seen["lag"], sum(errors_of(result).values())
        per = "/".join(str(seen["workers"].get(str(p), {}).get("viewers", 0)) for p in pids)
        rss = "/".join(str(result["rss"][p][0]) for p in pids)
        print(
            f"{result['workers']:>7}  {reads['p50'] * 1000:>6.0f}/{reads['p99'] * 1000:<8.0f}"
            f"  {commands['p50'] * 1000:>7.0f}/{commands['p99'] * 1000:<10.0f}"
            f"  {lag['p50'] * 1000:>6.0f}/{lag['p99'] * 1000:<9.0f}"
            f"  {errors:>6}  {per:>18}  {rss:>17}  {result['xact']:>14.0f}"
        )
    for result, ok in zip(results, passed, strict=True):
        idle = [str(p) for p in result["pids"] if str(p) not in result["seen"]["workers"]]
        if idle:  # nothing is wrong, but the run does not show that worker keeping up
            print(f"{result['workers']} workers: NOT SHOWN for {', '.join(idle)}: no viewer")
        worst = max(w["lag"]["max"] for w in result["seen"]["workers"].values())
        print(
            f"{result['workers']} workers: {'PASS' if ok else 'FAIL'}: "
            + (
                "no errors; every viewer of every worker reached the last change, none lost "
                f"a message without a catch-up (slowest delivery {worst * 1000:.0f} ms)"
                if ok
                else "errors or lost changes (above)"
            )
        )


def main() -> int:
    args = arguments()
    if max(args.counts) > 1 and not has_workers_option():
        print("FAIL: this ptghub's 'serve' has no --workers option; run with --workers 1")
        return 1
    print(
        f"{args.viewers} viewers, {args.reads:g} reads/s, {args.commands:g} commands/s for "
        f"{args.seconds:g} s against {', '.join(map(str, args.counts))} worker(s) on "
        f"PostgreSQL; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the start"
    )
    results, passed = [], []
    for workers in args.counts:
        with tempfile.TemporaryDirectory(prefix="ptghub-load-") as tmp:
            try:
                results.append(measure(workers, args, Path(tmp)))
            except BenchError as error:
                print(f"\n== {workers} workers: FAIL: {error}")
                return 1
            passed.append(report(results[-1], args))
        time.sleep(2)
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end")
    summary(results, passed)
    return 0 if all(passed) else 1


if __name__ == "__main__":
    sys.exit(main())
