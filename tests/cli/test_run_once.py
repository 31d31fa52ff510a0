"""Run once: of several ``ptghub mail worker`` processes on one database exactly one
sends, and when it is killed (SIGKILL, no clean stop) another takes over by itself
(the same for ``ptghub bot irc``: tests/bot/irc/test_run_once.py).

The lease lasts 4 s here (PTGHUB_LEASE_TTL; 20 s by default) to keep the test short:
what is checked is that the takeover happens, waited for generously, not how fast;
bench/takeover.py measures it with the default settings.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from ptghub.store.leases import Leases
from ptghub.store.store import Store
from tests.cli.processes import SHORT_LEASE, Process, lease_holder, wait_for
from tests.mail.sending import queue
from tests.mailserver import MailServer


def _sent_by(process: Process) -> set[str]:
    """The Message-IDs ``process`` logged as sent."""
    lines = process.output().splitlines()
    return {line.split()[4] for line in lines if " INFO Mail <" in line and "sent to" in line}


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_one_of_two_mail_workers_sends_and_the_other_takes_over_when_it_is_killed(
    store: Store, database_url: str, mail_server: MailServer, tmp_path: Path
) -> None:
    env = mail_server.env() | SHORT_LEASE
    leases = Leases(store.engine)
    args = ["mail", "worker", "--poll", "0.2"]
    first = Process(database_url, args, env, tmp_path / "first.log")
    second: Process | None = None
    try:
        wait_for(lambda: lease_holder(leases, "mail", [first]), "the first worker holds the lease")
        second = Process(database_url, args, env, tmp_path / "second.log")
        workers = [first, second]
        waiting = f"Mail sender: waiting: another process holds it ({first.name})"
        wait_for(lambda: waiting in second.output(), "the second worker says it waits")

        queued = [queue(store, f"p{n}@example.org", f"Mail {n}") for n in range(4)]
        mail_server.wait_for(4)
        wait_for(lambda: _sent_by(first) == set(queued), "the first worker logs all four")
        assert mail_server.message_ids() == Counter(queued)  # each once
        assert (store.outbox.counts(), _sent_by(second)) == ({"sent": 4}, set())

        first.kill()
        killed = time.monotonic()
        late = queue(store, "late@example.org", "After the kill")
        mail_server.wait_for(5, timeout=60)
        took = time.monotonic() - killed
        print(f"takeover: the next mail sent {took:.1f} s after kill -9 (lease ttl 4 s)")
        assert lease_holder(leases, "mail", workers) is second
        wait_for(lambda: _sent_by(second) == {late}, "the second worker logs the mail sent")
        assert mail_server.message_ids() == Counter([*queued, late])
        assert "Mail sender: run by this process" in second.output()
        assert second.stop() == 0
        assert leases.holders() == {}  # given up on a clean stop: nothing to wait for
    finally:
        for process in (first, second):
            if process is not None:
                process.stop()
