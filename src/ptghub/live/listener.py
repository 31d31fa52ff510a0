"""The listener: PostgreSQL's notifications of committed changes, for the follower.

Every transaction that writes an audit row on PostgreSQL also sends a notification on
``audit_log.CHANNEL`` with ``schema/slug`` (``store.audit_log``); PostgreSQL delivers it
when the transaction commits, never for one that rolls back. One listener per follower
(so one per process and store) holds one dedicated connection, in autocommit, that ran
``LISTEN``, in a thread of its own, and calls ``wake`` with the slugs of the notified
events of its own schema as they arrive.

The notification only says "look now": what changed is still read from the audit log,
so a notification lost while the connection was down costs latency, never a change.
When the connection drops (a database restart, a terminated session) the listener says
so (``wake(None)``: the follower polls at its subscribers' pace again), reconnects with
a growing delay, and once listening again wakes everything once (a change may have come
meanwhile). It never lets an error out of its thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg
from sqlalchemy.engine import URL

from ptghub.store.audit_log import CHANNEL

log = logging.getLogger(__name__)

CHECK_STOP = 0.5  # seconds between two looks at ``stop()`` while no notification comes
FIRST_RETRY = 0.1  # seconds before the first reconnection; doubled up to LAST_RETRY
LAST_RETRY = 5.0
CONNECT_TIMEOUT = 5  # seconds (libpq's connect_timeout)

Wake = Callable[[frozenset[str] | None], object]  # the woken slugs; None: every event


def conninfo(url: URL) -> str:
    """The libpq address of a SQLAlchemy URL (its ``options``, the search path, kept)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class Listener:
    """LISTENs on ``url``'s database in a thread and calls ``wake`` (see the module)."""

    def __init__(self, url: URL, wake: Wake) -> None:
        self.conninfo = conninfo(url)
        self.wake = wake
        self._stop = threading.Event()
        self._listening = threading.Event()
        self._thread: threading.Thread | None = None
        self.backend_pid: int | None = None  # the listening session's, while it listens
        self.connections = 0  # connections made so far (a reconnection adds one)

    @property
    def listening(self) -> bool:
        return self._listening.is_set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="ptghub-listener", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Ask the thread to end (within ``CHECK_STOP`` seconds); does not wait for it."""
        self._stop.set()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def wait_listening(self, timeout: float) -> bool:
        return self._listening.wait(timeout)

    def _run(self) -> None:
        delay = FIRST_RETRY
        while not self._stop.is_set():
            try:
                self._listen()
                delay = FIRST_RETRY
            except Exception as error:
                if self._stop.is_set():
                    break
                log.warning("listener: no notifications (%s); reconnecting in %.1f s", error, delay)
            finally:
                if self._listening.is_set():
                    self._listening.clear()
                    self.backend_pid = None
                    self._safe_wake(None)  # poll at the subscribers' pace meanwhile
            self._stop.wait(delay)
            delay = min(delay * 2, LAST_RETRY)

    def _listen(self) -> None:
        with psycopg.connect(
            self.conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT
        ) as conn:
            row = conn.execute("SELECT current_schema()").fetchone()
            prefix = f"{row[0] if row else ''}/"
            conn.execute(f"LISTEN {CHANNEL}")
            self.connections += 1
            self.backend_pid = conn.info.backend_pid
            self._listening.set()
            self._safe_wake(None)  # a change may have come while nobody listened
            while not self._stop.is_set():
                # Each as it comes (the generator ends after CHECK_STOP seconds).
                for notice in conn.notifies(timeout=CHECK_STOP):
                    if notice.payload.startswith(prefix):
                        self._safe_wake(frozenset({notice.payload[len(prefix) :]}))

    def _safe_wake(self, slugs: frozenset[str] | None) -> None:
        try:
            self.wake(slugs)
        except Exception:
            log.exception("listener: waking the follower failed")
