"""How long an event's history takes to build from its audit log, and to read again.

Usage: ``python bench/history.py [--sizes 1000,10000,50000] [--rounds 3] [--dir DIR]``,
``--quick`` for the Makefile (sizes 1000 and 5000, 3 rounds).

One SQLite file holding the demo event (the April 2022 PTG: 34 teams, 16 rooms, 60 slots)
gets its changes through ``Store.run``, with a simulated clock advanced so that every
change falls within the event: a cycle of ten commands of several teams and people (now,
next, location, in, out, book, unbook). At each size (the same log, grown), the median of
the rounds of:

- ``Store.replay`` (the baseline): the state rebuilt from the audit log alone, the read,
  the decoding of every change and applying it;
- ``history, built``: ``event_history`` on a store that kept nothing: the same read, the
  replay keeping the history, the timeline derived;
- ``build_timeline (pure)``: the replay and the timeline alone, on entries already read;
- ``history, cached``: ``event_history`` again, nothing changed (one read of the version);
- ``one change: fed``: one more command, then ``event_history``: the kept replay is fed
  the change and the timeline derived again;
- ``one change: rebuilt``: the same on a store that kept nothing (a build from scratch).

Target: at the largest size, bringing the kept timeline up to date after a change takes
at most a tenth of a build from scratch. Exit status 1 when it does not.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
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
from ptghub.history.timeline import build_timeline, event_end, slot_bounds
from ptghub.store.history import event_history
from ptghub.store.store import Store

TARGET = 0.10  # a change fed to the kept timeline, as a share of a build from scratch
ORGANIZER = Actor("bench", frontend="bench", operator=True)
FREE_CELL = "Austin-Thu-02h"  # free in the demo event, and nova is elsewhere at Thu-02h


class Clock:
    """The store's clock: moved by hand, one step per change."""

    def __init__(self, now: datetime, step: timedelta) -> None:
        self.now = now
        self.step = step

    def __call__(self) -> datetime:
        return self.now


def command(i: int) -> tuple[str, Actor]:
    """The i-th command of the cycle; every one changes the state and is audited."""
    person = Actor(f"attendee{i % 40}", frontend="bench")
    # "out" is said by the person who checked in three commands earlier.
    leaving = Actor(f"attendee{(i - 3) % 40}", frontend="bench")
    return (
        (f"#nova now Unified limits, part {i}", ORGANIZER),
        (f"#cinder next Backup drivers, part {i}", ORGANIZER),
        ("in #nova", person),
        (f"#neutron now OVN parity, part {i}", ORGANIZER),
        (f"#tc now Release cadence, part {i}", ORGANIZER),
        ("out", leaving),
        (f"#nova book {FREE_CELL}", ORGANIZER),
        (f"#cinder now Backup drivers, part {i}", ORGANIZER),
        (f"#nova unbook {FREE_CELL}", ORGANIZER),
        (f"#tc location Room {i}", ORGANIZER),
    )[i % 10]


def open_store(directory: Path, clock: Clock) -> Store:
    store = Store.open(f"sqlite:///{directory / 'ptghub.sqlite3'}", clock=clock)
    with resources.as_file(resources.files(demo) / demo.FILE) as path:
        store.create_event(load_event_file(path), Actor("bench", operator=True), "bench setup")
    return store


def grow(store: Store, clock: Clock, start: int, count: int) -> None:
    for i in range(start, start + count):
        clock.now += clock.step
        text, actor = command(i)
        result = store.run(text, actor)
        if result is None or result.audit_id is None:
            raise RuntimeError(f"{text!r} changed nothing")


def seconds(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="changes (1000,10000,50000)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds of each step (3)")
    parser.add_argument("--quick", action="store_true", help="sizes 1000,5000 (for make bench)")
    parser.add_argument("--dir", type=Path, help="make the temp dir in DIR (e.g. /dev/shm)")
    args = parser.parse_args()
    sizes = [1000, 5000] if args.quick else sorted(int(s) for s in args.sizes.split(","))
    rounds = args.rounds

    parent = args.dir
    if parent is not None:
        parent.mkdir(parents=True, exist_ok=True)
    directory = Path(tempfile.mkdtemp(prefix="ptghub-bench-", dir=parent))
    # Loaded before the event; the clock is set to the event's own times below.
    clock = Clock(datetime(2022, 1, 3, tzinfo=UTC), timedelta(0))
    store = open_store(directory, clock)
    state = store.state()
    assert state.info is not None
    zone = state.info.timezone
    first = min(slot_bounds(slot, zone)[0] for slot in state.slots.values())
    total = sizes[-1] + 2 * rounds * len(sizes) + 10
    clock.now, clock.step = first, (event_end(state) - first) / total
    slug = state.info.slug

    rows: list[tuple[int, dict[str, float]]] = []
    made = 0
    generating = 0.0
    try:
        for size in sizes:
            began, made = made, size
            generating += seconds(lambda b=began, n=size - began: grow(store, clock, b, n))
            times: dict[str, list[float]] = {}

            def measure(name: str, action: Callable[[], object]) -> None:
                times.setdefault(name, []).append(seconds(action))  # noqa: B023

            for _ in range(rounds):
                measure("Store.replay (baseline)", lambda: store.replay(slug))
                fresh = Store(store.engine, clock=clock)
                measure("history, built", lambda fresh=fresh: event_history(fresh, slug))
                entries = store.audit(slug)
                end = event_end(store.state(slug))
                measure("build_timeline (pure)", lambda e=entries, u=end: build_timeline(e, u))
                event_history(store, slug)
                measure("history, cached", lambda: event_history(store, slug))
                grow(store, clock, made, 1)
                made += 1
                measure("one change: fed", lambda: event_history(store, slug))
                grow(store, clock, made, 1)
                made += 1
                fresh = Store(store.engine, clock=clock)
                measure("one change: rebuilt", lambda fresh=fresh: event_history(fresh, slug))
            rows.append((size, {name: statistics.median(v) for name, v in times.items()}))
    finally:
        store.close()
        shutil.rmtree(directory)

    print(
        f"Python {platform.python_version()} | SQLite {sqlite3.sqlite_version} | "
        f"SQLAlchemy {sqlalchemy.__version__} | {os.cpu_count()} CPUs"
    )
    print(f"directory: {directory}; {made} changes made in {generating:.0f} s")
    print(f"median of {rounds} rounds, in ms\n")
    names = list(rows[0][1])
    print(f"{'changes':>8}" + "".join(f"{name:>26}" for name in names))
    for size, medians in rows:
        print(f"{size:>8}" + "".join(f"{medians[name] * 1000:>26.2f}" for name in names))
    size, largest = rows[-1]
    ratio = largest["one change: fed"] / largest["one change: rebuilt"]
    built = largest["history, built"] / largest["Store.replay (baseline)"]
    print(
        f"\nat {size} changes: built in {largest['history, built']:.2f} s, {built:.2f}x the replay"
    )
    verdict = "PASS" if ratio <= TARGET else "FAIL"
    print(
        f"one change fed to the kept timeline: {ratio:.1%} of a rebuild "
        f"(target <= {TARGET:.0%}): {verdict}"
    )
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
