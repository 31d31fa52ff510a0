"""Subscription notices: owed for committed topic changes, matched by compiled sets."""

from __future__ import annotations

from typing import Any

import pytest

from ptghub.commands import notices
from ptghub.commands.notices import BUCKETS, subscriber_notices
from ptghub.commands.registry import Notice
from ptghub.core.apply import apply_all
from ptghub.core.events import SubscriptionChanged, TopicsChanged
from ptghub.core.model import Actor, EventState, Subscription, Topics
from ptghub.store import tables as t
from ptghub.store.store import Store
from tests.commands.helpers import Chat
from tests.support import ALICE, NOVA_CHAIR, small_event


def subscribed(n: int) -> EventState:
    """The small event with ``n`` subscribers: every 7th wants nova's API, the rest not."""
    events = [
        SubscriptionChanged(
            f"p{i}", None, Subscription(f"P{i}", "nova.*api" if i % 7 == 0 else f"cinder {i}$")
        )
        for i in range(n)
    ]
    return apply_all(EventState(), [*small_event(), *events])


def now(state: EventState, topic: str) -> TopicsChanged:
    return TopicsChanged("nova", state.topics_of("nova"), Topics(now=topic))


def test_notices_come_in_subscription_order_across_every_bucket() -> None:
    state = subscribed(700)
    found = subscriber_notices(state, [now(state, "Placement API")])
    assert found == tuple(Notice(f"P{i}", "#nova now Placement API") for i in range(0, 700, 7))


def test_notices_skip_the_given_nick_keys() -> None:
    state = subscribed(15)
    assert subscriber_notices(state, [now(state, "API")], skip={"p0", "p14"}) == (
        Notice("P7", "#nova now API"),
    )


def test_notices_for_a_change_without_topics_or_subscribers_are_none() -> None:
    state = subscribed(0)
    assert subscriber_notices(state, [now(state, "API")]) == ()
    state = subscribed(8)
    assert subscriber_notices(state, [SubscriptionChanged("x", None, None)]) == ()


def test_notices_compile_a_state_once_and_recompile_one_bucket_per_subscribe() -> None:
    state = subscribed(2000)
    index = notices._index(state)
    sets = [compiled for _, compiled in index.buckets]
    assert len(sets) == BUCKETS
    assert notices._index(apply_all(state, [])) is index  # a copy: same subscriptions
    new = apply_all(state, [SubscriptionChanged("p3", state.subscriptions["p3"], None)])
    kept = [compiled for _, compiled in notices._index(new).buckets]
    assert sum(compiled not in sets for compiled in kept) == 1
    assert subscriber_notices(new, [now(new, "API")])[:2] == (
        Notice("P0", "#nova now API"),
        Notice("P7", "#nova now API"),
    )


def test_chat_now_notifies_subscribers_of_the_state_after_it(chat: Chat) -> None:
    chat.say("subscribe nova", ALICE)
    assert chat.say("#nova now Quotas", NOVA_CHAIR).notices == (
        Notice("alice", "#nova now Quotas"),
    )


def test_store_matches_subscribers_after_the_commit_outside_the_write_lock(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The matcher sees the change already committed (another connection reads its
    audit row) and no writer waiting on the store's lock."""
    store.run("subscribe nova", ALICE)
    seen: list[tuple[bool, int]] = []
    real = notices.subscriber_notices

    def watching(state: EventState, events: Any, **kwargs: Any) -> Any:
        with store.engine.connect() as conn:
            rows = conn.execute(t.audit.select().where(t.audit.c.text == "#nova now Quotas"))
            seen.append((store._write_lock.locked(), len(rows.all())))
        return real(state, events, **kwargs)

    monkeypatch.setattr("ptghub.store.store.subscriber_notices", watching)
    result = store.run("#nova now Quotas", NOVA_CHAIR)
    assert result is not None
    assert (seen, result.notices) == ([(False, 1)], (Notice("alice", "#nova now Quotas"),))


def test_store_notices_skip_the_author_under_another_of_their_nicks(store: Store) -> None:
    store.people.add("Nova Chair", ["nchair", "nchair_away"])
    store.run("subscribe nova", Actor("nchair_away", frontend="test"))
    store.run("subscribe nova", ALICE)
    result = store.run("#nova now Quotas", NOVA_CHAIR)
    assert result is not None and result.notices == (Notice("alice", "#nova now Quotas"),)
