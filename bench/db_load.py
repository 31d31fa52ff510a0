"""Database load of one idle web worker on PostgreSQL, polling against LISTEN/NOTIFY.

    python bench/db_load.py                    # 5 events x 2 viewers, 65 s idle, 20 changes
    python bench/db_load.py --seconds 30 --rounds 10 --viewers 1

Setup: a database of its own on the PostgreSQL server of PTGHUB_TEST_DATABASE_URL (or
``--url``; created and dropped by this script, so nothing else's notifications or
statistics mix in; the server's configuration is not touched), holding the demo event
five times under five slugs. For each mode, one after the other, a uvicorn server runs
in a thread of this process around ``create_app`` with a Store of its own:

- before: ``live_notify`` off, the follower polls each viewed event every 0.02 s (what
  every version before LISTEN/NOTIFY did, and what SQLite still does);
- after: ``live_notify`` on (the default), the follower wakes on notifications and
  reads every ``--safety-poll`` seconds otherwise.

``--viewers`` raw SSE readers (httpx, threads) stay connected to each event's stream, and
``--personal`` signed-in people keep their notice stream open (its session is checked at
every heartbeat, 15 s).
Once each event had one change (the warm-up: every stream open and followed), the
server is left alone for ``--seconds``: what it sends to the database meanwhile is
counted on its engine (SQLAlchemy's ``before_cursor_execute``: every statement; the
pool's ``checkout``: every connection taken, each also a pre-ping and a transaction's
end), and PostgreSQL's own count of the database's transactions (``pg_stat_database``,
reported by a session within 10 s: the script waits 11 s before each reading). The
window should hold one of the watcher's re-renderings (every 60 s per viewed event):
the default 65 s does. Then both servers run at once, with the same viewers each, and
``--rounds`` changes, one event after the other, are made through this process's own
Store on the same database (as ``ptghub cmd`` would from another process): the
change-to-viewer latency is the time until each viewer of that event has it, for the two
servers from the same changes, so that the machine's load weighs on both alike.

Targets: "after" under 1 statement/s while idle; its latency no worse than "before"
beyond noise, which this script takes as: p50 at most 1.5x before's + 10 ms and p99 at
most 1.5x before's + 50 ms (a busy 2-core machine moves single figures by tens of ms).
``PASS``/``FAIL``; exit status 1 on ``FAIL``.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import event
from sqlalchemy.engine import make_url

try:
    import ptghub  # noqa: F401
except ImportError:  # run from a checkout without installing: use its src/
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from live import (
    HOST,
    WAIT,
    SseViewer,
    _free_port,
    _percentile,
    _wait_for,
    _wait_until_serving,
)
from ptghub import demo
from ptghub.core.events import EventCreated
from ptghub.core.model import Actor
from ptghub.eventfile import load_event_file
from ptghub.live.follower import DEFAULT_SAFETY_POLL
from ptghub.settings import Settings
from ptghub.store.store import Store
from ptghub.web.session import SESSION_COOKIE

OPERATOR = Actor("bench", operator=True)
EVENTS = 5
TARGET_QPS = 1.0  # statements per second, idle, "after"
# Seconds: an idle PostgreSQL session reports its statistics after 10 s at the latest.
SETTLE = 11.0


@dataclasses.dataclass
class Counts:
    statements: int = 0
    checkouts: int = 0


@dataclasses.dataclass
class Run:
    mode: str
    seconds: float
    counts: Counts
    transactions: int
    latencies: list[float]

    def per_second(self, n: int) -> float:
        return n / self.seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("PTGHUB_TEST_DATABASE_URL"))
    parser.add_argument("--seconds", type=float, default=65.0, help="idle window per mode")
    parser.add_argument("--rounds", type=int, default=20, help="measured changes per mode")
    parser.add_argument("--viewers", type=int, default=2, help="SSE readers per event")
    parser.add_argument(
        "--personal", type=int, default=1, help="signed-in people with a notice stream open"
    )
    parser.add_argument("--safety-poll", type=float, default=DEFAULT_SAFETY_POLL)
    args = parser.parse_args()
    if not args.url or not args.url.startswith("postgresql"):
        print("FAIL  needs a PostgreSQL server: --url or PTGHUB_TEST_DATABASE_URL")
        return 1
    print(f"load average at the start {os.getloadavg()[0]:.2f}, {os.cpu_count()} CPUs")
    with own_database(args.url) as url:
        slugs = load_events(url)
        writer = Store.open(url)  # the changes, as from another process
        try:
            runs = [idle(url, slugs, notify, writer, args) for notify in (False, True)]
            latencies(url, slugs, writer, args, runs)
        finally:
            writer.close()
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    return report(runs, args)


@contextmanager
def own_database(base: str) -> Iterator[str]:
    """A new database on ``base``'s server, dropped afterwards; its URL."""
    name = f"ptghub_bench_{uuid.uuid4().hex[:12]}"
    admin = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def load_events(url: str) -> list[str]:
    with resources.as_file(resources.files(demo) / demo.FILE) as path:
        events = load_event_file(path)
    created = events[0]
    assert isinstance(created, EventCreated)
    store = Store.open(url)
    slugs = [f"{demo.SLUG}-{n}" for n in range(1, EVENTS + 1)]
    try:
        for slug in slugs:
            info = dataclasses.replace(created.info, slug=slug)
            store.create_event([EventCreated(info), *events[1:]], OPERATOR, "bench")
    finally:
        store.close()
    return slugs


def transactions(url: str) -> int:
    """PostgreSQL's count of committed and rolled-back transactions in ``url``'s database,
    asked from another database so that asking adds none."""
    parsed = make_url(url)
    name = parsed.database
    other = parsed.set(drivername="postgresql", database="postgres")
    with psycopg.connect(other.render_as_string(hide_password=False), autocommit=True) as conn:
        row = conn.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s", (name,)
        ).fetchone()
    return int(row[0]) if row else 0


@dataclasses.dataclass
class Server:
    """One ptghub web server in a thread, with its open streams and its engine's counts."""

    mode: str
    counts: Counts
    viewers: dict[str, list[SseViewer]]


@contextmanager
def serving(
    url: str, slugs: list[str], notify: bool, writer: Store, args: argparse.Namespace
) -> Iterator[Server]:
    """A server in ``notify``'s mode, its streams open and every event followed."""
    import uvicorn

    from ptghub.web.app import create_app

    mode = "after (LISTEN/NOTIFY)" if notify else "before (0.02 s poll)"
    server_store = Store.open(url)
    counts = Counts()

    def statement(*_: Any) -> None:
        counts.statements += 1

    def checkout(*_: Any) -> None:
        counts.checkouts += 1

    event.listen(server_store.engine, "before_cursor_execute", statement)
    event.listen(server_store.engine, "checkout", checkout)
    settings = Settings.model_construct(live_notify=notify, live_safety_poll=args.safety_poll)
    port = _free_port()
    config = uvicorn.Config(
        create_app(server_store, settings), host=HOST, port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="bench-uvicorn", daemon=True)
    thread.start()
    viewers: dict[str, list[SseViewer]] = {}
    personal: list[PersonalStream] = []
    try:
        base = f"http://{HOST}:{port}"
        _wait_until_serving(base, _Alive(thread))
        personal = [PersonalStream(base, writer, n) for n in range(args.personal)]
        for slug in slugs:
            viewers[slug] = [SseViewer(f"{base}/events/{slug}/stream") for _ in range(args.viewers)]
        for slug in slugs:  # the warm-up: every stream open and its event followed
            change(writer, slug, viewers[slug], "warm-up")
        yield Server(mode, counts, viewers)
    finally:
        for each in (v for group in viewers.values() for v in group):
            each.close()
        for stream in personal:
            stream.close()
        server.should_exit = True
        thread.join(30)
        server_store.close()


def idle(url: str, slugs: list[str], notify: bool, writer: Store, args: argparse.Namespace) -> Run:
    """What a server alone on the database sends to it while nothing changes."""
    with serving(url, slugs, notify, writer, args) as server:
        print(f"\n== {server.mode}: idle for {args.seconds:g} s")
        time.sleep(SETTLE)  # the warm-up's last reads, and their statistics, behind us
        counts = server.counts
        was, xacts, started = dataclasses.replace(counts), transactions(url), time.monotonic()
        time.sleep(args.seconds)
        seconds = time.monotonic() - started
        sent = Counts(counts.statements - was.statements, counts.checkouts - was.checkouts)
        time.sleep(SETTLE)  # the idle sessions' statistics reach the server
        xacts = transactions(url) - xacts
    print(f"{sent.statements} statements, {sent.checkouts} checkouts")
    return Run(server.mode, seconds, sent, xacts, [])


def latencies(
    url: str, slugs: list[str], writer: Store, args: argparse.Namespace, runs: list[Run]
) -> None:
    """Both servers up at once, each change timed to the viewers of both: the machine's
    load (and its noise) is the same for the two."""
    print(f"\n== both servers: {args.rounds} changes")
    with (
        serving(url, slugs, False, writer, args) as before,
        serving(url, slugs, True, writer, args) as after,
    ):
        servers = [before, after]
        for number in range(args.rounds):
            slug = slugs[number % len(slugs)]
            waits = change(writer, slug, [v for s in servers for v in s.viewers[slug]], str(number))
            for i, run in enumerate(runs):  # the viewers of servers[i]
                run.latencies.extend(waits[i * args.viewers : (i + 1) * args.viewers])


class PersonalStream:
    """A signed-in person's open notice stream (``/me/notices/stream``), read and dropped:
    the server checks the session at every heartbeat."""

    def __init__(self, base: str, store: Store, number: int) -> None:
        account = store.accounts.sign_up(f"viewer{number}-{uuid.uuid4().hex[:6]}@example.org")
        secret = store.accounts.start_session(account.person_id, via="email")
        self.client = httpx.Client(cookies={SESSION_COOKIE: secret}, timeout=WAIT)
        self.open = threading.Event()
        self.thread = threading.Thread(target=self._read, args=(base,), daemon=True)
        self.thread.start()
        if not self.open.wait(WAIT):
            raise RuntimeError("a personal notice stream did not open")

    def _read(self, base: str) -> None:
        try:
            with self.client.stream("GET", f"{base}/me/notices/stream") as response:
                response.raise_for_status()
                self.open.set()
                for _ in response.iter_lines():
                    pass
        except httpx.HTTPError:
            return  # closed by close()

    def close(self) -> None:
        self.client.close()
        self.thread.join(5)


class _Alive:
    """What ``_wait_until_serving`` asks of a server process, for a thread."""

    def __init__(self, thread: threading.Thread) -> None:
        self.thread = thread

    def poll(self) -> int | None:
        return None if self.thread.is_alive() else 1


def change(writer: Store, slug: str, viewers: list[SseViewer], label: str) -> list[float]:
    """Make one change to ``slug``; each viewer's wait for it (inf: it never came)."""
    topic = f"Bench {label} {uuid.uuid4().hex[:8]}"
    for viewer in viewers:
        viewer.watch(topic)
    before = time.time()
    writer.run(f"#nova now {topic}", OPERATOR, event=slug)
    arrivals = [_wait_for(viewer.arrived, topic) for viewer in viewers]
    return [at - before if at is not None else float("inf") for at in arrivals]


def report(runs: list[Run], args: argparse.Namespace) -> int:
    print(
        f"\n1 worker, {EVENTS} events x {args.viewers} viewers, {args.personal} personal "
        f"notice stream(s), idle window "
        f"{args.seconds:g} s, safety poll {args.safety_poll:g} s, {args.rounds} changes\n"
    )
    print(
        f"{'':<24} {'stmt/s':>8} {'checkout/s':>11} {'xact/s':>8} "
        f"{'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    )
    for run in runs:
        p50, p99, top = (_percentile(run.latencies, q) * 1000 for q in (0.5, 0.99, 1.0))
        rates = (run.counts.statements, run.counts.checkouts, run.transactions)
        stmt, checkouts, xacts = (run.per_second(n) for n in rates)
        print(
            f"{run.mode:<24} {stmt:>8.2f} {checkouts:>11.2f} {xacts:>8.2f} "
            f"{p50:>8.1f} {p99:>8.1f} {top:>8.1f}"
        )
    before, after = runs
    qps = after.per_second(after.counts.statements)
    ok = [qps < TARGET_QPS]
    verdict = "PASS" if ok[-1] else "FAIL"
    print(f"\n{verdict}  after: {qps:.2f} statements/s idle, target under {TARGET_QPS:g}")
    for name, q, factor, slack in (("p50", 0.5, 1.5, 0.010), ("p99", 0.99, 1.5, 0.050)):
        was, now = _percentile(before.latencies, q), _percentile(after.latencies, q)
        limit = was * factor + slack
        ok.append(now <= limit)
        verdict = "PASS" if ok[-1] else "FAIL"
        print(
            f"{verdict}  after's {name} {now * 1000:.1f} ms, at most {limit * 1000:.1f} ms "
            f"(before's {was * 1000:.1f} ms x{factor:g} + {slack * 1000:.0f} ms)"
        )
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
