"""The cost of subscriptions to a writer: a ``now`` with 20,000 of them against none.

Usage: ``python bench/subscriptions.py [--subscriptions 20000] [--n 200] [--rounds 5]``

Two stores, each on a fresh SQLite file in one temporary directory, hold the demo event
(the April 2022 PTG: 34 teams). The baseline has no subscriptions; the other has
``--subscriptions`` of them (default 20,000), one per nick as the bot allows, added in
one audited change: each names a team and a word (``#nova .*limits-17``), and one in a
thousand matches every topic of the benchmark, so that notices are really sent and the
author's other nicks looked up.

Each round runs ``--n`` ``#nova now ...`` commands through ``Store.run`` (parse, one
transaction, commit, then the notices) on each store, alternately so that both share the
machine's noise. The first ``now`` on the subscribed store compiles its patterns; it is
timed and printed apart, as every writer pays it once per change of subscriptions.
Target: the median µs per ``now`` with subscriptions at most 2x the baseline's.
Exit status 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

try:
    import ptghub  # noqa: F401
except ImportError:  # run from a checkout without installing: use its src/
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from ptghub import demo
from ptghub.core.events import DomainEvent, SubscriptionChanged
from ptghub.core.model import Actor, EventState, Subscription
from ptghub.eventfile import load_event_file
from ptghub.store.store import Store

TARGET = 2.0  # µs per now with subscriptions / without, at most
CHAIR = Actor("nova-chair", frontend="bench")
LOADER = Actor("bench", operator=True)
WORDS = ("limits", "quota", "placement", "cells", "upgrade", "testing", "docs", "release")


def open_store(path: Path) -> Store:
    store = Store.open(f"sqlite:///{path}")
    with resources.as_file(resources.files(demo) / demo.FILE) as event_file:
        store.create_event(load_event_file(event_file), LOADER, "bench setup")
    return store


def subscribe(store: Store, count: int) -> None:
    def build(state: EventState, actor: Actor) -> list[DomainEvent]:
        teams = [team.slug for team in state.teams.values()]
        events: list[DomainEvent] = []
        for i in range(count):
            if i % 1000 == 0:
                pattern = "#nova now .*limits"  # matches every topic below
            else:
                pattern = f"#{teams[i % len(teams)]} .*{WORDS[i % len(WORDS)]}-{i}"
            events.append(SubscriptionChanged(f"fan{i}", None, Subscription(f"fan{i}", pattern)))
        return events

    store.change(build, LOADER, f"bench: {count} subscriptions")


def nows(store: Store, start: int, count: int) -> float:
    """Seconds for ``count`` ``now`` commands."""
    began = time.perf_counter()
    for i in range(start, start + count):
        result = store.run(f"#nova now Unified limits, part {i}", CHAIR)
        if result is None or result.audit_id is None:
            raise RuntimeError("a now changed nothing")
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscriptions", type=int, default=20_000)
    parser.add_argument("--n", type=int, default=200, help="nows per round and store")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ptghub-bench-") as tmp:
        plain = open_store(Path(tmp) / "plain.sqlite3")
        subscribed = open_store(Path(tmp) / "subscribed.sqlite3")
        try:
            began = time.perf_counter()
            subscribe(subscribed, args.subscriptions)
            setup = time.perf_counter() - began
            first = nows(subscribed, 0, 1)
            result = subscribed.run("#nova now Unified limits, again", CHAIR)
            notified = len(result.notices) if result is not None else 0
            nows(plain, 0, args.n)  # warm-up of both
            nows(subscribed, 1, args.n)
            base: list[float] = []
            subs: list[float] = []
            for r in range(args.rounds):
                start = (r + 1) * args.n + 1
                base.append(nows(plain, start, args.n) / args.n * 1e6)
                subs.append(nows(subscribed, start, args.n) / args.n * 1e6)
        finally:
            plain.close()
            subscribed.close()
    b, s = statistics.median(base), statistics.median(subs)
    ratio = s / b
    print(f"{args.subscriptions} subscriptions added in one change: {setup:.2f} s")
    print(f"first now after they changed (compiles the patterns): {first * 1e3:.1f} ms")
    print(f"subscribers notified by each now: {notified}")
    print(f"{'store':<28}{'µs/now (median)':>16}   rounds")
    print(f"{'no subscriptions':<28}{b:>16.0f}   {' '.join(f'{x:.0f}' for x in base)}")
    label = f"{args.subscriptions} subscriptions"
    print(f"{label:<28}{s:>16.0f}   {' '.join(f'{x:.0f}' for x in subs)}")
    verdict = "PASS" if ratio <= TARGET else "FAIL"
    print(f"ratio {ratio:.2f} (target <= {TARGET:.1f}): {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
