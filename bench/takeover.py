"""How long after a kill -9 of the mail sender's holder another process sends the next mail.

Two ``ptghub mail worker`` processes on one database (tests/cli/processes.py) with the
lease settings as given (by default ptghub's own: PTGHUB_LEASE_TTL 20 s, a standby
retrying every 5 s), a real SMTP server (tests/mailserver.py). Once the first holds the
"mail" lease and one queued mail went out through it, it gets SIGKILL (no clean stop: its
lease is left to expire); a mail is queued at that moment and the time until the SMTP
server receives it is the takeover. Target: under 30 s (exit status 1 otherwise). On
SQLite always; on PostgreSQL too when PTGHUB_TEST_DATABASE_URL is set (a schema of its
own, dropped after).

    python bench/takeover.py                   # the default lease settings, 3 rounds
    python bench/takeover.py --ttl 4 --retry 0.5 --rounds 1
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.cli.processes import Process, lease_holder, wait_for  # noqa: E402
from tests.mail.sending import queue  # noqa: E402
from tests.mailserver import MailServer  # noqa: E402

from ptghub.store.leases import Leases  # noqa: E402
from ptghub.store.store import Store  # noqa: E402

TARGET = 30.0  # seconds, from issue 14


@contextmanager
def databases(directory: Path) -> Iterator[list[tuple[str, str]]]:
    """(backend, URL): a SQLite file, and a PostgreSQL schema when one is configured."""
    found = [("sqlite", f"sqlite:///{directory / 'ptghub.sqlite3'}")]
    base = os.environ.get("PTGHUB_TEST_DATABASE_URL")
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    if base:
        import psycopg

        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        separator = "&" if "?" in base else "?"
        found.append(("postgresql", f"{base}{separator}options={quote(f'-csearch_path={schema}')}"))
    try:
        yield found
    finally:
        if base:
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def one_round(url: str, env: dict[str, str], server: MailServer, logs: Path) -> float:
    """Seconds from the holder's SIGKILL to the next mail's arrival."""
    store = Store.open(url)
    leases = Leases(store.engine)
    args = ["mail", "worker", "--poll", "0.5"]
    first = Process(url, args, env, logs / f"first-{uuid.uuid4().hex[:6]}.log")
    second: Process | None = None
    try:
        wait_for(lambda: lease_holder(leases, "mail", [first]), "the first holds the lease")
        second = Process(url, args, env, logs / f"second-{uuid.uuid4().hex[:6]}.log")
        wait_for(lambda: "waiting" in second.output(), "the second waits", timeout=120)
        arrived = len(server.messages)
        queue(store, "before@example.org", "Before the kill")
        server.wait_for(arrived + 1, timeout=120)
        first.kill()
        killed = time.monotonic()
        queue(store, "after@example.org", "After the kill")
        server.wait_for(arrived + 2, timeout=300)
        took = time.monotonic() - killed
        assert lease_holder(leases, "mail", [first, second]) is second
        return took
    finally:
        for process in (first, second):
            if process is not None:
                process.stop()
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ttl", type=float, help="PTGHUB_LEASE_TTL (default: ptghub's)")
    parser.add_argument("--retry", type=float, help="PTGHUB_LEASE_RETRY (default: ptghub's)")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    server = MailServer()
    server.start()
    env = server.env()
    for name, value in (("TTL", options.ttl), ("RETRY", options.retry)):
        if value is not None:
            env[f"PTGHUB_LEASE_{name}"] = str(value)
    worst = 0.0
    print(f"lease settings: ttl {options.ttl or 'default'}, retry {options.retry or 'default'}")
    try:
        with tempfile.TemporaryDirectory() as tmp, databases(Path(tmp)) as found:
            for backend, url in found:
                times = [one_round(url, env, server, Path(tmp)) for _ in range(options.rounds)]
                worst = max(worst, *times)
                shown = ", ".join(f"{t:.1f}" for t in times)
                print(f"{backend:<11} takeover after kill -9: {shown} s (worst {max(times):.1f})")
    finally:
        server.stop()
    verdict = "PASS" if worst < TARGET else "FAIL"
    print(f"{verdict}: worst takeover {worst:.1f} s, target under {TARGET:.0f} s")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
