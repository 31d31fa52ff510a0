"""The outgoing queue for private notices, with flood control.

Networks disconnect a client that sends too fast; the old bot slept 2 s per message
inside its event loop, so one busy ``now`` froze every command. Here ``put`` only
appends (never blocks, never sends) and a sender drains the queue at the allowed rate:
a token bucket that lets ``burst`` messages go at once and then one every ``interval``
seconds. The queue holds at most ``capacity`` messages; when it is full a new message
is refused (the ones already waiting keep their order) and counted in ``dropped``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable

from ptghub.bot.transport import Transport
from ptghub.core.ratelimit import Pace

log = logging.getLogger(__name__)


class Outbox:
    """A bounded, rate-limited queue of ``(target, text)`` messages for one transport.

    Drain it either with ``start()`` (a daemon thread that sleeps until the bucket
    allows the next message) or synchronously with ``flush()`` (tests, or an adapter
    with its own loop that calls it from a timer, using ``wait()`` as the delay).
    """

    def __init__(
        self,
        transport: Transport,
        *,
        burst: int = 4,
        interval: float = 2.0,
        capacity: int = 1000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, not {capacity}")
        self.transport = transport
        self.burst = burst
        self.interval = interval
        self.capacity = capacity
        self.clock = clock
        self.dropped = 0  # messages refused because the queue was full
        self.failed = 0  # messages the transport raised on (logged, not retried)
        self._queue: deque[tuple[str, str]] = deque()
        self._pace = Pace(burst, interval, clock)
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False

    def __len__(self) -> int:
        with self._cond:
            return len(self._queue)

    def put(self, target: str, text: str) -> bool:
        """Queue one message; False (and ``dropped`` + 1) when the queue is full."""
        with self._cond:
            if len(self._queue) >= self.capacity:
                self.dropped += 1
                log.warning("outbox full (%d): dropped a message to %s", self.capacity, target)
                return False
            self._queue.append((target, text))
            self._cond.notify()
            return True

    def wait(self) -> float:
        """Seconds until the next message may go (0 when one may go now or none waits)."""
        with self._cond:
            return self._wait_locked()

    def _wait_locked(self) -> float:
        if not self._queue:
            return 0.0
        return self._pace.wait()

    def _take(self) -> tuple[str, str] | None:
        """The next message when the bucket allows it now, else None."""
        with self._cond:
            if self._wait_locked() > 0 or not self._queue:
                return None
            self._pace.spend()
            return self._queue.popleft()

    def flush(self) -> int:
        """Send every message the bucket allows right now; the number sent."""
        sent = 0
        while (message := self._take()) is not None:
            self._deliver(*message)
            sent += 1
        return sent

    def _deliver(self, target: str, text: str) -> None:
        # Sending happens outside the lock, so put() never waits for the network.
        try:
            self.transport.send(target, text)
        except Exception:
            # One bad target or a dropped link must not stop the notices behind it;
            # the adapter reconnects, and a lost notice is not worth a resend storm.
            with self._cond:
                self.failed += 1
            log.exception("outbox: sending to %s failed", target)

    # -- the sender thread ----------------------------------------------------------

    def start(self) -> None:
        """Drain the queue in a daemon thread until ``stop()``."""
        with self._cond:
            if self._thread is not None:
                raise RuntimeError("the outbox sender is already running")
            self._stopping = False
            self._thread = threading.Thread(target=self._run, name="ptghub-outbox", daemon=True)
        self._thread.start()

    def stop(self, *, drain: bool = True, timeout: float | None = None) -> None:
        """Stop the sender; with ``drain``, first send what is queued (at the allowed rate).

        With a ``timeout`` that runs out, the sender keeps running (and draining) and a
        later ``start()`` is refused until it ends.
        """
        with self._cond:
            thread = self._thread
            if thread is None:
                return
            if not drain:
                self._queue.clear()
            self._stopping = True
            self._cond.notify()
        thread.join(timeout)
        if thread.is_alive():
            return
        with self._cond:
            self._thread = None

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._stopping:
                    self._cond.wait()
                if not self._queue:
                    return  # stopping, and everything has been sent
                delay = self._wait_locked()
                if delay > 0:
                    self._cond.wait(delay)
                    continue
            self.flush()
