"""How long loading the demo takes with its past, against loading it without.

Usage: ``python bench/demo_load.py [--rounds 5] [--quick] [--postgres URL]``

Each round loads the demo event into a fresh database three ways, in an order that
alternates between rounds so that they share the machine's noise:

- baseline: the event file and the sample commands, as ``ptghub demo`` loaded it before
  the demo had a past;
- default clock: ``demo.load`` at the demo's clock start (Tuesday 15:10 UTC), which runs
  the past up to then (a day and a half, about 250 commands) before the sample commands;
- whole event: ``demo.load`` with the clock after the event (the whole week, about 800
  commands), as ``ptghub demo --clock 2022-04-09T00:00Z`` does.

The table shows the median seconds of the rounds and each over the baseline. Target: the
default clock within 3 s of the baseline on SQLite. Exit status 1 when it is missed.
``--postgres URL`` measures on PostgreSQL instead (a schema of its own per load, dropped
after). ``--quick``: one round (for ``make bench``).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from urllib.parse import quote

try:
    import ptghub  # noqa: F401
except ImportError:  # run from a checkout without installing: use its src/
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from ptghub import demo
from ptghub.core.events import DomainEvent
from ptghub.core.model import Actor
from ptghub.demo.load import load
from ptghub.eventfile import load_event_file
from ptghub.store.store import Store

TARGET = 3.0  # seconds the default clock's past may add to the load
TUESDAY = datetime(2022, 4, 5, 15, 10, tzinfo=UTC)
AFTER = datetime(2022, 4, 9, tzinfo=UTC)
LOADER = Actor("bench", operator=True)

Database = Callable[[], AbstractContextManager[str]]  # a fresh, empty database's URL


def baseline(store: Store, events: list[DomainEvent]) -> None:
    """What ``ptghub demo`` did before: the event, then the sample commands."""
    store.create_event(events, LOADER, "bench")
    for nick, text in demo.SAMPLE_COMMANDS:
        store.run(text, Actor(nick, frontend="demo"), event=demo.SLUG)


@contextmanager
def sqlite_url() -> Iterator[str]:
    directory = Path(tempfile.mkdtemp(prefix="ptghub-bench-"))
    try:
        yield f"sqlite:///{directory / 'ptghub.sqlite3'}"
    finally:
        shutil.rmtree(directory)


def postgres_urls(base: str) -> Database:
    import psycopg

    @contextmanager
    def url() -> Iterator[str]:
        schema = f"bench_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(base.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        separator = "&" if "?" in base else "?"
        try:
            yield f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
        finally:
            with psycopg.connect(base.replace("+psycopg", ""), autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')

    return url


def timed(database: Database, clock: datetime, how: Callable[[Store], object]) -> float:
    """Seconds ``how`` takes on a fresh database whose store's clock reads ``clock``."""
    with database() as url:
        store = Store.open(url, clock=lambda: clock)
        try:
            began = time.perf_counter()
            how(store)
            return time.perf_counter() - began
        finally:
            store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds (5)")
    parser.add_argument("--quick", action="store_true", help="one round")
    parser.add_argument("--postgres", metavar="URL", help="measure on PostgreSQL at URL")
    args = parser.parse_args()
    rounds = 1 if args.quick else args.rounds
    with resources.as_file(resources.files(demo) / demo.FILE) as path:
        events = load_event_file(path)
    database: Database = postgres_urls(args.postgres) if args.postgres else sqlite_url
    ways: dict[str, tuple[datetime, Callable[[Store], object]]] = {
        "baseline": (TUESDAY, lambda store: baseline(store, events)),
        "default clock": (TUESDAY, lambda store: load(store, events, LOADER, "bench")),
        "whole event": (AFTER, lambda store: load(store, events, LOADER, "bench")),
    }
    timed(database, TUESDAY, ways["default clock"][1])  # warm-up: imports, caches
    seconds: dict[str, list[float]] = {name: [] for name in ways}
    for round_ in range(rounds):
        names = list(ways) if round_ % 2 == 0 else list(reversed(ways))
        for name in names:
            clock, how = ways[name]
            seconds[name].append(timed(database, clock, how))

    backend = "PostgreSQL" if args.postgres else "SQLite (WAL, synchronous=FULL)"
    print(f"Python {platform.python_version()} | {backend} | {os.cpu_count()} CPUs")
    print(f"{rounds} round(s), alternating; median of the rounds\n")
    print(f"{'load':<16}{'seconds':>9}{'over baseline':>15}   rounds (s)")
    median = {name: statistics.median(values) for name, values in seconds.items()}
    for name, values in seconds.items():
        each = " ".join(f"{v:.2f}" for v in values)
        extra = median[name] - median["baseline"]
        print(f"{name:<16}{median[name]:>9.2f}{extra:>+15.2f}   {each}")
    extra = median["default clock"] - median["baseline"]
    verdict = "PASS" if args.postgres or extra <= TARGET else "FAIL"
    target = f"target <= {TARGET:g} s on SQLite"
    print(f"\ndefault clock over baseline: {extra:+.2f} s ({target}): {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
