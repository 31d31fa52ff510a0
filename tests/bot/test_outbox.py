"""The outgoing queue: never blocks, keeps order, sends at the flood-control rate."""

from __future__ import annotations

from typing import Any

import pytest

from ptghub.bot.memory import MemoryTransport
from ptghub.bot.outbox import Outbox


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class BrokenTransport:
    def __init__(self) -> None:
        self.tried: list[str] = []

    def send(self, target: str, text: str) -> None:
        self.tried.append(text)
        raise ConnectionError("the network went away")


def messages(count: int) -> list[tuple[str, str]]:
    return [("alice", f"notice {n}") for n in range(count)]


def test_outbox_put_only_queues() -> None:
    transport = MemoryTransport()
    outbox = Outbox(transport, clock=Clock())

    assert outbox.put("alice", "#nova now Placement API") is True
    assert transport.sent == []
    assert len(outbox) == 1


def test_outbox_sends_burst_then_one_per_interval() -> None:
    transport = MemoryTransport()
    clock = Clock()
    outbox = Outbox(transport, burst=2, interval=2.0, clock=clock)
    for target, text in messages(5):
        outbox.put(target, text)

    assert outbox.flush() == 2
    assert outbox.wait() == 2.0
    clock.now += 1.0
    assert outbox.flush() == 0
    assert outbox.wait() == 1.0
    clock.now += 1.0
    assert outbox.flush() == 1
    clock.now += 60.0  # a long pause refills the bucket only up to the burst
    assert outbox.flush() == 2
    assert transport.sent == messages(5)
    assert len(outbox) == 0
    assert outbox.wait() == 0.0


def test_outbox_full_refuses_new_messages_and_counts_them() -> None:
    transport = MemoryTransport()
    outbox = Outbox(transport, capacity=2, clock=Clock())

    assert [outbox.put(t, m) for t, m in messages(3)] == [True, True, False]
    assert outbox.dropped == 1
    assert outbox.flush() == 2
    assert transport.sent == messages(2)


def test_outbox_transport_failure_is_counted_and_does_not_stop_draining() -> None:
    transport = BrokenTransport()
    outbox = Outbox(transport, burst=3, clock=Clock())
    for target, text in messages(2):
        outbox.put(target, text)

    assert outbox.flush() == 2
    assert outbox.failed == 2
    assert transport.tried == ["notice 0", "notice 1"]


def test_outbox_sender_thread_drains_in_order_on_stop() -> None:
    transport = MemoryTransport()
    outbox = Outbox(transport, burst=1, interval=0.001)
    outbox.start()
    for target, text in messages(5):
        outbox.put(target, text)
    outbox.stop(timeout=5.0)

    assert transport.sent == messages(5)
    assert len(outbox) == 0


def test_outbox_stop_without_drain_discards_queue() -> None:
    transport = MemoryTransport()
    outbox = Outbox(transport, burst=1, interval=3600.0, clock=Clock())  # the clock stands still
    outbox.put("alice", "first")
    assert outbox.flush() == 1  # the bucket is now empty for good
    outbox.start()
    for target, text in messages(3):
        outbox.put(target, text)
    outbox.stop(drain=False, timeout=5.0)

    assert transport.sent == [("alice", "first")]
    assert len(outbox) == 0


def test_outbox_start_twice_is_refused() -> None:
    outbox = Outbox(MemoryTransport())
    outbox.start()
    with pytest.raises(RuntimeError) as raised:
        outbox.start()
    outbox.stop(timeout=5.0)

    assert str(raised.value) == "the outbox sender is already running"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"burst": 0}, "burst must be at least 1, not 0"),
        ({"interval": -1.0}, "interval must be 0 or more seconds, not -1.0"),
        ({"capacity": 0}, "capacity must be at least 1, not 0"),
    ],
)
def test_outbox_bad_settings_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        Outbox(MemoryTransport(), **options)

    assert str(raised.value) == message
