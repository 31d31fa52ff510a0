"""The bus: every subscriber of a topic gets each message; a slow one keeps only the newest."""

from __future__ import annotations

import asyncio
import json

import pytest

from ptghub.live.bus import Bus, Message


def message(seq: int, *, topic_text: str = "") -> Message:
    return Message.build(id=100 + seq, version=seq, seq=seq, fragments={"board": topic_text})


async def received(bus: Bus, topic: str, count: int) -> list[list[int]]:
    """Subscribe ``count`` times, publish 1..3, and read what each subscriber got."""
    subscriptions = [bus.subscribe(topic) for _ in range(count)]
    for seq in (1, 2, 3):
        bus.publish(topic, message(seq))
    return [[(await s.get()).seq for _ in range(3)] for s in subscriptions]


def test_message_frame_is_one_sse_event_with_compact_json_data() -> None:
    built = Message.build(id=7, version=3, seq=1, fragments={"motd": "<p>a\nb & é</p>"})
    assert (
        built.frame
        == (
            'id: 7\nevent: change\ndata: {"id":7,"version":3,"fragments":'
            '{"motd":"<p>a\\nb & é</p>"}}\n\n'
        ).encode()
    )


def test_message_frame_data_parses_back_to_the_message() -> None:
    built = Message.build(id=7, version=3, seq=1, fragments={"motd": "<p>a\nb</p>"})
    lines = built.frame.decode().split("\n")
    assert lines[:2] == ["id: 7", "event: change"]
    assert json.loads(lines[2].removeprefix("data: ")) == {
        "id": 7,
        "version": 3,
        "fragments": {"motd": "<p>a\nb</p>"},
    }
    assert lines[3:] == ["", ""]


def test_message_without_previous_carries_every_region_in_both_frames() -> None:
    built = Message.build(id=7, version=3, seq=1, fragments={"motd": "m", "checkins": "c"})
    assert built.changed == {"motd": "m", "checkins": "c"}
    assert built.frame == built.full_frame


def test_message_after_previous_carries_only_changed_regions_in_its_frame() -> None:
    first = Message.build(id=7, version=3, seq=1, fragments={"motd": "m", "checkins": "c"})
    second = Message.build(
        id=9, version=4, seq=2, fragments={"motd": "m", "checkins": "d"}, previous=first
    )
    assert second.changed == {"checkins": "d"}
    assert second.frame == (
        b'id: 9\nevent: change\ndata: {"id":9,"version":4,"fragments":{"checkins":"d"}}\n\n'
    )
    assert second.full_frame == (
        b'id: 9\nevent: change\ndata: {"id":9,"version":4,'
        b'"fragments":{"motd":"m","checkins":"d"}}\n\n'
    )


def test_message_frame_after_gives_changes_only_to_a_client_with_the_previous_one() -> None:
    first = Message.build(id=7, version=3, seq=1, fragments={"motd": "m", "checkins": "c"})
    second = Message.build(
        id=9, version=4, seq=2, fragments={"motd": "m", "checkins": "d"}, previous=first
    )
    assert second.frame_after(1) == second.frame
    assert second.frame_after(0) == second.full_frame  # it missed message 1: a gap


def test_publish_fans_out_to_every_subscriber_in_order() -> None:
    bus = Bus()
    assert asyncio.run(received(bus, "test-ptg", 3)) == [[1, 2, 3], [1, 2, 3], [1, 2, 3]]


def test_publish_reaches_only_its_topic() -> None:
    async def scenario() -> tuple[int, int, int]:
        bus = Bus()
        here = bus.subscribe("test-ptg")
        there = bus.subscribe("other-ptg")
        delivered = bus.publish("test-ptg", message(1))
        return delivered, here.pending(), there.pending()

    assert asyncio.run(scenario()) == (1, 1, 0)


def test_publish_to_a_topic_without_subscribers_delivers_to_none() -> None:
    bus = Bus()
    assert bus.publish("test-ptg", message(1)) == 0
    assert bus.topics() == frozenset()


def test_slow_subscriber_keeps_only_the_newest_message_when_its_queue_is_full() -> None:
    async def scenario() -> tuple[list[int], int, list[int]]:
        bus = Bus(queue_limit=3)
        slow = bus.subscribe("test-ptg")
        for seq in range(1, 11):
            bus.publish("test-ptg", message(seq))
        # 1-3 fill the queue; 4 drops them and stays alone; 5-6 join it; 7 drops 4-6...
        got = [(await slow.get()).seq for _ in range(slow.pending())]
        bus.publish("test-ptg", message(11))
        return got, slow.dropped, [(await slow.get()).seq]

    assert asyncio.run(scenario()) == ([10], 9, [11])


def test_slow_subscriber_does_not_hold_back_a_fast_one() -> None:
    async def scenario() -> tuple[list[int], list[int]]:
        bus = Bus(queue_limit=2)
        slow = bus.subscribe("test-ptg")
        fast = bus.subscribe("test-ptg")
        fast_got = []
        for seq in range(1, 6):
            bus.publish("test-ptg", message(seq))
            fast_got.append((await fast.get()).seq)
        return fast_got, [(await slow.get()).seq for _ in range(slow.pending())]

    assert asyncio.run(scenario()) == ([1, 2, 3, 4, 5], [5])


def test_queue_limit_below_one_is_refused() -> None:
    async def scenario() -> None:
        Bus(queue_limit=0).subscribe("test-ptg")

    with pytest.raises(ValueError) as caught:
        asyncio.run(scenario())
    assert str(caught.value) == "a subscription's queue limit must be at least 1, not 0"


def test_unsubscribe_stops_delivery_and_forgets_an_empty_topic() -> None:
    async def scenario() -> tuple[frozenset[str], int, frozenset[str], int]:
        bus = Bus()
        with bus.subscribe("test-ptg") as first:
            second = bus.subscribe("test-ptg")
            topics_with_two = bus.topics()
        delivered = bus.publish("test-ptg", message(1))
        second.close()
        second.close()  # twice is harmless
        assert first.pending() == 0
        return topics_with_two, delivered, bus.topics(), bus.count("test-ptg")

    assert asyncio.run(scenario()) == (frozenset({"test-ptg"}), 1, frozenset(), 0)


def test_subscriber_waiting_in_get_wakes_on_publish() -> None:
    async def scenario() -> int:
        bus = Bus()
        subscription = bus.subscribe("test-ptg")
        waiting = asyncio.create_task(subscription.get())
        await asyncio.sleep(0)
        bus.publish("test-ptg", message(4))
        return (await asyncio.wait_for(waiting, 30)).seq  # generous: only a bound

    assert asyncio.run(scenario()) == 4


def test_heartbeat_goes_only_to_subscribers_with_nothing_waiting() -> None:
    async def scenario() -> tuple[int, Message | None, Message | None, int]:
        bus = Bus()
        busy = bus.subscribe("test-ptg")
        idle = bus.subscribe("other-ptg")
        bus.publish("test-ptg", message(1))
        offered = bus.heartbeat()
        return offered, await idle.get(), await busy.get(), busy.pending()

    offered, idle_got, busy_got, busy_left = asyncio.run(scenario())
    assert (offered, idle_got, busy_left) == (1, None, 0)
    assert busy_got is not None and busy_got.seq == 1


def test_heartbeat_dropped_from_a_full_queue_is_not_counted_as_a_lost_message() -> None:
    async def scenario() -> tuple[list[int], int]:
        bus = Bus(queue_limit=2)
        slow = bus.subscribe("test-ptg")
        bus.heartbeat()
        for seq in (1, 2):
            bus.publish("test-ptg", message(seq))
        got = []
        while slow.pending():
            item = await slow.get()
            got.append(-1 if item is None else item.seq)
        return got, slow.dropped

    # The heartbeat and message 1 fill the queue; message 2 drops both, one of them a message.
    assert asyncio.run(scenario()) == ([2], 1)


def test_on_topic_hears_a_topics_first_subscriber_and_its_last_leaving() -> None:
    async def scenario() -> list[tuple[str, bool]]:
        heard: list[tuple[str, bool]] = []
        bus = Bus()
        bus.on_topic = lambda topic, viewed: heard.append((topic, viewed))
        first = bus.subscribe("nova")
        second = bus.subscribe("nova")
        first.close()
        second.close()
        second.close()
        return heard

    assert asyncio.run(scenario()) == [("nova", True), ("nova", False)]
