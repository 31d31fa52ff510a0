"""Commands per second through the whole write path, against a bare SQLite insert loop.

Usage: ``python bench/commands.py [--n 2000] [--rounds 5] [--dir DIR] [--profile]``

ptghub: ``Store.run`` on a fresh SQLite file holding the demo event (the April 2022 PTG:
34 teams, 16 rooms, 60 slots), as the chair of nova, cycling through six changing commands
(now, next, in, out, book, unbook). Each is parsed, run in its own transaction (BEGIN
IMMEDIATE), written with its audit row and committed.

Baseline: a bare ``sqlite3`` loop in the same directory with the same durability settings
(WAL, synchronous=FULL, one BEGIN IMMEDIATE ... COMMIT per row) inserting one row like
an audit row (the command text and a JSON blob of its change) per transaction.

Both are warmed up, then run in alternating rounds so that they share the machine's noise;
the table shows the median of the rounds. Target: ptghub >= 30 % of the bare loop's
ops/s. Exit status 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

try:
    import ptghub  # noqa: F401
except ImportError:  # run from a checkout without installing: use its src/
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import sqlalchemy

from ptghub import demo
from ptghub.core.model import Actor
from ptghub.eventfile import load_event_file
from ptghub.store.store import Store

TARGET = 0.30  # ptghub ops/s as a share of the bare loop's
CHAIR = Actor("nova-chair", frontend="bench")
FREE_CELL = "Austin-Thu-02h"  # free in the demo event, and nova is elsewhere at Thu-02h


def command(i: int) -> str:
    """The i-th command of the cycle; every one changes the state and is audited."""
    return (
        f"#nova now Unified limits, part {i}",
        f"#nova next Placement consumer types, part {i}",
        "in #nova",
        "out",
        f"#nova book {FREE_CELL}",
        f"#nova unbook {FREE_CELL}",
    )[i % 6]


def open_ptghub(directory: Path) -> Store:
    store = Store.open(f"sqlite:///{directory / 'ptghub.sqlite3'}")
    with resources.as_file(resources.files(demo) / demo.FILE) as path:
        store.create_event(load_event_file(path), Actor("bench", operator=True), "bench setup")
    return store


def ptghub_loop(store: Store) -> Callable[[int, int], None]:
    def run(start: int, count: int) -> None:
        for i in range(start, start + count):
            result = store.run(command(i), CHAIR)
            if result is None or result.audit_id is None:
                raise RuntimeError(f"{command(i)!r} changed nothing")

    return run


def open_bare(directory: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(directory / "bare.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(
        "CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,"
        " text TEXT NOT NULL, changes TEXT NOT NULL)"
    )
    return conn


def bare_loop(conn: sqlite3.Connection) -> Callable[[int, int], None]:
    def run(start: int, count: int) -> None:
        for i in range(start, start + count):
            text = command(i)
            # About the size of a real audit row's change: a team's topics, old and new.
            changes = json.dumps(
                [
                    {
                        "type": "topics-changed",
                        "team": "nova",
                        "old": {
                            "now": f"Unified limits, part {i - 6}",
                            "next": [],
                            "location": None,
                        },
                        "new": {"now": f"Unified limits, part {i}", "next": [], "location": None},
                    }
                ]
            )
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "INSERT INTO audit (at, actor, text, changes) VALUES (?, ?, ?, ?)",
                (time.strftime("%Y-%m-%d %H:%M:%S"), "nova-chair", text, changes),
            )
            conn.execute("COMMIT")

    return run


def filesystem(path: Path) -> str:
    """The type and device of the mount holding ``path`` (Linux), for the report."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return "unknown"
    real = str(path.resolve())
    best = ("", "unknown", "?")
    for line in mounts:
        device, point, kind = line.split()[:3]
        inside = real == point or real.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best[0]):
            best = (point, kind, device)
    return f"{best[1]} on {best[2]} (mounted at {best[0]})"


def timed(run: Callable[[int, int], None], start: int, count: int) -> float:
    """Ops per second of ``count`` operations."""
    began = time.perf_counter()
    run(start, count)
    return count / (time.perf_counter() - began)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="operations per round (2000)")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds of each loop (5)")
    parser.add_argument("--dir", type=Path, help="make the temp dir in DIR (to pick a filesystem)")
    parser.add_argument("--profile", action="store_true", help="profile one ptghub round")
    args = parser.parse_args()

    parent = args.dir
    if parent is not None:
        parent.mkdir(parents=True, exist_ok=True)
    directory = Path(tempfile.mkdtemp(prefix="ptghub-bench-", dir=parent))
    store = open_ptghub(directory)
    bare = open_bare(directory)
    try:
        loops = {"ptghub Store.run": ptghub_loop(store), "bare sqlite3 INSERT": bare_loop(bare)}
        warmup = max(60, args.n // 10)
        for run in loops.values():
            run(0, warmup)
        rates: dict[str, list[float]] = {name: [] for name in loops}
        start = warmup
        for round_ in range(args.rounds):
            names = list(loops) if round_ % 2 == 0 else list(reversed(loops))
            for name in names:
                rates[name].append(timed(loops[name], start, args.n))
            start += args.n
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(loops["ptghub Store.run"], start, args.n)
    finally:
        store.close()
        bare.close()
        fs = filesystem(directory)
        shutil.rmtree(directory)

    print(
        f"Python {platform.python_version()} | SQLite {sqlite3.sqlite_version} | "
        f"SQLAlchemy {sqlalchemy.__version__} | {os.cpu_count()} CPUs"
    )
    print(f"directory: {directory} ({fs}); WAL, synchronous=FULL, BEGIN IMMEDIATE per op")
    print(f"{args.rounds} rounds of {args.n} ops each, alternating; median of the rounds\n")
    print(f"{'loop':<22}{'ops/s':>10}{'µs/op':>10}   rounds (ops/s)")
    median = {name: statistics.median(values) for name, values in rates.items()}
    for name, values in rates.items():
        each = " ".join(f"{v:.0f}" for v in values)
        print(f"{name:<22}{median[name]:>10.0f}{1e6 / median[name]:>10.0f}   {each}")
    ratio = median["ptghub Store.run"] / median["bare sqlite3 INSERT"]
    verdict = "PASS" if ratio >= TARGET else "FAIL"
    print(f"\nratio ptghub/bare: {ratio:.1%} (target >= {TARGET:.0%}): {verdict}")
    if args.profile:
        print("\nptghub, one round under cProfile (cumulative time):")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
