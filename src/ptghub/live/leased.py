"""``Leased``: run a companion (the mail sender, a bot) only while this process holds its lease.

However many processes run it (``ptghub serve`` workers on several machines, ``ptghub mail
worker``, ``ptghub bot irc``), one acts: the one holding the lease (``store.leases``). A
thread tries to take the lease, and when it has it, makes and starts the companion,
then renews the lease every quarter of its ``ttl``. The others are standbys: they try
again every ``retry`` seconds, so that when the holder dies without a word (kill -9, a
lost machine) one of them takes over at most ``ttl + retry`` seconds later.

The companion is stopped at once when a renewal finds the lease held by another process
(this one paused past its expiry, or lost the database for that long). A renewal that
fails or hangs (the database away for a moment, a network cut) keeps it running while
the lease it last renewed is safely valid, and a watch stops it before the lease could
expire: another process may take over from then on. ``stop()`` stops the companion and
deletes the lease, so a standby takes over within ``retry`` seconds. A companion that
fails to start gives the lease up and is tried again ``retry`` seconds later.

A lease says which process acts; it cannot stop one that paused while holding it from
acting for a moment after it wakes (until its next renewal): what the companions do
keeps its own guard (the outbox's per-row claim; a bot's nick is the network's to give).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Protocol

from ptghub.store.leases import Leases, LeaseState, new_holder

log = logging.getLogger(__name__)

# Of the ttl since a renewal began: past this, the companion stops unless renewed again
# (a renewal every quarter: after two failed or hung ones), well before it could expire.
SAFE_SHARE = 0.7


class Companion(Protocol):
    def start(self) -> None: ...

    def stop(self) -> None: ...


def process_of(holder: str) -> str:
    """A holder as people read it: host:pid (without the random part)."""
    return holder.rpartition(":")[0] or holder


class Leased:
    """The companion ``make()`` returns, run while this process holds lease ``name``;
    ``what`` names it in messages ("Mail sender", "IRC bot"); ``say`` tells the operator
    (instead of the log) when this process waits, takes over or gives up."""

    def __init__(
        self,
        leases: Leases,
        name: str,
        what: str,
        make: Callable[[], Companion],
        *,
        ttl: float,
        retry: float,
        say: Callable[[str], None] | None = None,
        holder: str | None = None,
    ) -> None:
        self.leases = leases
        self.name = name
        self.what = what
        self.make = make
        self.ttl = ttl
        self.retry = retry
        self.say = say
        self.holder = holder or new_holder()
        self.inner: Companion | None = None  # the running companion, while the lease is held
        self._valid_until = 0.0  # time.monotonic() past which the lease may have expired
        self._told: str | None = None  # the other holder last reported
        self._stopping = threading.Event()
        self._lock = threading.Lock()  # one start or stop of the companion at a time
        self._threads: list[threading.Thread] = []

    @property
    def active(self) -> bool:
        """Whether this process runs the companion now."""
        return self.inner is not None

    def start(self) -> None:
        """Try the lease once now (so that the caller knows at once whether this process
        acts), then keep at it in a thread until ``stop()``; a second thread watches the
        lease's validity."""
        self._stopping.clear()
        self._step()
        self._threads = [
            threading.Thread(target=loop, name=f"ptghub-lease-{self.name}", daemon=True)
            for loop in (self._run, self._watch)
        ]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Stop the companion, then give the lease up for a standby to take at once."""
        self._stopping.set()
        for thread in self._threads:
            thread.join()
        self._threads = []
        if self.inner is not None:
            self._stop_inner(None)
            self._release()

    def _run(self) -> None:
        while not self._stopping.wait(self.ttl / 4 if self.inner else self.retry):
            self._step()

    def _watch(self) -> None:
        """Stop the companion once its lease may have expired, even while a renewal hangs
        (a database that does not answer, a network cut): another process may take over
        from then on, and two must never act at once."""
        while not self._stopping.wait(min(self.ttl / 8, 1.0)):
            with self._lock:
                if self.inner is not None and time.monotonic() >= self._valid_until:
                    self._stop_inner("its lease could not be renewed in time")

    def _step(self) -> None:
        began = time.monotonic()
        try:
            state = self.leases.acquire(self.name, self.holder, self.ttl)
        except Exception as error:  # the database away: the watch stops what must stop
            log.warning("Lease %s: could not reach the database (%s)", self.name, error)
            return
        with self._lock:
            if not state.held:
                if self.inner is not None:
                    self._stop_inner(f"{process_of(state.holder)} holds its lease now")
                self._waiting(state)
            elif time.monotonic() < began + self.ttl * SAFE_SHARE:  # else it came too late
                self._valid_until = began + self.ttl * SAFE_SHARE
                if self.inner is None:
                    self._start_inner()

    def _start_inner(self) -> None:
        try:
            inner = self.make()
            inner.start()
        except Exception:
            log.exception(
                "Lease %s: the %s failed to start; lease given up, next try in %g s",
                self.name,
                self.what,
                self.retry,
            )
            self._release()
            return
        self.inner = inner
        self._told = None
        self._tell(f"{self.what}: run by this process ({process_of(self.holder)})")

    def _stop_inner(self, why: str | None) -> None:
        """Stop the companion; ``why``, when it is not this process stopping."""
        inner, self.inner = self.inner, None
        if inner is None:
            return
        if why is not None:
            self._tell(f"{self.what}: stopped here: {why}")
        try:
            inner.stop()
        except Exception:
            log.exception("Lease %s: the %s failed to stop cleanly", self.name, self.what)

    def _release(self) -> None:
        try:
            self.leases.release(self.name, self.holder)
        except Exception as error:  # it expires by itself
            log.warning("Lease %s: could not give it up (%s)", self.name, error)

    def _waiting(self, state: LeaseState) -> None:
        if state.holder == self._told:
            return
        self._told = state.holder
        self._tell(
            f"{self.what}: waiting: another process holds it ({process_of(state.holder)}); "
            "this one takes over if that one stops"
        )

    def _tell(self, line: str) -> None:
        if self.say is not None:
            self.say(line)
        else:
            log.info("Lease %s: %s", self.name, line)
