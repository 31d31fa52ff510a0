"""On PostgreSQL, committed changes wake the follower through LISTEN/NOTIFY; a slow poll
is the safety net. Real PostgreSQL (PTGHUB_TEST_DATABASE_URL), real sessions: the
changes come from a second Store, as from another process."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing

import psycopg
import pytest
from sqlalchemy import event, text

from ptghub.core.errors import Refused
from ptghub.core.events import DomainEvent, RoomAdded
from ptghub.core.model import Actor, EventState, Room
from ptghub.live.follower import Change, Feed, Follower, newest_id
from ptghub.live.listener import conninfo
from ptghub.store.audit_log import CHANNEL
from ptghub.store.store import Store
from ptghub.store.versions import versions
from tests.support import NOVA_CHAIR, small_event

pytestmark = pytest.mark.postgres

SLUG = "test-ptg"
LOADER = Actor("loader", operator=True)
DEADLINE = 30.0  # seconds: generous, yet half the safety poll below
SAFETY_POLL = 60.0  # seconds: no change in these tests may arrive by the safety poll


@pytest.fixture
def store(postgres_url: str) -> Iterator[Store]:
    store = Store.open(postgres_url)
    store.create_event(small_event(), LOADER, "test setup")
    yield store
    store.close()


@pytest.fixture
def other_store(store: Store, postgres_url: str) -> Iterator[Store]:
    """A second Store on the same database: what another process sees and writes."""
    other = Store.open(postgres_url)
    yield other
    other.close()


def wait_for(what: Callable[[], object], message: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not what():
        assert time.monotonic() < deadline, message
        time.sleep(0.01)


def next_read_in(follower: Follower, slug: str) -> float:
    """Seconds until the follower reads ``slug`` again unless something wakes it."""
    with follower._lock:
        return follower._events[slug].next_read - time.monotonic()


def follow_idle(follower: Follower, store: Store, changes: list[Change]) -> Feed:
    """Follow the event from now on and wait until only a wake could read it again."""
    feed = follower.subscribe(changes.append, interval=0.02)
    feed.follow(SLUG, after=newest_id(store, SLUG), version=store.version(SLUG))
    listener = follower.listener
    assert listener is not None
    assert listener.wait_listening(DEADLINE), "the listener never listened"
    wait_for(lambda: next_read_in(follower, SLUG) > DEADLINE, "the follower kept polling")
    return feed


def delivered(changes: list[Change], audit_id: int | None) -> Callable[[], bool]:
    return lambda: any(c.newest == audit_id for c in changes)


def test_a_change_through_another_store_wakes_the_follower_long_before_its_safety_poll(
    store: Store, other_store: Store
) -> None:
    follower = Follower(store, safety_poll=SAFETY_POLL)
    changes: list[Change] = []
    with closing(follow_idle(follower, store, changes)):
        result = other_store.run("#nova now Placement API", NOVA_CHAIR, event=SLUG)
        assert result is not None
        wait_for(delivered(changes, result.audit_id), "the change never arrived")

    assert [e.text for c in changes for e in c.entries] == ["#nova now Placement API"]


def test_a_rolled_back_change_sends_no_notification_and_a_committed_one_does(
    store: Store, postgres_url: str
) -> None:
    def refuse_after_writing(conn: object, event_id: int, audit_id: int) -> None:
        raise Refused("changed my mind")  # after the audit row and its notification

    def a_room(state: EventState, actor: Actor) -> list[DomainEvent]:
        return [RoomAdded(Room("Never built"))]

    with psycopg.connect(conninfo(store.engine.url), autocommit=True) as listening:
        schema = listening.execute("SELECT current_schema()").fetchone()
        listening.execute(f"LISTEN {CHANNEL}")
        with pytest.raises(Refused):
            store.change(a_room, LOADER, "rolled back", event=SLUG, then=refuse_after_writing)
        result = store.run("#nova now Placement API", NOVA_CHAIR, event=SLUG)
        # Sent last: whatever the two transactions sent arrives before it.
        end = f"end of test {uuid.uuid4()}"
        listening.execute("SELECT pg_notify(%s, %s)", (CHANNEL, end))
        ours = f"{schema[0] if schema else ''}/{SLUG}"
        got: list[str] = []
        for notice in listening.notifies(timeout=DEADLINE):
            if notice.payload == end:
                break
            if notice.payload == ours:
                got.append(notice.payload)

    assert result is not None and got == [ours]  # the committed change's alone
    assert "rolled back" not in [e.text for e in store.audit(SLUG)]


def test_the_listener_reconnects_after_its_session_is_terminated_and_wakes_again(
    store: Store, other_store: Store
) -> None:
    follower = Follower(store, safety_poll=SAFETY_POLL)
    changes: list[Change] = []
    with closing(follow_idle(follower, store, changes)):
        listener = follower.listener
        assert listener is not None and listener.connections == 1
        with other_store.engine.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": listener.backend_pid})

        wait_for(lambda: listener.connections == 2 and listener.listening, "it never came back")
        wait_for(lambda: next_read_in(follower, SLUG) > DEADLINE, "the follower kept polling")
        result = other_store.run("#nova now Placement API", NOVA_CHAIR, event=SLUG)
        assert result is not None
        wait_for(delivered(changes, result.audit_id), "the change never arrived")

    assert follower.listener is None  # it stops with the follower's thread
    listener.join(DEADLINE)
    assert not listener.listening


def test_the_safety_poll_delivers_a_change_that_no_notification_announced(
    store: Store, other_store: Store
) -> None:
    follower = Follower(store, safety_poll=0.5)
    changes: list[Change] = []
    with closing(follower.subscribe(changes.append, interval=0.02)) as feed:
        feed.follow(SLUG, after=newest_id(store, SLUG), version=store.version(SLUG))
        assert follower.listener is not None and follower.listener.wait_listening(DEADLINE)
        with other_store.engine.begin() as conn:  # a writer that sends no NOTIFY
            conn.execute(
                text("UPDATE events SET version = version + 1 WHERE slug = :s"), {"s": SLUG}
            )
        version = store.version(SLUG)
        wait_for(lambda: any(c.version == version for c in changes), "the poll never read it")


def test_without_listening_the_follower_polls_at_its_subscribers_pace(
    store: Store, other_store: Store
) -> None:
    follower = Follower(store, listen=False, safety_poll=SAFETY_POLL)
    changes: list[Change] = []
    with closing(follower.subscribe(changes.append, interval=0.02)) as feed:
        feed.follow(SLUG, after=newest_id(store, SLUG), version=store.version(SLUG))
        result = other_store.run("#nova now Placement API", NOVA_CHAIR, event=SLUG)
        assert result is not None
        wait_for(delivered(changes, result.audit_id), "the change never arrived")
        assert follower.listener is None and next_read_in(follower, SLUG) <= 0.02


def test_the_versions_of_several_events_come_from_one_query(store: Store) -> None:
    queries: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *a: queries.append(a[2]))
    found = versions(store.engine, [SLUG, None, "no-such-event"])
    sent = len(queries)

    assert found == {SLUG: store.version(SLUG), None: store.version(None)}
    assert sent == 1
