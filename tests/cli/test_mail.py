"""``ptghub mail``: list, paused, unpause, worker; and ``ptghub serve`` sending mail."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from ptghub.cli.mail import mail_worker_for
from ptghub.settings import Settings
from ptghub.store.mail_delivery import Delivery
from ptghub.store.store import Store
from tests.cli.running import run
from tests.cli.test_serve import _free_port, _wait_for
from tests.mail.sending import queue, wait_until
from tests.mailserver import MailServer
from tests.support import Clock


def _refuse(store: Store, address: str) -> str:
    """A mail to ``address`` refused for good, as the sender records it: its Message-ID."""
    message_id = queue(store, address, "Refused")
    delivery = Delivery(store.engine, store.clock)
    claimed = delivery.claim()
    assert claimed is not None
    delivery.refused(claimed, "550 5.1.1 No such user")
    return message_id


def test_mail_list_shows_the_outbox_newest_first(store: Store, database_url: str) -> None:
    assert run(database_url, "mail", "list") == (0, "Outbox: empty.\n", "")
    _refuse(store, "gone@example.org")
    queue(store, "ada@example.org", "Welcome")
    code, stdout, _ = run(database_url, "mail", "list")
    assert (code, stdout.splitlines()) == (
        0,
        [
            "Outbox: 1 queued, 1 failed.",
            '#2  queued  ada@example.org  test  "Welcome"  0 attempt(s)  next attempt '
            "2022-04-04 13:30:00",
            '#1  failed  gone@example.org  test  "Refused"  1 attempt(s)  queued '
            "2022-04-04 13:30:00  last error: 550 5.1.1 No such user",
        ],
    )
    code, stdout, _ = run(database_url, "mail", "list", "--state", "failed", "--json")
    assert code == 0
    assert [(m["id"], m["to_address"], m["state"]) for m in json.loads(stdout)] == [
        (1, "gone@example.org", "failed")
    ]


def test_mail_list_refuses_an_unknown_state(store: Store, database_url: str) -> None:
    assert run(database_url, "mail", "list", "--state", "lost") == (
        2,
        "",
        "'lost' is not a state of the outbox; use one of queued, sending, sent, failed, held.\n",
    )


def test_mail_paused_and_unpause(store: Store, database_url: str) -> None:
    assert run(database_url, "mail", "paused") == (0, "No address is paused.\n", "")
    refused = _refuse(store, "gone@example.org")
    queue(store, "gone@example.org", "Held")
    code, stdout, _ = run(database_url, "mail", "paused")
    assert (code, stdout) == (
        0,
        f"gone@example.org  since 2022-04-04 13:30:00  550 5.1.1 No such user (to {refused})\n",
    )
    assert run(database_url, "mail", "unpause", "gone@example.org", "--send-held") == (
        0,
        "gone@example.org is no longer paused. 1 held mail(s) queued again.\n",
        "",
    )
    assert store.outbox.counts() == {"queued": 1, "failed": 1}
    assert run(database_url, "mail", "unpause", "gone@example.org") == (
        2,
        "",
        "'gone@example.org' is not paused; 'ptghub mail paused' lists the paused addresses.\n",
    )


def test_mail_worker_without_an_smtp_host_says_so(store: Store, database_url: str) -> None:
    assert run(database_url, "mail", "worker") == (
        2,
        "",
        "PTGHUB_SMTP_HOST is unset: there is no SMTP server to send through.\n",
    )


def _ptghub(database_url: str, *args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ptghub", "--database-url", database_url, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), **env},
    )


def test_mail_worker_sends_until_sigterm(
    store: Store, database_url: str, mail_server: MailServer
) -> None:
    queued = [queue(store, f"p{n}@example.org", f"Mail {n}") for n in range(2)]
    process = _ptghub(database_url, "mail", "worker", env=mail_server.env())
    try:
        mail_server.wait_for(2)
        wait_until(lambda: store.outbox.counts() == {"sent": 2}, "both recorded as sent")
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    assert process.returncode == 0, output
    lines = output.splitlines()
    assert lines[0] == (
        f"Mail: sent through 127.0.0.1:{mail_server.port} unencrypted, from ptg@example.org "
        "(Ctrl-C stops it)"
    )
    assert lines[-1] == "ptghub mail worker stopped."
    assert mail_server.message_ids() == Counter(queued)


def test_serve_sends_mail_when_smtp_is_configured_and_says_so(
    mail_server: MailServer, tmp_path: Path
) -> None:
    database_url = f"sqlite:///{tmp_path / 'ptghub.sqlite3'}"
    store = Store.open(database_url)
    try:
        message_id = queue(store, "ada@example.org", "Welcome")
    finally:
        store.close()
    port = _free_port()
    process = _ptghub(database_url, "serve", "--port", str(port), env=mail_server.env())
    try:
        _wait_for(f"http://127.0.0.1:{port}/openapi.json", process)
        [received] = mail_server.wait_for(1)
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    assert received.message_id == message_id
    assert (
        f"Mail: sent through 127.0.0.1:{mail_server.port} unencrypted, from ptg@example.org"
        in output.splitlines()
    )


def test_without_an_smtp_host_serve_sends_no_mail_and_says_so(store: Store) -> None:
    assert mail_worker_for(store, Settings.model_construct()) == (
        None,
        "Mail: not sent, PTGHUB_SMTP_HOST is unset; mail waits in the outbox ('ptghub mail list').",
    )


def test_mail_test_queues_a_test_mail_that_goes_out(
    store: Store, clock: Clock, database_url: str, mail_server: MailServer
) -> None:
    code, stdout, _ = run(database_url, "mail", "test", "ada@example.org")
    [entry] = store.outbox.entries()
    assert (code, stdout.replace("\n", " ").strip()) == (
        0,
        f"Queued {entry.message_id} to ada@example.org; 'ptghub serve' or 'ptghub mail worker' "
        "sends it, 'ptghub mail list' shows how it went.",
    )
    clock.now = datetime.now(UTC)  # the command queued it on the real clock
    [received] = mail_server.deliver(store)
    assert (received.message_id, received.message["Subject"]) == (
        entry.message_id,
        "ptghub test mail",
    )
    assert run(database_url, "mail", "test", "nobody") == (
        2,
        "",
        "'nobody' is not an email address; write it as name@example.org.\n",
    )
