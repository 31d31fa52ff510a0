"""The lines a bot writes, paced to the network's flood limit and shared fairly by person.

A network reads a client's lines at a fixed pace (ngircd: about 3 a second; networks on
Solanum, such as Libera: 1 a second after a burst of a few) and disconnects a client
whose unread input grows past a limit ("Excess Flood"; ngircd's is a 2 KB buffer).
Whatever a bot writes faster than that waits on the server, first in, first out: one
person's flood of commands then delayed everybody's replies by tens of seconds.

Here each person (a key) has a queue of their own, and a token bucket (``burst`` lines
at once, then one every ``interval`` seconds: keep it at or under the network's pace,
so that nothing piles up on the server) takes one line from each waiting key in turn.
A key that had nothing waiting goes ahead of the keys already taking turns (as new
flows do in fq_codel): someone asking one question while another floods is answered
with the next line that goes, about one ``interval`` later, never behind a flood.
A key may have ``per_key`` lines waiting: past that its lines are dropped and it gets
one ``slow_down`` line, once until its queue has emptied. Lines of an uncapped key (the
notices, which their own ``Outbox`` bounds) share the turns as one more key. While
``ready()`` is false (the link is down) nothing is taken, so a reconnect never releases
a backlog at once.

``FairQueue`` is pure bookkeeping on an injected clock (``put``, ``wait``, ``take``,
``flush``); ``start()`` drains it in a thread of its own.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

from ptghub.core.ratelimit import Pace

log = logging.getLogger(__name__)

NOT_READY_POLL = 0.2  # seconds between looks at a link that is down


class FairQueue:
    """Round-robin queues of raw lines per key, drained at a token bucket's pace.

    ``send`` writes one line (it must not block for long); ``slow_down(key)`` is the
    line telling that key its lines were dropped. ``capacity`` bounds all lines together.
    """

    def __init__(
        self,
        send: Callable[[str], None],
        slow_down: Callable[[str], str],
        *,
        burst: int = 4,
        interval: float = 1.0,
        per_key: int = 10,
        capacity: int = 2000,
        ready: Callable[[], bool] = lambda: True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if interval <= 0:
            raise ValueError(f"interval must be more than 0 seconds, not {interval}")
        if per_key < 1 or capacity < per_key:
            raise ValueError(f"need 1 <= per_key ({per_key}) <= capacity ({capacity})")
        self.send = send
        self.slow_down = slow_down
        self.burst = burst
        self.interval = interval
        self.per_key = per_key
        self.capacity = capacity
        self.ready = ready
        self.clock = clock
        self.dropped = 0  # lines refused: over a key's share or over the capacity
        self._queues: dict[str, deque[str]] = {}  # every key with lines waiting
        self._fresh: deque[str] = deque()  # keys not served since their queue was empty
        self._turns: OrderedDict[str, None] = OrderedDict()  # the others, next turn first
        self._warned: set[str] = set()  # keys told to slow down since their queue was empty
        self._size = 0
        self._pace = Pace(burst, interval, clock)
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False

    def __len__(self) -> int:
        with self._cond:
            return self._size

    def pending(self, key: str) -> int:
        """Lines waiting for ``key``."""
        with self._cond:
            queue = self._queues.get(key)
            return 0 if queue is None else len(queue)

    def put(self, key: str, line: str, *, capped: bool = True) -> bool:
        """Queue ``line`` in ``key``'s turn; False when it was dropped (over the share)."""
        with self._cond:
            queue = self._queues.get(key)
            waiting = 0 if queue is None else len(queue)
            if self._size >= self.capacity or (capped and waiting >= self.per_key):
                self.dropped += 1
                # Told and logged once per flood, not once per line (a flood of logs too).
                if capped and key not in self._warned and self._size < self.capacity:
                    self._warned.add(key)
                    self._append(key, self.slow_down(key))  # beyond the share: said once
                    log.warning("send queue: %s has %d lines waiting; dropping more", key, waiting)
                elif not capped:
                    log.warning("send queue full (%d lines): dropped a line", self.capacity)
                return False
            self._append(key, line)
            return True

    def _append(self, key: str, line: str) -> None:
        queue = self._queues.get(key)
        if queue is None:
            queue = self._queues[key] = deque()
            self._fresh.append(key)  # served before the keys already taking turns
        queue.append(line)
        self._size += 1
        self._cond.notify()

    def clear(self) -> None:
        with self._cond:
            self._queues.clear()
            self._fresh.clear()
            self._turns.clear()
            self._warned.clear()
            self._size = 0

    # -- pacing -------------------------------------------------------------------------

    def wait(self) -> float:
        """Seconds until the next line may go: 0 when one may go now or none waits."""
        with self._cond:
            return self._wait_locked()

    def _wait_locked(self) -> float:
        if not self._size:
            return 0.0
        return self._pace.wait()

    def take(self) -> str | None:
        """The next line, in round-robin order of the keys, when the pace allows it now."""
        with self._cond:
            if not self._size or self._wait_locked() > 0 or not self.ready():
                return None
            self._pace.spend()
            key = self._fresh.popleft() if self._fresh else self._turns.popitem(last=False)[0]
            queue = self._queues[key]
            line = queue.popleft()
            self._size -= 1
            if queue:
                self._turns[key] = None  # its next line waits for the others' turns
            else:
                del self._queues[key]
                self._warned.discard(key)
            return line

    def flush(self) -> int:
        """Send every line the pace allows right now; the number sent."""
        sent = 0
        while (line := self.take()) is not None:
            self._deliver(line)
            sent += 1
        return sent

    def _deliver(self, line: str) -> None:
        try:
            self.send(line)  # outside the lock: put() never waits for the network
        except Exception:
            log.exception("send queue: writing a line failed")

    # -- the sender thread ----------------------------------------------------------------

    def start(self) -> None:
        """Drain the queues in a daemon thread until ``stop()``."""
        with self._cond:
            if self._thread is not None:
                raise RuntimeError("the send queue is already running")
            self._stopping = False
            self._thread = threading.Thread(target=self._run, name="ptghub-send", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Stop the sender; what still waits is dropped (a restarted bot starts afresh)."""
        with self._cond:
            thread = self._thread
            if thread is None:
                return
            self._stopping = True
            self._cond.notify()
        thread.join(timeout)
        if not thread.is_alive():
            with self._cond:
                self._thread = None

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._size and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                delay = self._wait_locked() if self.ready() else NOT_READY_POLL
                if delay > 0:
                    self._cond.wait(delay)
                    continue
            self.flush()
