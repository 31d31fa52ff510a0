"""Helpers of the mail tests: a worker pointed at a test SMTP server, one pass, waiting."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from ptghub.mail.config import SmtpConfig
from ptghub.mail.sender import MailWorker, Tally
from ptghub.settings import Settings
from ptghub.store.store import Store
from tests.mailserver import MailServer


def smtp_config(server: MailServer, **more: Any) -> SmtpConfig:
    config = SmtpConfig.from_settings(Settings(**server.settings(**more)))
    assert config is not None
    return config


def worker_for(store: Store, server: MailServer, **more: Any) -> MailWorker:
    """A worker sending ``store``'s outbox to ``server``; it looks at the outbox every
    minute unless woken, so a test moves it on with ``wake()`` or ``one_pass``."""
    return MailWorker(store, smtp_config(server, **more), poll=60.0)


def one_pass(worker: MailWorker) -> Tally:
    """One pass of ``worker`` over the due mail, in the test's thread."""
    return asyncio.run(worker.deliver_due())


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    """Return once ``condition()`` holds; fail after ``timeout`` seconds saying ``what``
    did not happen (a worker in a thread of its own gets there when it gets there)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.02)


def queue(store: Store, to: str, subject: str, **more: Any) -> str:
    return store.outbox.enqueue(to=to, subject=subject, text=f"{subject}.", kind="test", **more)
