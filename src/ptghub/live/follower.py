"""The follower: one loop per process that follows the audit log for every subscriber.

Changes may come from other processes (``ptghub cmd`` in a shell, a bot, another web
worker) writing to the same database, so in-process hooks would miss them: the changes
are read back from the database. Every change bumps its event's version and writes one
audit row, so following an event costs one cheap read of its version per round and,
when it moved, one read of the audit entries after the newest id already read ("audit
entries after id N", ``read_change``).

Subscribers do not poll on their own. Each one ``subscribe``s to the process's follower
(``Follower.of(store)``) with its pace and a callback, and ``follow``s the events it
wants: the web watcher (``live.watcher``) the events someone views, every 0.02 s; a chat
bot's announcer (``bot.announce``) its event, every second or two; the coming mail
notifier likewise. The follower reads each event at the pace of its most demanding
subscriber, reads each new audit entry once, and hands every subscriber a ``Change``
(the version, the entries it has not had, the newest audit id) no more often than its
own pace: what arrives in between waits and comes in one batch.

One thread runs the loop, because the store is synchronous and the subscribers live in
threads (the IRC reactor, an outbox) or on an asyncio loop (the web server, the Matrix
bot): callbacks run on the follower's thread, so they must be quick and thread-safe; an
asyncio subscriber hands the change to its loop with ``loop.call_soon_threadsafe``. The
thread starts with the first subscriber and ends with the last.

Where a PostgreSQL LISTEN/NOTIFY wake-up plugs in: the loop sleeps in ``_wait`` on one
``threading.Event`` until the next read is due, and ``wake()`` sets it. A listener thread
holding a connection that ran ``LISTEN ptghub_changes`` (with the write path adding
``NOTIFY ptghub_changes`` to the transaction that writes the audit row) would call
``wake()`` for each notification: the next round then runs at once instead of at the
next tick, and the ticks could be made slower. Nothing else changes: the notification
only says "look now"; what changed is still read from the audit log, so a lost
notification (a dropped connection) costs latency, never a change.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

from ptghub.store.audit_log import AuditEntry
from ptghub.store.store import Store

log = logging.getLogger(__name__)

LOG_EVERY = 60.0  # seconds between two log entries about the same event failing
IDLE_WAIT = 60.0  # seconds the loop sleeps when nothing is due (a wake() cuts it short)

Event = str | None  # an event's slug; None follows the current event


@dataclass(frozen=True, slots=True)
class Change:
    """What moved in a followed event since the subscriber's last ``Change`` of it.

    ``version`` is the event's version when it was read; ``entries`` the audit entries
    the subscriber has not had yet, oldest first (none for the first reading of an event
    followed from "wherever the log is now"); ``newest`` the newest audit id read for
    it. The entries are read before anything a subscriber reads next, so its reads
    include at least them.
    """

    event: Event
    version: int
    entries: tuple[AuditEntry, ...]
    newest: int


def newest_id(store: Store, event: Event) -> int:
    """The id of the event's newest audit entry (0 when it has none)."""
    newest = store.audit(event, limit=1)
    return newest[-1].id if newest else 0


def read_change(
    store: Store, event: Event, *, version: int | None, after: int
) -> tuple[int, tuple[AuditEntry, ...]] | None:
    """One round of following: None when the event's version is still ``version``, else
    its version and the audit entries after id ``after``."""
    current = store.version(event)
    if current == version:
        return None
    return current, tuple(store.audit(event, after=after))


@dataclass(slots=True)
class _Followed:
    """One subscriber's position in one event."""

    after: int | None  # newest audit id handed on; None: from the follower's first read
    version: int | None = None  # the version last handed on
    pending: list[AuditEntry] = field(default_factory=list)
    pending_version: int | None = None  # a version not handed on yet (its pace)


@dataclass(slots=True)
class _Event:
    """The follower's reading of one event."""

    version: int | None = None  # last read; None: read the entries at the next round
    next_read: float = 0.0  # time.monotonic() when it is due
    read_at: float | None = None  # time.monotonic() of the last successful read
    failed_at: float = -LOG_EVERY  # when its last failure was logged


class Feed:
    """One subscriber: its pace, its callback and the events it follows.

    ``follow``/``unfollow`` may be called from any thread; ``close`` (or leaving a
    ``with contextlib.closing(feed)`` block) ends the subscription: after it returns,
    the callback is not called again (unless it is called from the callback itself,
    which cannot wait for itself).
    """

    def __init__(
        self, follower: Follower, deliver: Callable[[Change], object], interval: float
    ) -> None:
        self.follower = follower
        self.deliver = deliver
        self.interval = interval
        self.next_delivery = 0.0
        self.followed: dict[Event, _Followed] = {}

    def follow(self, event: Event, *, after: int | None = None, version: int | None = None) -> None:
        """Follow ``event``: its changes after audit id ``after`` (with ``version``, the
        version the subscriber has already seen), or, without ``after``, from where the
        follower reads next; the first ``Change`` then says only the version."""
        self.follower._follow(self, event, after, version)

    def unfollow(self, event: Event) -> None:
        self.follower._unfollow(self, event)

    def events(self) -> frozenset[Event]:
        with self.follower._lock:
            return frozenset(self.followed)

    def close(self, timeout: float | None = 10.0) -> None:
        """Leave the follower; harmless twice."""
        self.follower._close(self, timeout)


# By id(store), held by nobody but its feeds and its thread: a follower that nobody uses
# goes, and takes its store with it (a store that is alive keeps its id to itself).
_followers: weakref.WeakValueDictionary[int, Follower] = weakref.WeakValueDictionary()
_followers_lock = threading.Lock()


class Follower:
    """Follows the audit log of the events its feeds follow, in one thread (without
    ``threaded``, the caller runs each ``round()`` itself)."""

    def __init__(self, store: Store, *, threaded: bool = True) -> None:
        self.store = store
        self.threaded = threaded
        self._lock = threading.Lock()  # guards the feeds and events; never held for a read
        self._delivering = threading.Lock()  # held while callbacks run
        self._wake = threading.Event()
        self._feeds: list[Feed] = []
        self._events: dict[Event, _Event] = {}
        self._thread: threading.Thread | None = None  # the loop's; a new one when it restarts
        self.rounds = 0  # rounds run so far: an idle follower must not spin

    @classmethod
    def of(cls, store: Store) -> Follower:
        """The process's follower of ``store``: one per store, shared by all subscribers
        (a web server that also runs the IRC bot reads each change once for both)."""
        with _followers_lock:
            follower = _followers.get(id(store))
            if follower is None or follower.store is not store:
                follower = _followers[id(store)] = cls(store)
            return follower

    def subscribe(self, deliver: Callable[[Change], object], *, interval: float) -> Feed:
        """A new feed whose changes go to ``deliver`` at most every ``interval`` seconds;
        it follows nothing until ``Feed.follow``."""
        if interval <= 0:
            raise ValueError(f"a subscriber's interval must be positive, not {interval}")
        feed = Feed(self, deliver, interval)
        with self._lock:
            self._feeds.append(feed)
            if self._thread is None and self.threaded:
                self._thread = threading.Thread(
                    target=self._run, name="ptghub-follower", daemon=True
                )
                self._thread.start()
        return feed

    def wake(self) -> None:
        """Read every followed event now rather than at its next tick (what a database
        notification would call)."""
        with self._lock:
            for state in self._events.values():
                state.next_read = 0.0
        self._wake.set()

    def seen(self, event: Event) -> tuple[int, float] | None:
        """The event's version at the follower's last read and when that read was
        (``time.monotonic()``), or None when it has not read it yet."""
        with self._lock:
            state = self._events.get(event)
            if state is None or state.version is None or state.read_at is None:
                return None
            return state.version, state.read_at

    @property
    def running(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive()

    # -- the feeds' side (any thread) -----------------------------------------------------

    def _follow(self, feed: Feed, event: Event, after: int | None, version: int | None) -> None:
        with self._lock:
            if feed not in self._feeds:
                raise RuntimeError("this feed is closed")
            if event in feed.followed:
                return
            feed.followed[event] = _Followed(after, version)
            state = self._events.get(event)
            if state is None:
                state = self._events[event] = _Event()
            # Read it at once; with ``after``, read its entries even if the version has
            # not moved since the last read: this feed may be behind the others.
            state.next_read = 0.0
            if after is not None:
                state.version = None
        self._wake.set()

    def _unfollow(self, feed: Feed, event: Event) -> None:
        with self._lock:
            if feed.followed.pop(event, None) is not None:
                self._forget_unfollowed(event)

    def _forget_unfollowed(self, event: Event) -> None:
        if not any(event in feed.followed for feed in self._feeds):
            self._events.pop(event, None)

    def _close(self, feed: Feed, timeout: float | None) -> None:
        thread = None
        with self._lock:
            if feed not in self._feeds:
                return
            self._feeds.remove(feed)
            for event in feed.followed:
                self._forget_unfollowed(event)
            feed.followed = {}
            if not self._feeds:
                thread, self._thread = self._thread, None  # its loop sees it and ends
                self._wake.set()
        if threading.current_thread() is (thread or self._thread):
            return  # from a callback: it cannot wait for itself
        if thread is not None:
            thread.join(timeout)
        else:
            with self._delivering:  # a delivery under way to this feed has ended
                pass

    # -- the loop (its own thread) --------------------------------------------------------

    def _ended(self) -> bool:
        with self._lock:
            return self._thread is not threading.current_thread()

    def _run(self) -> None:
        while not self._ended():
            self.round()
            self._wait()

    def _wait(self) -> None:
        with self._lock:
            if self._thread is not threading.current_thread():
                return
            times = [state.next_read for state in self._events.values()]
            times += [
                feed.next_delivery
                for feed in self._feeds
                if any(f.pending_version is not None for f in feed.followed.values())
            ]
            self._wake.clear()
        now = time.monotonic()
        delay = min(times, default=now + IDLE_WAIT) - now
        if delay > 0:
            self._wake.wait(delay)

    def round(self) -> None:
        """Read every event that is due, then hand every due feed what it has waiting
        (the loop's one round; tests call it directly)."""
        now = time.monotonic()
        with self._lock:
            self.rounds += 1
            due = []
            for event, state in self._events.items():
                if state.next_read <= now:
                    pace = min(feed.interval for feed in self._feeds if event in feed.followed)
                    state.next_read = now + pace
                    cursors = [
                        f.after
                        for feed in self._feeds
                        if (f := feed.followed.get(event)) is not None and f.after is not None
                    ]
                    due.append((event, state.version, min(cursors, default=None)))
        for event, version, after in due:
            self._read(event, version, after)
        self._deliver()

    def _read(self, event: Event, version: int | None, after: int | None) -> None:
        try:
            if after is None:  # nobody has a position yet: start from the newest entry
                # The version first: the entries up to ``after`` are all in it or older.
                version_now = self.store.version(event)
                after = newest_id(self.store, event)
                read: tuple[int, tuple[AuditEntry, ...]] | None = version_now, ()
            else:
                read = read_change(self.store, event, version=version, after=after)
        except Exception:
            # The database may be restarting, or the event was deleted: try again at the
            # next round, but say so once a minute, not at every round.
            with self._lock:
                state = self._events.get(event)
                now = time.monotonic()
                if state is None or now - state.failed_at < LOG_EVERY:
                    return
                state.failed_at = now
            log.exception("follower: cannot read event %r; retrying", event)
            return
        now = time.monotonic()
        with self._lock:
            state = self._events.get(event)
            if state is None:
                return  # nobody follows it any more
            state.read_at = now
            state.failed_at = -LOG_EVERY
            if read is None:
                return
            current, entries = read
            newest = entries[-1].id if entries else after
            covered = True
            for feed in self._feeds:
                followed = feed.followed.get(event)
                if followed is None:
                    continue
                if followed.after is None:
                    followed.after = newest  # its start: nothing before is handed on
                elif followed.after < after:
                    covered = False  # followed while this read ran: read again for it
                    continue
                new = [e for e in entries if e.id > followed.after]
                if new:
                    followed.pending.extend(new)
                    followed.after = new[-1].id
                if new or current != followed.version:
                    followed.pending_version = current
            state.version = current if covered else None
            if not covered:
                state.next_read = now

    def _deliver(self) -> None:
        now = time.monotonic()
        batch: list[tuple[Feed, Change]] = []
        with self._lock:
            for feed in self._feeds:
                if feed.next_delivery > now:
                    continue
                for event, f in feed.followed.items():
                    if f.pending_version is None or f.after is None:
                        continue
                    batch.append(
                        (feed, Change(event, f.pending_version, tuple(f.pending), f.after))
                    )
                    f.version, f.pending_version, f.pending = f.pending_version, None, []
                    feed.next_delivery = now + feed.interval
        if not batch:
            return
        with self._delivering:
            for feed, change in batch:
                if feed not in self._feeds:
                    continue  # closed meanwhile
                try:
                    feed.deliver(change)
                except Exception:
                    log.exception("follower: a subscriber failed on a change of %r", change.event)
