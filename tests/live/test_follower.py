"""The follower: one reading of the audit log per process, handed to every subscriber at
its own pace; changes made through another Store (another process's view) included."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import closing

import pytest

from ptghub.core.model import Actor
from ptghub.live.follower import Change, Follower, newest_id
from ptghub.store.store import Store
from tests.support import NOVA_CHAIR

SLUG = "test-ptg"
WEB = Actor("olivia", frontend="web")
DEADLINE = 30.0  # seconds a test waits for a change: generous, a loaded machine is slow


@pytest.fixture
def other_store(store: Store, database_url: str) -> Iterator[Store]:
    """A second Store on the same database: what another process sees and writes."""
    other = Store.open(database_url)
    yield other
    other.close()


def texts(change: Change) -> list[str]:
    return [entry.text for entry in change.entries]


def test_every_feed_gets_each_change_made_through_another_store(
    store: Store, other_store: Store
) -> None:
    follower = Follower(store, threaded=False)
    fast: list[Change] = []
    slow: list[Change] = []
    start = newest_id(store, SLUG)
    with (
        closing(follower.subscribe(fast.append, interval=0.02)) as one,
        closing(follower.subscribe(slow.append, interval=60)) as two,
    ):
        one.follow(SLUG, after=start, version=store.version(SLUG))
        two.follow(SLUG, after=start, version=store.version(SLUG))
        follower.round()
        assert (fast, slow) == ([], [])  # nothing changed since their start

        result = other_store.run("#nova now Placement API", NOVA_CHAIR, event=SLUG)
        time.sleep(0.03)  # past the fast feed's pace: the event is due again
        follower.round()

    assert result is not None
    expected = Change(SLUG, store.version(SLUG), fast[0].entries, result.audit_id or 0)
    assert fast == slow == [expected]
    assert texts(expected) == ["#nova now Placement API"]


def test_a_feed_without_a_start_begins_where_the_log_is_and_is_told_the_version(
    store: Store,
) -> None:
    store.run("#nova now Placement API", WEB)
    follower = Follower(store, threaded=False)
    changes: list[Change] = []
    with closing(follower.subscribe(changes.append, interval=0.02)) as feed:
        feed.follow(SLUG)
        follower.round()
        result = store.run("#nova now Cells", WEB)
        time.sleep(0.03)
        follower.round()

    assert result is not None and result.audit_id is not None
    assert [(c.version, texts(c), c.newest) for c in changes] == [
        (store.version(SLUG) - 1, [], result.audit_id - 1),
        (store.version(SLUG), ["#nova now Cells"], result.audit_id),
    ]


def test_a_slower_feed_gets_what_came_meanwhile_in_one_batch(store: Store) -> None:
    follower = Follower(store, threaded=False)
    fast: list[Change] = []
    slow: list[Change] = []
    with (
        closing(follower.subscribe(fast.append, interval=0.01)) as one,
        closing(follower.subscribe(slow.append, interval=1.0)) as two,
    ):
        for feed in (one, two):
            feed.follow(SLUG, after=newest_id(store, SLUG), version=store.version(SLUG))
        for number in range(3):
            store.run(f"#nova now topic {number}", WEB)
            time.sleep(0.02)
            follower.round()
        time.sleep(1.0)
        follower.round()

    assert [texts(c) for c in fast] == [[f"#nova now topic {n}"] for n in range(3)]
    # The first change at once, then the two that came within its pace together.
    assert [texts(c) for c in slow] == [
        ["#nova now topic 0"],
        ["#nova now topic 1", "#nova now topic 2"],
    ]


def test_a_feed_that_starts_behind_the_others_gets_its_whole_gap(store: Store) -> None:
    follower = Follower(store, threaded=False)
    ahead: list[Change] = []
    behind: list[Change] = []
    start = newest_id(store, SLUG)
    version = store.version(SLUG)
    with closing(follower.subscribe(ahead.append, interval=0.01)) as first:
        first.follow(SLUG)
        store.run("#nova now Placement API", WEB)  # after the second feed's start
        follower.round()
        with closing(follower.subscribe(behind.append, interval=0.01)) as second:
            second.follow(SLUG, after=start, version=version)
            time.sleep(0.02)
            follower.round()

    assert [texts(c) for c in ahead] == [[]]  # its start: the log as it was then
    assert [texts(c) for c in behind] == [["#nova now Placement API"]]


def test_the_thread_delivers_until_the_last_feed_closes(store: Store) -> None:
    follower = Follower(store)
    heard = threading.Event()
    changes: list[Change] = []

    def deliver(change: Change) -> None:
        changes.append(change)
        heard.set()

    feed = follower.subscribe(deliver, interval=0.02)
    feed.follow(SLUG, after=newest_id(store, SLUG), version=store.version(SLUG))
    assert follower.running is True
    store.run("#nova now Placement API", WEB)
    assert heard.wait(DEADLINE)
    feed.close()
    feed.close()  # harmless twice

    assert follower.running is False
    store.run("#nova now Cells", WEB)
    time.sleep(0.1)
    assert [texts(c) for c in changes] == [["#nova now Placement API"]]


def test_one_follower_per_store_while_it_has_subscribers(store: Store, other_store: Store) -> None:
    follower = Follower.of(store)
    with closing(follower.subscribe(print, interval=1)) as feed:
        del follower
        assert feed.follower is Follower.of(store)
        assert Follower.of(other_store) is not feed.follower


def test_wake_reads_at_once_instead_of_at_the_next_tick(store: Store) -> None:
    follower = Follower(store, threaded=False)
    changes: list[Change] = []
    with closing(follower.subscribe(changes.append, interval=60)) as feed:
        feed.follow(SLUG, after=newest_id(store, SLUG), version=store.version(SLUG))
        follower.round()
        store.run("#nova now Placement API", WEB)
        follower.round()  # not due for a minute
        assert changes == []
        follower.wake()
        follower.round()

    assert [texts(c) for c in changes] == [["#nova now Placement API"]]


def test_an_event_that_cannot_be_read_is_logged_once_and_the_others_go_on(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    follower = Follower(store, threaded=False)
    changes: list[Change] = []
    with closing(follower.subscribe(changes.append, interval=0.01)) as feed:
        feed.follow("no-such-ptg")
        feed.follow(SLUG, after=newest_id(store, SLUG), version=store.version(SLUG))
        with caplog.at_level(logging.ERROR, logger="ptghub.live.follower"):
            follower.round()
            store.run("#nova now Placement API", WEB)
            time.sleep(0.02)
            follower.round()

    assert [(c.event, texts(c)) for c in changes] == [(SLUG, ["#nova now Placement API"])]
    assert [r.getMessage() for r in caplog.records] == [
        "follower: cannot read event 'no-such-ptg'; retrying"
    ]
    assert follower.seen("no-such-ptg") is None


def test_a_subscriber_that_fails_does_not_stop_the_others(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    def fail(change: Change) -> None:
        raise RuntimeError("broken subscriber")

    follower = Follower(store, threaded=False)
    changes: list[Change] = []
    start, version = newest_id(store, SLUG), store.version(SLUG)
    with (
        closing(follower.subscribe(fail, interval=0.01)) as broken,
        closing(follower.subscribe(changes.append, interval=0.01)) as working,
    ):
        broken.follow(SLUG, after=start, version=version)
        working.follow(SLUG, after=start, version=version)
        store.run("#nova now Placement API", WEB)
        with caplog.at_level(logging.ERROR, logger="ptghub.live.follower"):
            follower.round()

    assert [texts(c) for c in changes] == [["#nova now Placement API"]]
    assert [r.getMessage() for r in caplog.records] == [
        "follower: a subscriber failed on a change of 'test-ptg'"
    ]


def test_unfollowed_events_are_forgotten(store: Store) -> None:
    follower = Follower(store, threaded=False)
    with closing(follower.subscribe(print, interval=0.01)) as feed:
        feed.follow(SLUG)
        follower.round()
        assert follower.seen(SLUG) is not None
        feed.unfollow(SLUG)
        assert (feed.events(), follower.seen(SLUG)) == (frozenset(), None)


def test_interval_must_be_positive(store: Store) -> None:
    with pytest.raises(ValueError) as caught:
        Follower(store, threaded=False).subscribe(print, interval=0)
    assert str(caught.value) == "a subscriber's interval must be positive, not 0"


def test_an_idle_follower_sleeps_instead_of_spinning(store: Store) -> None:
    # A feed that follows nothing has nothing due: the loop must wait for a wake(), not
    # go round again at once (it did, burning a core in every idle server).
    follower = Follower(store)
    with closing(follower.subscribe(lambda change: None, interval=0.05)) as feed:
        time.sleep(1.0)
        idle_rounds = follower.rounds
        feed.follow(SLUG)
        follower.wake()
        deadline = time.monotonic() + DEADLINE
        while follower.seen(SLUG) is None and time.monotonic() < deadline:
            time.sleep(0.01)
        seen = follower.seen(SLUG)
    # A slower machine runs fewer rounds, never more: this cannot fail from load.
    assert idle_rounds <= 2, f"{idle_rounds} rounds in one idle second"
    assert seen is not None  # and a wake() still reads at once
