"""How ptghub rides out a PostgreSQL restart: how fast requests are refused while it is
down, and how soon after it is back they succeed again, without restarting ptghub.

Starts a PostgreSQL server of its own (tests/own_postgres.py: initdb and pg_ctl from
/usr/lib/postgresql/15/bin, as the ``postgres`` user when run as root), loads the test
event, runs ``ptghub serve`` on it (tests/web/served.py) and holds one live stream open.
Each round: ``pg_ctl stop -m fast``; one API read, one page and one API command, each
timed to its answer (503 expected); ``pg_ctl start -w`` (the baseline: how long
PostgreSQL itself takes to accept connections again); then the time from there until
the API answers 200 again, and from a command's answer until the open stream shows it.
Targets: every answer while down is a 503 within 5 s (PTGHUB_DB_CONNECT_TIMEOUT), and
ptghub serves again within 5 s of PostgreSQL accepting connections (exit status 1
otherwise). Needs the test dependencies (pytest, httpx).

    python bench/db_restart.py              # 5 rounds
    python bench/db_restart.py --rounds 10
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

import httpx  # noqa: E402
from tests.own_postgres import own_postgres  # noqa: E402
from tests.support import small_event  # noqa: E402
from tests.web.served import CLIENT_TIMEOUT, Served, Stream, until  # noqa: E402

from ptghub.core.model import Actor  # noqa: E402
from ptghub.store.store import Store  # noqa: E402

SLUG = "test-ptg"
TARGET = 5.0  # seconds


def _timed(call: Callable[[], httpx.Response]) -> tuple[float, int]:
    start = time.perf_counter()
    status = call().status_code
    return time.perf_counter() - start, status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    down: list[float] = []
    statuses: set[int] = set()
    ready: list[float] = []
    back: list[float] = []
    seen: list[float] = []
    with own_postgres() as postgres, tempfile.TemporaryDirectory() as work:
        store = Store.open(postgres.url)
        store.create_event(small_event(), Actor("loader", operator=True), "bench setup")
        token = store.tokens.create("alice")[1]
        store.close()
        served = Served(postgres.url, Path(work) / "serve.log")
        bearer = {"Authorization": f"Bearer {token}"}

        def command(text: str) -> httpx.Response:
            return httpx.post(
                f"{served.url}/api/v1/events/{SLUG}/commands",
                json={"text": text},
                headers=bearer,
                timeout=CLIENT_TIMEOUT,
            )

        try:
            until("ptghub serve answers", lambda: served.answers(f"/api/v1/events/{SLUG}"))
            stream = Stream(f"{served.url}/events/{SLUG}/stream")
            stream.wait_for("retry:")  # under way: its first message is read
            for n in range(args.rounds):
                postgres.stop("fast")
                for call in (
                    lambda: httpx.get(f"{served.url}/api/v1/events/{SLUG}/board", timeout=30),
                    lambda: httpx.get(f"{served.url}/events/{SLUG}/board", timeout=30),
                    lambda n=n: command(f"#nova now Round {n} down"),
                ):
                    took, status = _timed(call)
                    down.append(took)
                    statuses.add(status)
                start = time.perf_counter()
                postgres.start()
                ready.append(time.perf_counter() - start)
                start = time.perf_counter()
                while not served.answers(f"/api/v1/events/{SLUG}/board"):
                    time.sleep(0.05)
                back.append(time.perf_counter() - start)
                start = time.perf_counter()
                assert command(f"#nova now Round {n} back").status_code == 200
                stream.wait_for(f"Round {n} back")
                seen.append(time.perf_counter() - start)
            stream.close()
        except BaseException:
            print(served.output(), file=sys.stderr)  # what the server said about it
            raise
        finally:
            served.stop()
    rows = [
        ("answer while down (s)", down),
        ("pg_ctl start -w (baseline, s)", ready),
        ("PostgreSQL ready -> 200 (s)", back),
        ("command -> open stream (s)", seen),
    ]
    print(f"{'':32} {'median':>8} {'max':>8}   ({args.rounds} rounds)")
    for name, values in rows:
        print(f"{name:32} {statistics.median(values):8.3f} {max(values):8.3f}")
    ok = statuses == {503} and max(down) < TARGET and max(back) < TARGET
    print(f"statuses while down: {sorted(statuses)}; {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
