"""Who to tell of a topic change: the followers of "My PTG" against the change itself.

Usage: ``python bench/follow_notices.py [--follows 5000] [--patterns 200] [--n 100]
[--rounds 5]``

One store on a fresh SQLite file holds the demo event (the April 2022 PTG: 34 teams) and
``--follows`` follows (default 5,000) of as many people as it takes at 4 follows each,
every person with all three channels on: team follows spread over the teams, and
``--patterns`` distinct patterns (default 200) such as ``#nova .*limits-17``, one of
which matches every topic of the benchmark.

Each round times, alternately so that both share the machine's noise:

- the baseline: ``--n`` ``#nova now ...`` commands through ``Store.run`` (parse, one
  transaction, commit, the subscribers' notices): what a chair waits for;
- ``--n`` times, the recipients of one such change, as each channel computes them after
  the commit, off the request: the state read, the event's patterns matched, the follows
  of the changed team and of the matching patterns read with their people's channels
  and chat nicks (``FollowNotices.followers``), and who is owed what (``Followers.owed``).

The first computation after the follows changed compiles the patterns; it is printed
apart. The command's time does not depend on the follows at all: nothing of this runs in
its transaction or its request. Target: the median recipients' time (with the chat nicks,
as a bot reads them; the mail worker and the web server skip that read) at most 5 times
the command's: each process that tells followers (a bot, the mail worker, a web server
with personal streams open) spends per change about what a few commands cost their
writers, in a thread of its own. Exit status 1 when the target is missed.
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

from sqlalchemy import insert, select

from ptghub import demo
from ptghub.core.model import Actor
from ptghub.eventfile import load_event_file
from ptghub.store import tables as t
from ptghub.store.store import Store

TARGET = 5.0  # recipients' µs per change / the command's, at most
CHAIR = Actor("nova-chair", frontend="bench")
LOADER = Actor("bench", operator=True)
WORDS = ("limits", "quota", "placement", "cells", "upgrade", "testing", "docs", "release")
PER_PERSON = 4


def open_store(path: Path) -> Store:
    store = Store.open(f"sqlite:///{path}")
    with resources.as_file(resources.files(demo) / demo.FILE) as event_file:
        store.create_event(load_event_file(event_file), LOADER, "bench setup")
    return store


def add_follows(store: Store, count: int, patterns: int) -> None:
    """``count`` follows, ``patterns`` of them distinct patterns, by plain inserts."""
    state = store.state()
    teams = list(state.teams)
    slugs = [team.slug for team in state.teams.values()]
    people = -(-count // PER_PERSON)
    now = store.clock()
    with store.engine.begin() as conn:
        event_id = conn.execute(select(t.events.c.id)).scalar_one()
        conn.execute(insert(t.people), [{"display_name": f"fan {i}"} for i in range(people)])
        ids = list(conn.execute(select(t.people.c.id).order_by(t.people.c.id)).scalars())
        conn.execute(
            insert(t.person_settings),
            [
                {"person_id": p, "notify_chat": True, "notify_email": True, "notify_browser": True}
                for p in ids
            ],
        )
        rows = []
        for i in range(count):
            person = ids[i // PER_PERSON]
            if i < patterns:
                kind = "pattern"
                value = (
                    "#nova now .*limits"  # matches every topic below
                    if i == 0
                    else f"#{slugs[i % len(slugs)]} .*{WORDS[i % len(WORDS)]}-{i}"
                )
            else:
                kind, value = "team", teams[(i * 7 + i // len(teams)) % len(teams)]
            rows.append(
                {
                    "person_id": person,
                    "event_id": event_id,
                    "kind": kind,
                    "value": value,
                    "created_at": now,
                }
            )
        # One team per person at most once: the primary key is (person, event, kind, value).
        seen: set[tuple[int, str, str]] = set()
        unique = []
        for row in rows:
            key = (row["person_id"], row["kind"], row["value"])
            if key not in seen:
                seen.add(key)
                unique.append(row)
        conn.execute(insert(t.follows), unique)


def nows(store: Store, start: int, count: int) -> float:
    """Seconds for ``count`` ``now`` commands."""
    began = time.perf_counter()
    for i in range(start, start + count):
        result = store.run(f"#nova now Unified limits, part {i}", CHAIR)
        if result is None or result.audit_id is None:
            raise RuntimeError("a now changed nothing")
    return time.perf_counter() - began


def recipients(store: Store, count: int) -> tuple[float, int]:
    """Seconds for ``count`` computations of the newest change's recipients, and how
    many people the last one found."""
    [entry] = store.audit(limit=1)
    notices = store.attendees.follow_notices
    found = 0
    began = time.perf_counter()
    for _ in range(count):
        state = store.state()
        followers = notices.followers(None, state, entry.events, with_nicks=True)
        owed = followers.owed(state, entry.events, author=entry.person_id)
        found = len(owed)
    return time.perf_counter() - began, found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--follows", type=int, default=5_000)
    parser.add_argument("--patterns", type=int, default=200)
    parser.add_argument("--n", type=int, default=100, help="timings per round and kind")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ptghub-bench-") as tmp:
        store = open_store(Path(tmp) / "follows.sqlite3")
        try:
            add_follows(store, args.follows, args.patterns)
            nows(store, 0, 1)
            first, found = recipients(store, 1)
            nows(store, 1, args.n)  # warm-up of both
            recipients(store, args.n)
            base: list[float] = []
            work: list[float] = []
            for r in range(args.rounds):
                base.append(nows(store, (r + 1) * args.n + 1, args.n) / args.n * 1e6)
                work.append(recipients(store, args.n)[0] / args.n * 1e6)
        finally:
            store.close()
    b, w = statistics.median(base), statistics.median(work)
    ratio = w / b
    print(f"{args.follows} follows ({args.patterns} patterns) of {found} matching people")
    print(f"first computation after the follows changed (compiles): {first * 1e3:.1f} ms")
    print(f"{'per change':<36}{'µs (median)':>12}   rounds")
    print(f"{'the now command (baseline)':<36}{b:>12.0f}   {' '.join(f'{x:.0f}' for x in base)}")
    print(f"{'its recipients (read + match)':<36}{w:>12.0f}   {' '.join(f'{x:.0f}' for x in work)}")
    verdict = "PASS" if ratio <= TARGET else "FAIL"
    print(f"ratio {ratio:.2f} (target <= {TARGET:.1f}): {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
