"""Personal notices for open browsers: what a signed-in person follows went now or next.

Each open personal stream (``web.notice_stream``) is an ``Inbox`` of one person. The hub
follows, through the process's one audit-log follower (``live.follower``), the events
the connected people follow, and only while someone is connected. For each change that
moved a topic it works out, in a worker thread (off the follower's thread and off every
request), who is owed which lines (``store.follow_notices``: ``Followers.owed``) and puts
each line in the inboxes of the connected people who chose the browser channel; nobody
else's inbox sees it, and nothing personal goes to the public event stream.

The hub lives on the web server's event loop: ``open`` and ``Inbox.get`` are called there.
Its feed starts with the first inbox and ends with the last one.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import anyio.to_thread

from ptghub.core.events import TopicsChanged
from ptghub.live.follower import Change, Feed, Follower, newest_id
from ptghub.store.follow_notices import notice_line
from ptghub.store.store import Store

log = logging.getLogger(__name__)

INTERVAL = 0.5  # seconds between two deliveries of changes to the hub at most
QUEUE_LIMIT = 32  # notices an inbox may hold unread; past it the oldest are dropped


@dataclass(eq=False, slots=True)
class Inbox:
    """One open stream's notices (dicts ready to send as JSON)."""

    person_id: int
    events: frozenset[str]
    queue: asyncio.Queue[dict[str, Any]] = field(
        default_factory=lambda: asyncio.Queue(maxsize=QUEUE_LIMIT)
    )

    def offer(self, notice: dict[str, Any]) -> None:
        if self.queue.full():
            self.queue.get_nowait()  # a page that reads nothing keeps the newest only
        self.queue.put_nowait(notice)

    async def get(self) -> dict[str, Any]:
        return await self.queue.get()


class PersonalNotices:
    """The hub of one web server (``app.state``); see the module's docstring."""

    def __init__(
        self,
        store: Store,
        *,
        interval: float = INTERVAL,
        follower: Follower | None = None,
    ) -> None:
        self.store = store
        self.interval = interval
        self.follower = follower
        self._inboxes: set[Inbox] = set()
        self._followed: dict[str, int] = {}  # event slug -> inboxes that follow it
        self._feed: Feed | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def connected(self) -> frozenset[int]:
        return frozenset(inbox.person_id for inbox in self._inboxes)

    async def open(self, person_id: int) -> Inbox:
        """A new inbox for ``person_id``, following the events they follow now."""
        positions = await anyio.to_thread.run_sync(self._positions, person_id)
        inbox = Inbox(person_id, frozenset(positions))
        if self._feed is None:
            loop = asyncio.get_running_loop()

            def deliver(change: Change) -> None:  # on the follower's thread
                loop.call_soon_threadsafe(self._changed, change)

            follower = self.follower or Follower.of(self.store)
            self._feed = follower.subscribe(deliver, interval=self.interval)
        self._inboxes.add(inbox)
        for slug in inbox.events:
            self._followed[slug] = self._followed.get(slug, 0) + 1
            version, after = positions[slug]
            # From where the log is now: a change right after the stream opened counts.
            self._feed.follow(slug, after=after, version=version)
        return inbox

    def _positions(self, person_id: int) -> dict[str, tuple[int, int]]:
        """The version and newest audit id of each event the person follows."""
        slugs = self.store.attendees.follow_notices.followed_events(person_id)
        return {slug: (self.store.version(slug), newest_id(self.store, slug)) for slug in slugs}

    def close(self, inbox: Inbox) -> None:
        """Remove ``inbox``; the last one ends the feed (in a worker thread, not waited
        for: this runs as a stream is cancelled). Harmless twice."""
        if inbox not in self._inboxes:
            return
        self._inboxes.discard(inbox)
        feed = self._feed
        for slug in inbox.events:
            left = self._followed[slug] - 1
            if left:
                self._followed[slug] = left
            else:
                del self._followed[slug]
                if feed is not None:
                    feed.unfollow(slug)
        if not self._inboxes and feed is not None:
            self._feed = None
            asyncio.get_running_loop().run_in_executor(None, feed.close)

    # -- changes (on the loop) ----------------------------------------------------------

    def _changed(self, change: Change) -> None:
        if change.event is None or not any(
            isinstance(x, TopicsChanged) for e in change.entries for x in e.events
        ):
            return
        people = frozenset(i.person_id for i in self._inboxes if change.event in i.events)
        if people:
            task = asyncio.get_running_loop().create_task(self._hand_out(change, people))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _hand_out(self, change: Change, people: frozenset[int]) -> None:
        try:
            owed = await anyio.to_thread.run_sync(self._owed, change, people)
        except Exception:
            log.exception("personal notices: cannot work out who follows %r", change.event)
            return
        for inbox in tuple(self._inboxes):
            for notice in owed.get(inbox.person_id, ()):
                inbox.offer(notice)

    def _owed(self, change: Change, people: frozenset[int]) -> dict[int, list[dict[str, Any]]]:
        """The notices of ``change`` for those of ``people`` who chose the browser (in a
        worker thread)."""
        assert change.event is not None
        state = self.store.state(change.event)
        events = [x for e in change.entries for x in e.events]
        followers = self.store.attendees.follow_notices.followers(change.event, state, events)
        if not any(r.browser and r.person_id in people for r in followers.people.values()):
            return {}
        found: dict[int, list[dict[str, Any]]] = {}
        for entry in change.entries:
            owed = followers.owed(state, entry.events, author=entry.person_id)
            for recipient, lines in owed.items():
                if recipient.browser and recipient.person_id in people:
                    found.setdefault(recipient.person_id, []).extend(
                        _browser_notice(notice_line(state, line, entry.id), line.text)
                        for line in lines
                    )
        return found


def _browser_notice(line: dict[str, Any], text: str) -> dict[str, Any]:
    """What the page shows: the mail's line, its words, and the team page's address."""
    team_page = f"/events/{quote(line['event'], safe='')}/teams/{quote(line['team'], safe='')}"
    return {**line, "text": text, "url": team_page}
