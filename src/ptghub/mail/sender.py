"""The sender worker: due outbox rows out over SMTP, each recorded as it went.

``MailWorker.deliver_due()`` is one pass: claim the due row queued first, send it on the
pass's SMTP connection (opened on the first row, so an idle outbox opens none), record the
outcome, claim the next, until none is due. How each failure counts:

- the server refuses the recipient permanently (5xx to RCPT TO): the row fails and the
  address is paused (``Delivery.refused``);
- it refuses the message itself permanently (5xx after DATA), or the address cannot be
  written in SMTP: the row fails, the address stays open;
- anything temporary (a 4xx, no connection, a timeout, a failed STARTTLS or login, our
  sender refused): the row is retried later with backoff (``Delivery.retry``). When the
  connection itself failed, the pass ends there: the next rows wait for the next pass
  rather than each paying for a connection that is not coming.

Each pass begins with the follow notices (``notices.FollowMail``): the topic changes
since the last pass are gathered for the followers who chose email, and the gathered
mails that are due go into the outbox, to be sent by the same pass.

``run()`` repeats passes until ``stop()``: between two it waits until the next row falls
due, at most ``poll`` seconds (other processes queue mail too), and ``wake()`` (called by
``Outbox.enqueue`` in this process) ends the wait at once. ``start()``/``stop()`` run it in
a thread of its own, which is how ``ptghub serve`` keeps it beside the web server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

import aiosmtplib
from sqlalchemy.exc import SQLAlchemyError

from ptghub.mail.config import SmtpConfig
from ptghub.mail.message import build_message
from ptghub.mail.notices import FollowMail
from ptghub.store.mail_delivery import Delivery
from ptghub.store.outbox import OutboxEntry

if TYPE_CHECKING:
    from ptghub.store.store import Store

log = logging.getLogger(__name__)

POLL = 2.0  # seconds between two looks at the outbox when nothing says to look sooner


class Verdict(Enum):
    RETRY = "retry"  # temporary: try again later
    LOST_CONNECTION = "lost connection"  # temporary, and the connection is gone
    FAILED = "failed"  # this mail will never go
    REFUSED = "refused"  # the recipient is refused for good


def judge(error: BaseException) -> tuple[Verdict, str]:
    """What a failed attempt means, and the error as the outbox records it."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused) and error.recipients:
        refusal = error.recipients[0]
        text = f"{refusal.code} {refusal.message}"
        return (Verdict.REFUSED if refusal.code >= 500 else Verdict.RETRY), text
    if isinstance(error, aiosmtplib.SMTPDataError):
        text = f"{error.code} {error.message} (after DATA)"
        return (Verdict.FAILED if error.code >= 500 else Verdict.RETRY), text
    if isinstance(error, aiosmtplib.SMTPSenderRefused):
        # Our own From refused: the settings' fault, not this mail's; kept until fixed.
        return Verdict.RETRY, f"{error.code} {error.message} (MAIL FROM {error.sender})"
    if isinstance(error, aiosmtplib.SMTPResponseException) and not isinstance(
        error, aiosmtplib.SMTPConnectError | aiosmtplib.SMTPAuthenticationError
    ):
        return Verdict.RETRY, f"{error.code} {error.message}"
    if isinstance(error, aiosmtplib.SMTPAuthenticationError):
        return Verdict.LOST_CONNECTION, f"login refused: {error.code} {error.message}"
    if isinstance(error, aiosmtplib.SMTPException | OSError | TimeoutError):
        # No connection, TLS or STARTTLS failed, the server went away, a timeout.
        return Verdict.LOST_CONNECTION, f"{type(error).__name__}: {error}"
    if isinstance(error, ValueError):  # an address SMTP cannot carry (aiosmtplib says which)
        return Verdict.FAILED, str(error)
    return Verdict.LOST_CONNECTION, f"{type(error).__name__}: {error}"


@dataclass(slots=True)
class Tally:
    """What one pass did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    connection_failed: bool = False


class MailWorker:
    """Delivers the outbox of ``store`` through the SMTP server of ``config``."""

    def __init__(
        self,
        store: Store,
        config: SmtpConfig,
        *,
        poll: float = POLL,
        site: str = "http://localhost:8000",
    ) -> None:
        self.store = store
        self.config = config
        self.poll = poll
        self.delivery = Delivery(store.engine, store.clock)
        # Follow notices: gathered and queued at the start of each pass (mail/notices.py).
        self.follow_mail = FollowMail(store, site)
        # Accepted by the server but not yet recorded as sent (the database was away):
        # recorded first thing in the next pass, long before their claims go stale.
        self._unrecorded: list[OutboxEntry] = []
        self._stopping = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup: asyncio.Event | None = None
        self._thread: threading.Thread | None = None

    # -- running beside the server (a web.app Companion) ------------------------------

    def start(self) -> None:
        """Run in a thread of its own until ``stop()``."""
        self._stopping.clear()
        self._thread = threading.Thread(target=self.run_forever, name="ptghub-mail", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Finish the mail being sent (if any), then end; waits for the thread."""
        self._stopping.set()
        self.wake()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def wake(self) -> None:
        """Look at the outbox now (from any thread)."""
        loop, wakeup = self._loop, self._wakeup
        if loop is not None and wakeup is not None:
            with contextlib.suppress(RuntimeError):  # the loop has just closed
                loop.call_soon_threadsafe(wakeup.set)

    def run_forever(self) -> None:
        asyncio.run(self.run())

    async def run(self) -> None:
        """Passes until ``stop()``, waiting between them (see the module's docstring)."""
        self._wakeup = wakeup = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        self.store.outbox.listeners.append(self.wake)
        try:
            while not self._stopping.is_set():
                wakeup.clear()  # before the pass: a mail queued during it wakes the next
                try:
                    tally = await self.deliver_due()
                except Exception:  # the database away, or a bug: logged, and the worker lives on
                    log.exception("Mail: a pass over the outbox failed; trying again")
                    tally = Tally(connection_failed=True)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wakeup.wait(), self._pause(tally))
        finally:
            self.store.outbox.listeners.remove(self.wake)
            self._loop = self._wakeup = None

    def _pause(self, tally: Tally) -> float:
        """Seconds until the next pass: until the next row is due, at most ``poll``; a full
        ``poll`` after a failed connection or when rows are due that this pass left."""
        if tally.connection_failed or self._stopping.is_set():
            return 0.0 if self._stopping.is_set() else self.poll
        dues = [d for d in (self.delivery.next_due(), self.follow_mail.next_due()) if d]
        if not dues:
            return self.poll
        due = min(dues)
        wait = (due - self.store.clock()).total_seconds()
        return self.poll if wait <= 0 else min(wait, self.poll)

    # -- one pass ---------------------------------------------------------------------

    async def deliver_due(self) -> Tally:
        """Send every row that is due now (until ``stop()``); see the module's docstring."""
        tally = Tally()
        self._record_unrecorded()
        self._follow_notices()
        if not self._due_now():
            return tally
        smtp: aiosmtplib.SMTP | None = None
        try:
            while not self._stopping.is_set() and (entry := self.delivery.claim()) is not None:
                try:
                    if smtp is None:
                        smtp = self._client()
                        await smtp.connect()
                    message = build_message(entry, self.config.sender)
                    await smtp.send_message(
                        message, sender=self.config.envelope_from, recipients=[entry.to_address]
                    )
                except Exception as error:
                    verdict = self._settle_failure(entry, error, tally)
                    if verdict is Verdict.LOST_CONNECTION:
                        tally.connection_failed = True
                        break
                    continue
                self._record_sent(entry)
                tally.sent += 1
        finally:
            if smtp is not None:
                await close_connection(smtp)
        return tally

    def _follow_notices(self) -> None:
        try:
            self.follow_mail.step()
        except Exception:  # a failure here must not hold up the other mail
            log.exception("Mail: the follow notices could not be gathered; trying again")

    def _due_now(self) -> bool:
        # A read first: an idle outbox costs no write transaction (SQLite's one writer).
        due = self.delivery.next_due()
        return due is not None and due <= self.store.clock()

    def _client(self) -> aiosmtplib.SMTP:
        c = self.config
        return aiosmtplib.SMTP(
            hostname=c.host,
            port=c.port,
            username=c.username,
            password=c.password,
            use_tls=c.security == "tls",
            start_tls=c.security == "starttls",
            tls_context=c.tls_context(),
            timeout=c.timeout,
            local_hostname=c.helo,
        )

    def _settle_failure(self, entry: OutboxEntry, error: Exception, tally: Tally) -> Verdict:
        verdict, text = judge(error)
        about = f"{entry.message_id} ({entry.kind}) to {entry.to_address}"
        if verdict is Verdict.REFUSED:
            self.delivery.refused(entry, text)
            log.warning("Mail %s refused for good, address paused: %s", about, text)
            tally.failed += 1
        elif verdict is Verdict.FAILED:
            self.delivery.failed(entry, text)
            log.warning("Mail %s failed: %s", about, text)
            tally.failed += 1
        else:
            state = self.delivery.retry(entry, text)
            log.warning(
                "Mail %s not sent (attempt %d, now %s): %s", about, entry.attempts, state, text
            )
            tally.retried += state != "failed"
            tally.failed += state == "failed"
        return verdict

    def _record_sent(self, entry: OutboxEntry) -> None:
        try:
            if not self.delivery.sent(entry):
                log.warning("Mail %s was sent after its claim went stale", entry.message_id)
        except SQLAlchemyError:
            log.exception("Mail %s sent, not yet recorded; trying again", entry.message_id)
            self._unrecorded.append(entry)
        else:
            log.info("Mail %s (%s) sent to %s", entry.message_id, entry.kind, entry.to_address)

    def _record_unrecorded(self) -> None:
        waiting, self._unrecorded = self._unrecorded, []
        for entry in waiting:
            self._record_sent(entry)


async def close_connection(smtp: aiosmtplib.SMTP) -> None:
    """QUIT when the connection still works, else just close it; either way the socket is
    closed by the time the loop has run once more.

    After QUIT (or a failure) the session is over, so the socket is dropped rather than
    shut down gracefully: a TLS close waits for the server's close_notify, which can come
    after the loop of a one-off pass (``asyncio.run``) has ended, leaving the socket open
    for the garbage collector to find."""
    transport = smtp.transport
    if smtp.is_connected:
        try:
            await smtp.quit()
        except (aiosmtplib.SMTPException, OSError):
            smtp.close()
    if isinstance(transport, asyncio.Transport):
        transport.abort()
