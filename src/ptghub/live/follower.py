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

Each round reads the versions of all the due events in one query. On PostgreSQL (unless
``listen`` is off) a listener (``live.listener``) holds a connection that ran ``LISTEN``
on the channel that every transaction writing an audit row notifies as it commits: while
it listens, an event is read when a notification names it (``wake``; at most once per
pace still) and otherwise only every ``safety_poll`` seconds, a safety net; an idle
process then sends almost nothing to the database. While it does not listen (SQLite, a
dropped connection) the events are read at their subscribers' pace, as a poll. The
notification only says "look now": what changed is still read from the audit log, so a
lost notification costs latency, never a change.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable

from ptghub.live.change import LOG_EVERY, Change, Event, Position, Reading, newest_id, read_change
from ptghub.live.listener import Listener
from ptghub.store.audit_log import AuditEntry
from ptghub.store.store import Store
from ptghub.store.versions import versions

# What subscribers import from here.
__all__ = ["Change", "Event", "Feed", "Follower", "newest_id", "read_change"]

log = logging.getLogger(__name__)

IDLE_WAIT = 60.0  # seconds the loop sleeps when nothing is due (a wake() cuts it short)
# Seconds between two reads of an event while notifications wake the follower: with the
# watcher's re-rendering (every 60 s) one idle worker viewing 5 events stays under one
# query a second (bench/db_load.py), and a change whose notification got lost still
# arrives within seconds.
DEFAULT_SAFETY_POLL = 5.0
WAKE_GAP = 0.02  # seconds: the least time between two reads of an event that wakes cause


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
        self.followed: dict[Event, Position] = {}

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

    def __init__(
        self,
        store: Store,
        *,
        threaded: bool = True,
        listen: bool = True,
        safety_poll: float = DEFAULT_SAFETY_POLL,
    ) -> None:
        self.store = store
        self.threaded = threaded
        self.listen = listen and store.engine.dialect.name == "postgresql"
        self.safety_poll = safety_poll
        self.listener: Listener | None = None  # the thread's, while it runs
        self._lock = threading.Lock()  # guards the feeds and events; never held for a read
        self._delivering = threading.Lock()  # held while callbacks run
        self._wake = threading.Event()
        self._feeds: list[Feed] = []
        self._events: dict[Event, Reading] = {}
        self._thread: threading.Thread | None = None  # the loop's; a new one when it restarts
        self.rounds = 0  # rounds run so far: an idle follower must not spin

    @classmethod
    def of(
        cls, store: Store, *, listen: bool | None = None, safety_poll: float | None = None
    ) -> Follower:
        """The process's follower of ``store``: one per store, shared by all subscribers
        (a web server that also runs the IRC bot reads each change once for both).
        ``listen`` and ``safety_poll`` (the settings') apply from its next start."""
        with _followers_lock:
            follower = _followers.get(id(store))
            if follower is None or follower.store is not store:
                follower = _followers[id(store)] = cls(store)
            if listen is not None:
                follower.listen = listen and store.engine.dialect.name == "postgresql"
            if safety_poll is not None:
                follower.safety_poll = safety_poll
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

    def wake(self, events: frozenset[str] | None = None, *, gap: float = 0.0) -> None:
        """Read the followed ``events`` (by slug, the current event with any; None: all)
        now rather than at their next tick, or ``gap`` seconds after their last read at
        the soonest (the listener's ``WAKE_GAP``: a burst of notified changes costs no
        more reads than the poll did)."""
        with self._lock:
            for event, state in self._events.items():
                if events is None or event is None or event in events:
                    soonest = state.scheduled + min(state.pace, gap)
                    state.next_read = min(state.next_read, soonest)
        self._wake.set()

    def _notified(self, events: frozenset[str] | None) -> None:
        self.wake(events, gap=WAKE_GAP)

    @property
    def listening(self) -> bool:
        """Whether notifications wake the follower now (else it polls)."""
        listener = self.listener
        return listener is not None and listener.listening

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
            feed.followed[event] = Position(after, version)
            state = self._events.get(event)
            if state is None:
                state = self._events[event] = Reading()
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
        listener = None
        if self.listen:
            listener = self.listener = Listener(self.store.engine.url, self._notified)
            listener.start()
        try:
            while not self._ended():
                self.round()
                self._wait()
        finally:
            if listener is not None:
                listener.stop()
                if self.listener is listener:
                    self.listener = None

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
        listening = self.listening
        with self._lock:
            self.rounds += 1
            due = []
            for event, state in self._events.items():
                if state.next_read <= now:
                    pace = min(feed.interval for feed in self._feeds if event in feed.followed)
                    state.scheduled, state.pace = now, pace
                    if listening:  # on a common beat: one query reads them all
                        beat = max(pace, self.safety_poll)
                        state.next_read = (now // beat + 1) * beat
                    else:
                        state.next_read = now + pace
                    cursors = [
                        f.after
                        for feed in self._feeds
                        if (f := feed.followed.get(event)) is not None and f.after is not None
                    ]
                    due.append((event, state.version, min(cursors, default=None)))
        current: dict[Event, int] = {}
        if any(after is not None for _, _, after in due):
            # One query for all; an event missing from it (or all, when it failed) is
            # read on its own below, which reports what went wrong.
            try:
                current = versions(self.store.engine, [e for e, _, a in due if a is not None])
            except Exception:
                current = {}
        for event, version, after in due:
            self._read(event, version, after, current.get(event))
        self._deliver()

    def _read(
        self, event: Event, version: int | None, after: int | None, current: int | None = None
    ) -> None:
        read: tuple[int, tuple[AuditEntry, ...]] | None
        try:
            if after is not None and current is not None:  # its version read with the others
                moved = current != version
                read = (current, tuple(self.store.audit(event, after=after))) if moved else None
            elif after is None:  # nobody has a position yet: start from the newest entry
                # The version first: the entries up to ``after`` are all in it or older.
                version_now = self.store.version(event)
                after = newest_id(self.store, event)
                read = version_now, ()
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
