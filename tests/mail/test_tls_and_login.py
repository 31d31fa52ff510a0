"""The sender over STARTTLS and TLS, logging in, and refusing a certificate it cannot check."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from ptghub.mail.sender import MailWorker, Tally, close_connection
from ptghub.store.store import Store
from tests.mail.sending import one_pass, queue, smtp_config, worker_for
from tests.mailserver import MailServer

LOGIN = ("ptg", "s3cret pass")


@pytest.fixture
def starttls_server(tmp_path: Path) -> Iterator[MailServer]:
    """STARTTLS required, and a login before any mail."""
    server = MailServer(security="starttls", login=LOGIN, cert_dir=tmp_path)
    server.start()
    yield server
    server.stop()


def test_mail_goes_over_starttls_after_logging_in(
    store: Store, starttls_server: MailServer
) -> None:
    message_id = queue(store, "ada@example.org", "Hello")
    assert one_pass(worker_for(store, starttls_server)) == Tally(sent=1)
    [received] = starttls_server.wait_for(1)
    assert (received.message_id, received.tls, received.login) == (message_id, True, "ptg")


def test_mail_goes_over_tls_from_the_first_byte(store: Store, tmp_path: Path) -> None:
    server = MailServer(security="tls", cert_dir=tmp_path)
    server.start()
    try:
        message_id = queue(store, "ada@example.org", "Hello")
        assert one_pass(worker_for(store, server)) == Tally(sent=1)
        [received] = server.wait_for(1)
        assert (received.message_id, received.tls, received.login) == (message_id, True, None)
    finally:
        server.stop()


def test_a_refused_login_keeps_the_mail_queued_for_later(
    store: Store, starttls_server: MailServer
) -> None:
    message_id = queue(store, "ada@example.org", "Hello")
    worker = worker_for(store, starttls_server, smtp_password="wrong")
    assert one_pass(worker) == Tally(retried=1, connection_failed=True)
    entry = store.outbox.entry(message_id)
    assert entry is not None
    assert (entry.state, entry.last_error) == (
        "queued",
        "login refused: 535 5.7.8 Authentication credentials invalid",
    )
    assert starttls_server.messages == []


def test_a_certificate_that_cannot_be_checked_is_refused(
    store: Store, starttls_server: MailServer
) -> None:
    """Without the test CA the server's certificate is a stranger's: nothing is sent,
    the password never leaves, the mail waits."""
    message_id = queue(store, "ada@example.org", "Hello")
    worker = worker_for(store, starttls_server, smtp_ca_file=None)
    assert one_pass(worker) == Tally(retried=1, connection_failed=True)
    entry = store.outbox.entry(message_id)
    assert entry is not None and entry.state == "queued"
    assert entry.last_error is not None and "CERTIFICATE_VERIFY_FAILED" in entry.last_error
    assert starttls_server.messages == []


def test_a_server_without_starttls_is_refused_when_starttls_is_asked_for(
    store: Store, mail_server: MailServer
) -> None:
    message_id = queue(store, "ada@example.org", "Hello")
    worker = worker_for(store, mail_server, smtp_security="starttls")
    assert one_pass(worker) == Tally(retried=1, connection_failed=True)
    entry = store.outbox.entry(message_id)
    assert entry is not None
    assert (entry.state, entry.last_error) == (
        "queued",
        "SMTPException: SMTP STARTTLS extension not supported by server.",
    )
    assert mail_server.messages == []


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_a_closed_tls_connection_leaves_no_socket_open_once_the_loop_has_run_again(
    store: Store, tmp_path: Path, security: str
) -> None:
    """A pass run by ``asyncio.run`` ends right after closing: a socket still waiting for
    the server's TLS close_notify then would be left to the garbage collector."""
    server = MailServer(security=security, cert_dir=tmp_path)
    server.start()

    async def connect_then_close() -> int:
        smtp = MailWorker(store, smtp_config(server))._client()
        await smtp.connect()
        sock: socket.socket = smtp.get_transport_info("socket")
        await close_connection(smtp)
        await asyncio.sleep(0)  # one more round of the loop: at least what asyncio.run gives
        return sock.fileno()  # -1 once closed

    try:
        # Several times: how soon the server's close_notify comes back varies.
        filenos = [asyncio.run(connect_then_close()) for _ in range(6)]
    finally:
        server.stop()
    assert filenos == [-1] * 6
