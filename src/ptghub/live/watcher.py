"""The watcher: notices that an event changed and publishes its new page fragments once.

Changes may come from other processes (``ptghub cmd`` in a shell, a bot, another web
worker) writing to the same database; the process's follower (``live.follower``) reads
them back from the audit log. The watcher follows, through it, every event that has
viewers on the bus, at its own pace (``interval``, 0.02 s by default): when an event's
version moves, it reads the state once, renders the fragments once, and publishes one
message that every viewer receives: the cost of a change does not grow with the number
of viewers, only the writing of the finished frame to each of them does.

What a board shows as "now" also moves with the clock, so a viewed event's fragments are
rendered again every ``rerender`` seconds (60 by default) and published if they differ;
such a message keeps the id and version of the last change.

The store is synchronous, so every read (and the rendering) runs in a worker thread; the
follower calls back on its own thread, which hands the change to the event loop; the
bus is touched only on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

import anyio
import anyio.to_thread

from ptghub.core.errors import NotFound
from ptghub.core.model import EventState
from ptghub.live.bus import Bus, Message
from ptghub.live.follower import Change, Feed, Follower, newest_id
from ptghub.store.store import Store

log = logging.getLogger(__name__)

Renderer = Callable[[EventState, datetime], Mapping[str, str]]

# Seconds between two version reads of a viewed event. The read is one indexed SELECT in
# the follower's thread: at 0.02 s it costs a few % of a core per viewed event on the 2-core
# development machine, and the wait it adds to a change is 10 ms on average; at 0.05 s
# that wait alone made a change reach 2,000 viewers 1.5 times slower than a bare
# broadcaster does (bench/fanout.py).
DEFAULT_INTERVAL = 0.02
LOG_EVERY = 60.0  # seconds between two log entries about the same event failing
# Seconds after which a viewed event's fragments are rendered again even though nothing
# changed: what is "now" on a board moves with the clock. Published only if they differ.
DEFAULT_RERENDER = 60.0
LIVE_THREADS = 4  # refreshes of viewed events running at once, beside the requests


@dataclass(slots=True)
class _Turn:
    """One event's refresh lock and how many refreshes hold or await it."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


@dataclass(frozen=True, slots=True)
class _Known:
    message: Message
    checked: float  # time.monotonic() of the version read that confirmed it
    rendered: float  # time.monotonic() of the last rendering (which may have changed nothing)


class Watcher:
    """Follows the viewed events of ``bus`` and publishes a ``Message`` per change.

    ``current(slug)`` gives the message for an event's present state (what a client that
    reconnects after missing changes needs); it raises ``NotFound`` for an unknown event.
    ``start()`` subscribes to ``follower`` (by default the process's one for ``store``)
    from the running loop, ``stop()`` ends it and waits for it; ``poll()`` checks every
    viewed event once by itself.
    """

    def __init__(
        self,
        store: Store,
        bus: Bus,
        *,
        render: Renderer,
        interval: float = DEFAULT_INTERVAL,
        rerender: float = DEFAULT_RERENDER,
        follower: Follower | None = None,
    ) -> None:
        if interval <= 0:
            raise ValueError(f"the watcher's interval must be positive, not {interval}")
        self.store = store
        self.bus = bus
        self.render = render
        self.interval = interval
        self.rerender = rerender
        self.follower = follower
        self._known: dict[str, _Known] = {}
        # Only while a refresh of the slug runs or waits: an address that names no event
        # (a typo, or an attacker's random slugs) must leave nothing behind.
        self._locks: dict[str, _Turn] = {}
        self._task: asyncio.Task[None] | None = None  # the clock: renders again when due
        self._feed: Feed | None = None
        self._changes: set[asyncio.Task[bool]] = set()  # refreshes the follower asked for
        self._failed: dict[str, float] = {}  # slug -> when its last failure was logged
        # Its own threads' tokens: the requests' share (anyio's default limiter) can hold
        # seconds of queued reads on a loaded server, and a change must not wait behind them.
        self._limiter: anyio.CapacityLimiter | None = None

    def tracked(self) -> frozenset[str]:
        """The slugs this watcher keeps anything for (a message, a lock, a failure time)."""
        return frozenset(self._known) | frozenset(self._locks) | frozenset(self._failed)

    # -- reading ----------------------------------------------------------------------

    async def current(self, slug: str) -> Message:
        """The message for the event's current state, read from the database only when
        the last confirmation is older than one interval."""
        known = self._known.get(slug)
        if known is not None and self._fresh(slug, known):
            return known.message
        message, _ = await self._refresh(slug)
        return message

    async def render_now(self, slug: str) -> Message:
        """Render the event's fragments now, as if its ``rerender`` time had come (what
        they hold depends on more than the state: a zone someone started to view), and
        publish them if they differ; the message for its current state."""
        known = self._known.get(slug)
        if known is not None:
            self._known[slug] = replace(known, checked=-math.inf, rendered=-math.inf)
        message, _ = await self._refresh(slug)
        return message

    def _fresh(self, slug: str, known: _Known) -> bool:
        """Whether ``known`` was confirmed less than one interval ago, by this watcher's
        own read or by the follower's."""
        now = time.monotonic()
        if now - known.checked <= self.interval:
            return True
        seen = None if self._feed is None else self._feed.follower.seen(slug)
        return (
            seen is not None and seen[0] == known.message.version and now - seen[1] <= self.interval
        )

    async def _refresh(self, slug: str, change: Change | None = None) -> tuple[Message, bool]:
        """Confirm or rebuild the event's message; when it changed, publish it to the
        event's subscribers and return True with it. ``change``: what the follower read.

        One refresh per event at a time: when many clients reconnect at once, the first
        reads and renders, the others find its result fresh. The first read of an event
        publishes nothing: there was nothing before it to change from.
        """
        async with self._turn(slug):
            known = self._known.get(slug)
            started = time.monotonic()
            if known is not None and (
                started - known.checked <= self.interval / 2
                if change is None
                else known.message.version == change.version
            ):
                return known.message, False
            previous = None if known is None else known.message
            due = known is None or started - known.rendered >= self.rerender
            if previous is None:
                change = None  # a first read: the follower's position says nothing of it
            try:
                if self._limiter is None:  # made on the loop, where anyio wants it
                    self._limiter = anyio.CapacityLimiter(LIVE_THREADS)
                message = await anyio.to_thread.run_sync(
                    self._read, slug, previous, due, change, limiter=self._limiter
                )
            except NotFound:
                self._known.pop(slug, None)  # deleted meanwhile: forget it
                raise
            if message is None:
                assert known is not None  # a first read always gives a message
                rendered = started if due else known.rendered
                self._known[slug] = _Known(known.message, started, rendered)
                return known.message, False
            self._known[slug] = _Known(message, started, started)
            if previous is None:
                return message, False
            self.bus.publish(slug, message)
            return message, True

    @contextlib.asynccontextmanager
    async def _turn(self, slug: str) -> AsyncIterator[None]:
        """Hold the slug's lock; the lock exists only while someone holds or awaits it."""
        turn = self._locks.get(slug)
        if turn is None:
            turn = self._locks[slug] = _Turn()
        turn.users += 1
        try:
            async with turn.lock:
                yield
        finally:
            turn.users -= 1
            if turn.users == 0:
                del self._locks[slug]

    def _read(
        self, slug: str, previous: Message | None, due: bool, change: Change | None
    ) -> Message | None:
        """In a worker thread: the new message, or None when there is nothing new (the
        version has not moved and no rendering is ``due``, or it is and changed nothing).
        With the follower's ``change`` (and a ``previous`` message), its version and
        audit id are known already."""
        # The audit id is read before the state (the follower's ``change`` was too), so
        # the id never claims a change that the fragments do not show; at worst a
        # resuming client gets one catch-up too many.
        if change is not None and previous is not None:
            newest = max(previous.id, change.newest)
        else:
            if previous is not None and not due and self.store.version(slug) == previous.version:
                return None
            newest = newest_id(self.store, slug)
        version, state = self.store.versioned_state(slug)
        if previous is not None and not due and version == previous.version:
            return None
        fragments = self.render(state, self.store.clock())
        if previous is not None and (version, fragments) == (
            previous.version,
            previous.fragments,
        ):
            return None
        return Message.build(
            id=newest,
            version=version,
            seq=1 if previous is None else previous.seq + 1,
            fragments=fragments,
            previous=previous,
        )

    # -- polling ----------------------------------------------------------------------

    async def poll(self) -> list[str]:
        """Check every viewed event once (concurrently); publish what changed; return the
        slugs of those that changed."""
        slugs = sorted(self.bus.topics())
        for gone in self._failed.keys() - set(slugs):
            del self._failed[gone]  # nobody views it any more: nothing to retry
        results = await asyncio.gather(*(self._poll_one(slug) for slug in slugs))
        return [slug for slug, changed in zip(slugs, results, strict=True) if changed]

    async def _poll_one(self, slug: str, change: Change | None = None) -> bool:
        try:
            _, changed = await self._refresh(slug, change)
        except Exception:
            # A database hiccup or a deleted event must not stop the other events'
            # updates: log it and try again next round -- but say it once a minute, not
            # twenty times a second, while the database stays away.
            now = time.monotonic()
            if now - self._failed.get(slug, -LOG_EVERY) >= LOG_EVERY:
                self._failed[slug] = now
                log.exception("live: cannot read event %r; retrying", slug)
            return False
        self._failed.pop(slug, None)
        return changed

    # -- following ----------------------------------------------------------------------

    def _changed(self, change: Change) -> None:
        """On the loop: the follower saw the event move; refresh it if it is viewed."""
        slug = change.event
        if slug is None or self._feed is None or not self.bus.count(slug):
            return
        task = asyncio.get_running_loop().create_task(self._poll_one(slug, change))
        self._changes.add(task)
        task.add_done_callback(self._changes.discard)

    def _on_topic(self, slug: str, viewed: bool) -> None:
        """The bus gained its first viewer of ``slug`` or lost its last one."""
        if self._feed is None:
            return
        if viewed:
            self._feed.follow(slug)
        else:
            self._feed.unfollow(slug)
            self._failed.pop(slug, None)  # nobody views it any more: nothing to retry

    async def _clock(self) -> None:
        """Render the viewed events again as time passes (every ``rerender`` seconds)."""
        while True:
            now = time.monotonic()
            viewed = sorted(self.bus.topics())
            times = [k.rendered + self.rerender for s in viewed if (k := self._known.get(s))]
            await asyncio.sleep(max(self.interval, min(times, default=now + self.rerender) - now))
            now = time.monotonic()
            due = [
                slug
                for slug in sorted(self.bus.topics())
                if (known := self._known.get(slug)) is not None
                and now - known.rendered >= self.rerender
            ]
            await asyncio.gather(*(self._poll_one(slug) for slug in due))

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def feed(self) -> Feed | None:
        """Its subscription to the follower while it runs (readiness and lag read it)."""
        return self._feed

    def start(self) -> None:
        """Follow the viewed events (from the running loop)."""
        if self._task is not None:
            return
        loop = asyncio.get_running_loop()
        follower = self.follower or Follower.of(self.store)

        def deliver(change: Change) -> None:  # on the follower's thread
            loop.call_soon_threadsafe(self._changed, change)

        self._feed = follower.subscribe(deliver, interval=self.interval)
        self.bus.on_topic = self._on_topic
        for slug in self.bus.topics():
            self._feed.follow(slug)
        self._task = loop.create_task(self._clock(), name="ptghub-live")

    async def stop(self) -> None:
        """Leave the follower and wait until every refresh has ended (a read in a
        worker thread is allowed to finish first)."""
        task, self._task = self._task, None
        feed, self._feed = self._feed, None
        if task is None:
            return
        if self.bus.on_topic == self._on_topic:
            self.bus.on_topic = None
        if feed is not None:
            await anyio.to_thread.run_sync(feed.close)
        tasks = [task, *self._changes]
        for each in tasks:
            each.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*tasks, return_exceptions=True)
