"""Run once: of several ``ptghub mail worker`` (or ``ptghub serve``) processes on one
database exactly one sends, and when it is killed (SIGKILL, no clean stop) or stopped
another takes over by itself (the same for ``ptghub bot irc``:
tests/bot/irc/test_run_once.py).

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
from tests.mailserver import MailServer, free_port


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


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_of_two_servers_one_sends_mail_and_the_other_when_the_first_stops(
    store: Store, database_url: str, mail_server: MailServer, tmp_path: Path
) -> None:
    env = mail_server.env() | SHORT_LEASE
    leases = Leases(store.engine)
    servers: list[Process] = []
    try:
        for n in range(2):
            args = ["serve", "--port", str(free_port())]
            servers.append(Process(database_url, args, env, tmp_path / f"serve{n}.log"))
            wait_for(lambda: lease_holder(leases, "mail", servers), "a server holds the lease")
        first, second = servers
        assert lease_holder(leases, "mail", servers) is first
        waiting = f"Mail sender: waiting: another process holds it ({first.name})"
        wait_for(lambda: waiting in second.output(), "the second server says it waits")
        assert "Mail sender: run by this process" in first.output()

        first.stop()  # SIGTERM: uvicorn shuts down, then dies of the signal it caught
        # A clean stop gives the lease up (it would otherwise stay first's for seconds).
        assert lease_holder(leases, "mail", [first]) is None
        message_id = queue(store, "ada@example.org", "Welcome")
        [received] = mail_server.wait_for(1, timeout=60)
        assert received.message_id == message_id
        assert lease_holder(leases, "mail", servers) is second
        assert "Mail sender: run by this process" in second.output()
    finally:
        for server in servers:
            server.stop()


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_of_two_matrix_bots_for_one_room_one_runs_and_the_other_when_it_stops(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    # No homeserver answers: the bot that runs keeps trying to log in, which is enough
    # to see which process runs it (a real Synapse: tests/bot/matrix).
    homeserver = f"http://127.0.0.1:{free_port()}"
    env = SHORT_LEASE | {"PTGHUB_MATRIX_ACCESS_TOKEN": "syt_test"}
    args = ["bot", "matrix", "--homeserver", homeserver, "--user", "@bot:example.org"]
    args += ["--room", "#ptg:example.org"]
    leases = Leases(store.engine)
    name = f"matrix:{homeserver}/#ptg:example.org"
    bots: list[Process] = []
    try:
        for n in range(2):
            bots.append(Process(database_url, args, env, tmp_path / f"matrix{n}.log"))
            wait_for(lambda: lease_holder(leases, name, bots), "a bot holds the lease")
        first, second = bots
        assert lease_holder(leases, name, bots) is first
        waiting = f"Matrix bot: waiting: another process holds it ({first.name})"
        wait_for(lambda: waiting in second.output(), "the second bot says it waits")
        assert "Matrix bot: run by this process" in first.output()

        assert first.stop() == 0
        wait_for(lambda: lease_holder(leases, name, bots) is second, "the second takes over")
        wait_for(lambda: "Matrix bot: run by this process" in second.output(), "it says so")
        assert second.stop() == 0
        assert leases.holders() == {}
    finally:
        for bot in bots:
            bot.stop()
