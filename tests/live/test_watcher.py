"""The watcher: a change made through another Store (another process's view) is published,
rendered once for all subscribers (how fast: bench/live.py)."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterator, Mapping
from datetime import datetime

import anyio.to_thread
import pytest

from ptghub.core.errors import NotFound
from ptghub.core.model import EventState
from ptghub.live.bus import Bus, Message
from ptghub.live.follower import Follower
from ptghub.live.watcher import Watcher
from ptghub.store.store import Store
from tests.support import NOVA_CHAIR, Clock

SLUG = "test-ptg"
DEADLINE = 30.0  # seconds a test waits for a message: generous, a loaded machine is slow


class NowRenderer:
    """A small real renderer: nova's 'now' text, counting how often it is called."""

    def __init__(self) -> None:
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self, state: EventState, at: datetime) -> Mapping[str, str]:
        with self.lock:
            self.calls += 1
        return {"now": state.topics_of("nova").now or "", "at": at.isoformat()}


@pytest.fixture
def other_store(store: Store, database_url: str) -> Iterator[Store]:
    """A second Store on the same database: what another process sees and writes."""
    other = Store.open(database_url)
    yield other
    other.close()


def test_watcher_publishes_a_change_made_through_another_store(
    store: Store, other_store: Store
) -> None:
    async def scenario() -> tuple[Message, int]:
        bus = Bus()
        watcher = Watcher(store, bus, render=NowRenderer(), interval=0.2)
        subscription = bus.subscribe(SLUG)
        before = await watcher.current(SLUG)
        watcher.start()
        try:
            result = await asyncio.to_thread(
                other_store.run, "#nova now Placement API", NOVA_CHAIR, event=SLUG
            )
            # generous: the delay itself is bench/live.py's figure
            async with asyncio.timeout(DEADLINE):
                message = await subscription.get()
        finally:
            await watcher.stop()
        assert result is not None and result.audit_id is not None
        assert (message.id, message.version, message.seq) == (
            result.audit_id,
            before.version + 1,
            before.seq + 1,
        )
        return message, subscription.pending()

    message, pending = asyncio.run(scenario())
    assert message.fragments == {"now": "Placement API", "at": "2022-04-04T13:30:00+00:00"}
    assert message.changed == {"now": "Placement API"}
    assert pending == 0


def test_watcher_renders_each_change_once_for_all_subscribers(
    store: Store, other_store: Store
) -> None:
    async def scenario() -> tuple[list[str], list[str], list[str], int]:
        bus = Bus()
        render = NowRenderer()
        watcher = Watcher(store, bus, render=render, interval=0.2)
        subscriptions = [bus.subscribe(SLUG) for _ in range(50)]
        await watcher.current(SLUG)
        unchanged = await watcher.poll()
        other_store.run("#nova now Cells", NOVA_CHAIR, event=SLUG)
        await asyncio.sleep(0.2)  # past the freshness window of the first read
        changed = await watcher.poll()
        nows = sorted({str((await s.get()).fragments["now"]) for s in subscriptions})
        return unchanged, changed, nows, render.calls

    assert asyncio.run(scenario()) == ([], [SLUG], ["Cells"], 2)


def test_watcher_first_read_of_an_event_publishes_nothing(store: Store) -> None:
    async def scenario() -> tuple[int, int, list[str]]:
        bus = Bus()
        watcher = Watcher(store, bus, render=NowRenderer(), interval=0.2)
        subscription = bus.subscribe(SLUG)
        first = await watcher.current(SLUG)
        return first.seq, subscription.pending(), await watcher.poll()

    assert asyncio.run(scenario()) == (1, 0, [])


def test_watcher_current_message_carries_the_newest_audit_id_and_version(store: Store) -> None:
    result = store.run("#nova now Placement API", NOVA_CHAIR, event=SLUG)
    assert result is not None

    async def scenario() -> Message:
        return await Watcher(store, Bus(), render=NowRenderer()).current(SLUG)

    message = asyncio.run(scenario())
    assert (message.id, message.version, message.fragments["now"]) == (
        result.audit_id,
        store.version(SLUG),
        "Placement API",
    )


def test_watcher_current_of_an_unknown_event_raises_not_found(store: Store) -> None:
    async def scenario() -> None:
        await Watcher(store, Bus(), render=NowRenderer()).current("no-such-ptg")

    with pytest.raises(NotFound) as caught:
        asyncio.run(scenario())
    assert caught.value.message == (
        "Unknown event 'no-such-ptg'; 'ptghub event list' shows the events."
    )


def test_watcher_keeps_polling_other_events_when_one_cannot_be_read(
    store: Store, other_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> tuple[list[str], list[str], str]:
        bus = Bus()
        watcher = Watcher(store, bus, render=NowRenderer(), interval=0.2)
        good = bus.subscribe(SLUG)
        bus.subscribe("no-such-ptg")
        await watcher.current(SLUG)
        first = await watcher.poll()
        other_store.run("#nova now Cells", NOVA_CHAIR, event=SLUG)
        await asyncio.sleep(0.2)
        second = await watcher.poll()
        return first, second, str((await good.get()).fragments["now"])

    with caplog.at_level(logging.ERROR, logger="ptghub.live.watcher"):
        assert asyncio.run(scenario()) == ([], [SLUG], "Cells")
    # Logged once, not at every round, while the event stays unreadable.
    assert [r.getMessage() for r in caplog.records] == [
        "live: cannot read event 'no-such-ptg'; retrying"
    ]


def test_watcher_stop_ends_polling_and_can_be_called_twice(store: Store) -> None:
    async def scenario() -> bool:
        watcher = Watcher(store, Bus(), render=NowRenderer(), interval=0.05)
        watcher.start()
        await asyncio.sleep(0.1)
        await watcher.stop()
        await watcher.stop()
        return all(t.get_name() != "ptghub-live" for t in asyncio.all_tasks())

    assert asyncio.run(scenario()) is True


def test_watcher_interval_must_be_positive(store: Store) -> None:
    with pytest.raises(ValueError) as caught:
        Watcher(store, Bus(), render=NowRenderer(), interval=0)
    assert str(caught.value) == "the watcher's interval must be positive, not 0"


def test_watcher_renders_again_as_time_passes_and_publishes_only_a_difference(
    store: Store, clock: Clock
) -> None:
    async def scenario() -> tuple[list[str], list[str], Message]:
        bus = Bus()
        render = NowRenderer()
        watcher = Watcher(store, bus, render=render, interval=0.05, rerender=0.1)
        subscription = bus.subscribe(SLUG)
        first = await watcher.current(SLUG)
        await asyncio.sleep(0.1)
        same_time = await watcher.poll()  # rendered again: nothing differs, nothing sent
        clock.advance(minutes=30)
        await asyncio.sleep(0.1)
        later = await watcher.poll()
        message = await subscription.get()
        assert message is not None
        assert (message.id, message.version, message.seq) == (
            first.id,
            first.version,
            first.seq + 1,
        )
        assert render.calls == 3  # the first read, and once per poll after ``rerender``
        return same_time, later, message

    same_time, later, message = asyncio.run(scenario())
    assert (same_time, later) == ([], [SLUG])
    assert message.changed == {"at": "2022-04-04T14:00:00+00:00"}


def test_watcher_follows_exactly_the_viewed_events_through_the_follower(store: Store) -> None:
    follower = Follower(store, threaded=False)

    async def scenario() -> tuple[int | None, bool, bool]:
        bus = Bus()
        watcher = Watcher(store, bus, render=NowRenderer(), interval=0.2, follower=follower)
        watcher.start()
        try:
            with bus.subscribe(SLUG):
                await asyncio.to_thread(follower.round)
                seen = follower.seen(SLUG)
            after = follower.seen(SLUG) is None
        finally:
            await watcher.stop()
        return None if seen is None else seen[0], after, follower.running

    assert asyncio.run(scenario()) == (store.version(SLUG), True, False)


def test_watcher_publishes_a_change_while_every_request_thread_is_taken(
    store: Store, other_store: Store
) -> None:
    """A loaded server queues its requests for anyio's default threads; the live feed has
    threads of its own, so a change does not wait behind them."""

    async def scenario() -> Message:
        requests = anyio.to_thread.current_default_thread_limiter()
        holders = [object() for _ in range(int(requests.total_tokens))]
        for holder in holders:  # what seconds of queued reads look like to the limiter
            await requests.acquire_on_behalf_of(holder)
        bus = Bus()
        watcher = Watcher(store, bus, render=NowRenderer(), interval=0.2)
        subscription = bus.subscribe(SLUG)
        try:
            async with asyncio.timeout(DEADLINE):  # without threads of its own, it waits here
                await watcher.current(SLUG)
                watcher.start()
                await asyncio.get_running_loop().run_in_executor(
                    None,
                    lambda: other_store.run("#nova now Placement API", NOVA_CHAIR, event=SLUG),
                )
                return await subscription.get()
        finally:
            for holder in holders:
                requests.release_on_behalf_of(holder)
            await watcher.stop()

    assert asyncio.run(scenario()).fragments["now"] == "Placement API"
