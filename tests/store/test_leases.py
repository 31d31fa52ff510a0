"""Leases: one holder at a time, renewed by it, taken over once expired, given up on stop."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from ptghub.store.leases import Leases, new_holder
from ptghub.store.store import Store
from tests.support import Clock

A, B = "host-a:101:aaaaaa", "host-b:202:bbbbbb"


def test_a_free_lease_is_acquired_and_a_second_holder_is_refused_while_it_is_valid(
    empty_store: Store, clock: Clock
) -> None:
    leases = Leases(empty_store.engine, clock)
    first = leases.acquire("mail", A, ttl=20)
    assert (first.held, first.holder, first.expires_at) == (
        True,
        A,
        clock.now + timedelta(seconds=20),
    )
    clock.advance(seconds=19)
    refused = leases.acquire("mail", B, ttl=20)
    assert (refused.held, refused.holder) == (False, A)
    assert leases.holders() == {"mail": (A, first.expires_at)}


def test_the_holder_renews_its_lease_and_keeps_it_past_the_first_expiry(
    empty_store: Store, clock: Clock
) -> None:
    leases = Leases(empty_store.engine, clock)
    leases.acquire("mail", A, ttl=20)
    clock.advance(seconds=15)
    renewed = leases.acquire("mail", A, ttl=20)
    assert (renewed.held, renewed.expires_at) == (True, clock.now + timedelta(seconds=20))
    clock.advance(seconds=15)  # past the first expiry, before the renewed one
    assert leases.acquire("mail", B, ttl=20).held is False


def test_an_expired_lease_is_taken_over_and_its_old_holder_cannot_renew_it(
    empty_store: Store, clock: Clock
) -> None:
    leases = Leases(empty_store.engine, clock)
    leases.acquire("mail", A, ttl=20)
    clock.advance(seconds=20)  # expired: the holder died without a word
    taken = leases.acquire("mail", B, ttl=20)
    assert (taken.held, taken.holder) == (True, B)
    stale = leases.acquire("mail", A, ttl=20)  # the old holder wakes up
    assert (stale.held, stale.holder) == (False, B)


def test_a_released_lease_is_free_at_once_and_only_its_holder_can_release_it(
    empty_store: Store, clock: Clock
) -> None:
    leases = Leases(empty_store.engine, clock)
    leases.acquire("mail", A, ttl=20)
    assert leases.release("mail", B) is False
    assert leases.acquire("mail", B, ttl=20).held is False
    assert leases.release("mail", A) is True
    assert leases.holders() == {}
    assert leases.acquire("mail", B, ttl=20).held is True


def test_leases_of_different_names_are_independent(empty_store: Store, clock: Clock) -> None:
    leases = Leases(empty_store.engine, clock)
    assert leases.acquire("mail", A, ttl=20).held
    assert leases.acquire("irc:irc.oftc.net/#openstack-ptg", B, ttl=20).held
    assert set(leases.holders()) == {"mail", "irc:irc.oftc.net/#openstack-ptg"}


def test_without_an_injected_clock_expiry_follows_real_time_not_the_store_clock(
    empty_store: Store,
) -> None:
    # The store runs on a clock of 2022 (a simulated one, as a demo's): leases ignore it.
    leases = Leases(empty_store.engine)
    before = datetime.now(UTC)
    state = leases.acquire("mail", A, ttl=20)
    after = datetime.now(UTC)
    # On PostgreSQL the database's clock: the same machine here, so within a second.
    slack = timedelta(seconds=1)
    assert before + timedelta(seconds=20) - slack <= state.expires_at
    assert state.expires_at <= after + timedelta(seconds=20) + slack
    assert leases.acquire("mail", B, ttl=20).held is False


def test_of_many_processes_racing_for_a_free_lease_exactly_one_gets_it(
    database_url: str,
) -> None:
    # A store (an engine with its own connections) per contender, as separate processes.
    Store.open(database_url).close()
    stores = [Store.open(database_url) for _ in range(6)]
    holders = [new_holder() for _ in stores]
    results: list[bool] = []
    start = threading.Barrier(len(stores))

    def contend(store: Store, holder: str) -> None:
        start.wait()
        results.append(Leases(store.engine).acquire("mail", holder, ttl=20).held)

    threads = [
        threading.Thread(target=contend, args=pair) for pair in zip(stores, holders, strict=True)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        for store in stores:
            store.close()
    assert sorted(results) == [False] * 5 + [True]


def test_a_holder_names_its_host_and_process_and_differs_each_time() -> None:
    import os
    import socket

    one, other = new_holder(), new_holder()
    assert one.startswith(f"{socket.gethostname()}:{os.getpid()}:")
    assert one != other
