"""The in-process bus: one change message fanned out to every subscriber of a topic.

A topic is an event's slug. Each subscriber has a bounded asyncio queue, so a client that
reads slowly cannot make the server hold an unbounded backlog for it: when its queue is
full, the backlog is dropped and only the newest message is kept. That loses nothing,
because every message also holds the whole current content of each live region of the
page (``Message.full_frame``), so the newest message alone brings any subscriber up to
date; a stream that notices a gap in ``seq`` sends that instead of the smaller frame with
only the regions that changed.

The bus lives on one event loop: ``publish``, ``subscribe`` and ``Subscription.get`` must
be called from that loop's thread (the watcher does its blocking reads in worker threads
and publishes back on the loop).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType

DEFAULT_QUEUE_LIMIT = 8  # messages a subscriber may fall behind before it keeps only the newest


@dataclass(frozen=True, slots=True)
class Message:
    """One change of an event as the live pages see it.

    ``id`` is the newest audit id the fragments include (the SSE event id, which a client
    sends back as ``Last-Event-ID`` when it reconnects); ``version`` is the event's
    version; ``seq`` numbers the messages the watcher builds for the event, one more each
    time. ``fragments`` is the whole current HTML of every region; ``changed`` only the
    regions that differ from the previous message's (all of them for the first).

    Both are encoded once here as whole Server-Sent Events frames and written as they are
    to every subscriber: ``frame`` carries ``changed`` (enough for a client that has the
    previous message), ``full_frame`` carries ``fragments`` (enough for any client, after
    any gap). ``frame_after`` picks the right one.
    """

    id: int
    version: int
    seq: int
    fragments: Mapping[str, str]
    changed: Mapping[str, str]
    frame: bytes = field(repr=False)
    full_frame: bytes = field(repr=False)

    @classmethod
    def build(
        cls,
        *,
        id: int,
        version: int,
        seq: int,
        fragments: Mapping[str, str],
        previous: Message | None = None,
    ) -> Message:
        whole = dict(fragments)
        if previous is None:
            changed = whole
        else:
            changed = {k: v for k, v in whole.items() if previous.fragments.get(k) != v}
        full_frame = _frame(id, version, whole)
        frame = full_frame if changed == whole else _frame(id, version, changed)
        return cls(id, version, seq, whole, changed, frame, full_frame)

    def frame_after(self, sent: int) -> bytes:
        """The frame for a client whose last message was number ``sent``."""
        return self.frame if sent == self.seq - 1 else self.full_frame


def _frame(id: int, version: int, fragments: Mapping[str, str]) -> bytes:
    data = json.dumps(
        {"id": id, "version": version, "fragments": fragments},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    # json.dumps escapes newlines inside strings, so the data is one line, as SSE needs.
    return f"id: {id}\nevent: change\ndata: {data}\n\n".encode()


class Subscription:
    """One subscriber's view of a topic: await ``get()`` for the next message.

    Use it as a context manager (or call ``close``) so that it leaves the bus when the
    client goes away.
    """

    def __init__(self, bus: Bus, topic: str, limit: int) -> None:
        if limit < 1:
            raise ValueError(f"a subscription's queue limit must be at least 1, not {limit}")
        self.bus = bus
        self.topic = topic
        self.dropped = 0  # messages discarded because this subscriber fell behind
        # None in the queue is a heartbeat: "nothing happened, say so to keep the line open".
        self._queue: asyncio.Queue[Message | None] = asyncio.Queue(maxsize=limit)

    def offer(self, message: Message) -> None:
        """Queue ``message``; when the queue is full, drop the backlog and keep only it."""
        try:
            self._queue.put_nowait(message)
        except asyncio.QueueFull:
            while not self._queue.empty():
                if self._queue.get_nowait() is not None:
                    self.dropped += 1
            self._queue.put_nowait(message)

    def offer_heartbeat(self) -> bool:
        """Queue a heartbeat if nothing is waiting (else what waits keeps the line busy)."""
        if not self._queue.empty():
            return False
        self._queue.put_nowait(None)
        return True

    async def get(self) -> Message | None:
        """The next message, or None for a heartbeat."""
        return await self._queue.get()

    def pending(self) -> int:
        return self._queue.qsize()

    def close(self) -> None:
        self.bus.unsubscribe(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class Bus:
    """Topics and their subscribers; ``publish`` never blocks and never fails."""

    def __init__(self, *, queue_limit: int = DEFAULT_QUEUE_LIMIT) -> None:
        self.queue_limit = queue_limit
        self._topics: dict[str, set[Subscription]] = {}
        # Told (topic, True) when a topic gets its first subscriber and (topic, False)
        # when it loses its last: the watcher follows exactly the viewed events.
        self.on_topic: Callable[[str, bool], object] | None = None

    def subscribe(self, topic: str) -> Subscription:
        subscription = Subscription(self, topic, self.queue_limit)
        subscribers = self._topics.get(topic)
        if subscribers is None:
            subscribers = self._topics[topic] = set()
            if self.on_topic is not None:
                self.on_topic(topic, True)
        subscribers.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        """Remove a subscription; removing one twice is harmless."""
        subscribers = self._topics.get(subscription.topic)
        if subscribers is None:
            return
        subscribers.discard(subscription)
        if not subscribers:
            del self._topics[subscription.topic]
            if self.on_topic is not None:
                self.on_topic(subscription.topic, False)

    def publish(self, topic: str, message: Message) -> int:
        """Offer ``message`` to every subscriber of ``topic``; return how many there were."""
        subscribers = self._topics.get(topic, ())
        for subscription in tuple(subscribers):
            subscription.offer(message)
        return len(subscribers)

    def heartbeat(self) -> int:
        """Offer a heartbeat to every idle subscriber of every topic; return how many.

        One timer for all subscribers (the caller's), instead of a timeout per waiting
        subscriber, keeps the cost of an idle connection down to its queue.
        """
        return sum(
            subscription.offer_heartbeat()
            for subscribers in tuple(self._topics.values())
            for subscription in tuple(subscribers)
        )

    def topics(self) -> frozenset[str]:
        """The topics that have at least one subscriber (the events someone is viewing)."""
        return frozenset(self._topics)

    def count(self, topic: str) -> int:
        return len(self._topics.get(topic, ()))
