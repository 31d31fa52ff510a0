"""The fair send queue on a stepped clock: pacing, round robin, shares and 'slow down'."""

from __future__ import annotations

import pytest

from ptghub.bot.fairqueue import FairQueue


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Wire:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, line: str) -> None:
        self.lines.append(line)


def queue(
    wire: Wire, clock: Clock, *, burst: int = 2, interval: float = 0.5, per_key: int = 5
) -> FairQueue:
    return FairQueue(
        wire,
        lambda key: f"{key}: slow down",
        burst=burst,
        interval=interval,
        per_key=per_key,
        clock=clock,
    )


def test_fairqueue_sends_a_burst_then_one_line_per_interval() -> None:
    wire, clock = Wire(), Clock()
    fair = queue(wire, clock, burst=2, interval=0.5)
    for number in range(5):
        fair.put("alice", f"a{number}")

    assert fair.flush() == 2
    assert fair.wait() == 0.5
    clock.now = 0.25
    assert fair.flush() == 0
    assert fair.wait() == 0.25
    clock.now = 0.5
    assert fair.flush() == 1
    clock.now = 10.0  # a long pause refills the bucket to the burst, no further
    assert fair.flush() == 2
    assert wire.lines == ["a0", "a1", "a2", "a3", "a4"]
    assert fair.wait() == 0.0  # nothing waits


def test_fairqueue_serves_a_new_key_first_then_takes_one_line_per_key_in_turn() -> None:
    wire, clock = Wire(), Clock()
    fair = queue(wire, clock, burst=1, interval=1.0, per_key=10)
    for number in range(8):
        fair.put("flooder", f"f{number}")
    assert fair.flush() == 1  # f0 goes; seven wait
    fair.put("bob", "b0")
    fair.put("carol", "c0")
    fair.put("bob", "b1")

    for second in range(1, 11):
        clock.now = float(second)
        fair.flush()

    # bob and carol had nothing waiting: each goes with the next line, then takes turns.
    assert wire.lines == ["f0", "b0", "c0", "f1", "b1", "f2", "f3", "f4", "f5", "f6", "f7"]


def test_fairqueue_drops_past_a_keys_share_and_says_slow_down_once() -> None:
    wire, clock = Wire(), Clock()
    fair = queue(wire, clock, burst=1, interval=1.0, per_key=3)

    accepted = [fair.put("flooder", f"f{number}") for number in range(6)]
    bob = fair.put("bob", "b0")

    assert accepted == [True, True, True, False, False, False]
    assert bob is True
    assert fair.dropped == 3
    assert fair.pending("flooder") == 4  # its three lines and one 'slow down'
    for second in range(6):
        clock.now = float(second)
        fair.flush()
    assert wire.lines == ["f0", "b0", "f1", "f2", "flooder: slow down"]


def test_fairqueue_says_slow_down_again_only_after_the_queue_emptied() -> None:
    wire, clock = Wire(), Clock()
    fair = queue(wire, clock, burst=10, interval=1.0, per_key=1)
    fair.put("flooder", "f0")
    fair.put("flooder", "f1")
    fair.put("flooder", "f2")
    fair.flush()
    fair.put("flooder", "f3")
    fair.put("flooder", "f4")

    assert wire.lines == ["f0", "flooder: slow down"]
    assert fair.pending("flooder") == 2  # f3 and a second 'slow down'


def test_fairqueue_uncapped_key_is_not_cut_at_the_share() -> None:
    wire, clock = Wire(), Clock()
    fair = queue(wire, clock, burst=100, interval=1.0, per_key=2)

    accepted = [fair.put("notices", f"n{number}", capped=False) for number in range(5)]

    assert accepted == [True] * 5
    assert fair.flush() == 5


def test_fairqueue_capacity_bounds_all_keys_together() -> None:
    wire, clock = Wire(), Clock()
    fair = FairQueue(wire, lambda key: "slow", per_key=2, capacity=3, clock=clock)
    results = [fair.put(key, "x") for key in ("a", "b", "c", "d")]

    assert results == [True, True, True, False]
    assert len(fair) == 3
    assert fair.dropped == 1


def test_fairqueue_takes_nothing_while_the_link_is_not_ready() -> None:
    wire, clock = Wire(), Clock()
    up = False
    fair = FairQueue(wire, lambda key: "slow", burst=2, ready=lambda: up, clock=clock)
    fair.put("alice", "a0")
    fair.put("alice", "a1")
    fair.put("alice", "a2")

    assert fair.flush() == 0
    clock.now = 60.0  # a long outage does not save up more than the burst
    up = True
    assert fair.flush() == 2
    assert wire.lines == ["a0", "a1"]


@pytest.mark.parametrize(
    ("burst", "interval", "per_key", "capacity", "message"),
    [
        (0, 1.0, 1, 10, "burst must be at least 1, not 0"),
        (1, 0.0, 1, 10, "interval must be more than 0 seconds, not 0.0"),
        (1, 1.0, 0, 10, "need 1 <= per_key (0) <= capacity (10)"),
        (1, 1.0, 20, 10, "need 1 <= per_key (20) <= capacity (10)"),
    ],
)
def test_fairqueue_refuses_bad_limits(
    burst: int, interval: float, per_key: int, capacity: int, message: str
) -> None:
    with pytest.raises(ValueError) as refused:
        FairQueue(
            Wire(),
            lambda key: "slow",
            burst=burst,
            interval=interval,
            per_key=per_key,
            capacity=capacity,
        )

    assert str(refused.value) == message
