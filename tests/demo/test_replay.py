"""The demo's replay: plausible activity through the ordinary, audited command path,
cycling through one script so that the event does not grow, in a thread that runs while
the server does."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from ptghub import demo
from ptghub.core.model import CellStatus, EventState
from ptghub.demo.replay import MOTD, STEPS, Replay, Script, book_next_slot, delete_motd
from ptghub.store.store import Store
from ptghub.web.app import create_app
from tests.support import Clock, load_demo
from tests.web.serving import serving

TUESDAY = datetime(2022, 4, 5, 15, 10, tzinfo=UTC)  # where the demo's clock starts
END = datetime(2022, 4, 8, 21, 0, tzinfo=UTC)  # the end of its last slot, Fri-20h


@pytest.fixture
def demo_store(database_url: str) -> Iterator[Store]:
    """The demo as ``ptghub demo`` loads it, on Tuesday afternoon."""
    store = Store.open(database_url, clock=Clock(TUESDAY))
    load_demo(store)
    yield store
    store.close()


def _round(replay: Replay) -> None:
    for _ in STEPS:
        replay.step()


def _live_part(state: EventState) -> object:
    """What the replay touches: topics, messages, bookings, check-ins."""
    booked = {key: cell for key, cell in state.cells.items() if cell.status is CellStatus.BOOKED}
    present = {nick: p.location for nick, p in state.presence.items() if p.checked_out is None}
    return state.topics, state.motd, booked, present


def test_a_round_moves_topics_books_a_room_checks_people_in_and_posts_a_message(
    demo_store: Store,
) -> None:
    replay = Replay(demo_store, demo.SLUG)
    before = len(demo_store.audit(demo.SLUG))
    _round(replay)
    texts = [entry.text for entry in demo_store.audit(demo.SLUG)[before:]]
    assert texts[:2] == ["#nova now Placement consumer types", "in #nova"]
    assert f"~motd add success {MOTD}" in texts
    # Every room is planned at 16:00 on Tuesday; at 17:00 tc has no room, Bexar is free.
    booking = next(text for text in texts if " book " in text)
    assert booking == "#tc book Bexar-Tue-17h"
    assert booking.replace(" book ", " unbook ") in texts
    assert "~motd del 3" in texts
    assert texts[-1] == "out"


def test_every_step_is_an_audited_change_made_as_the_demo(demo_store: Store) -> None:
    before = len(demo_store.audit(demo.SLUG))
    _round(Replay(demo_store, demo.SLUG))
    entries = demo_store.audit(demo.SLUG)[before:]
    assert entries and {entry.frontend for entry in entries} == {"demo"}
    assert {entry.actor for entry in entries} >= {"nova-chair", "ptg-organizer", "demo-operator"}
    assert all(entry.events for entry in entries)
    assert demo_store.replay(demo.SLUG) == demo_store.state(demo.SLUG)  # the log is complete


def test_rounds_do_not_grow_the_event(demo_store: Store) -> None:
    replay = Replay(demo_store, demo.SLUG)
    start = _live_part(demo_store.state(demo.SLUG))
    _round(replay)
    one = _live_part(demo_store.state(demo.SLUG))
    for _ in range(3):
        _round(replay)
    assert _live_part(demo_store.state(demo.SLUG)) == one
    topics, motd, booked, _ = one
    assert (topics, motd, booked) == start[:3]  # the sample commands' topics are back


def test_a_step_that_the_state_no_longer_allows_is_skipped(demo_store: Store) -> None:
    script = Script()
    state = demo_store.state(demo.SLUG)
    script.position = STEPS.index(delete_motd)  # no message of ours to delete yet
    assert script.next_line(state, TUESDAY) is None
    assert script.next_line(state, TUESDAY) is None  # unbook: nothing booked


def test_no_booking_after_the_last_slot_of_the_day(demo_store: Store) -> None:
    script = Script()
    script.position = STEPS.index(book_next_slot)
    assert script.next_line(demo_store.state(demo.SLUG), TUESDAY.replace(hour=21)) is None


def test_the_replay_does_nothing_from_the_events_end_on(demo_store: Store) -> None:
    script, state = Script(), demo_store.state(demo.SLUG)
    assert script.next_line(state, END) is None
    assert script.next_line(state, END + timedelta(days=600)) is None
    assert script.position == 0  # it stays put
    assert script.next_line(state, END - timedelta(minutes=1)) == (
        "nova-chair",
        "#nova now Placement consumer types",
    )
    clock = demo_store.clock
    assert isinstance(clock, Clock)
    clock.now = END
    before = len(demo_store.audit(demo.SLUG))
    replay = Replay(demo_store, demo.SLUG)
    assert [replay.step() for _ in STEPS] == [None] * len(STEPS)
    assert len(demo_store.audit(demo.SLUG)) == before


def _wait_for_changes(store: Store, count: int, deadline: float = 30.0) -> int:
    end = time.monotonic() + deadline
    while (changes := len(store.audit(demo.SLUG))) < count:
        assert time.monotonic() < end, f"{changes} changes, not {count}, within {deadline} s"
        time.sleep(0.02)
    return changes


def test_the_replay_runs_in_a_thread_until_stopped(demo_store: Store) -> None:
    before = len(demo_store.audit(demo.SLUG))
    replay = Replay(demo_store, demo.SLUG, every=0.01)
    replay.start()
    try:
        _wait_for_changes(demo_store, before + 3)
    finally:
        replay.stop()
    assert not replay.running
    stopped = len(demo_store.audit(demo.SLUG))
    time.sleep(0.2)  # twenty steps' time: none comes
    assert len(demo_store.audit(demo.SLUG)) == stopped


def test_the_replay_starts_and_stops_with_the_server(demo_store: Store) -> None:
    replay = Replay(demo_store, demo.SLUG, every=0.01)
    before = len(demo_store.audit(demo.SLUG))
    assert not replay.running
    with serving(create_app(demo_store, companions=[replay])) as server:
        assert replay.running
        _wait_for_changes(demo_store, before + 3)
        board = httpx.get(f"{server.url}/api/v1/events/{demo.SLUG}/board", timeout=10).json()
        assert board["current_slot"] == "Tue-15h"
    assert not replay.running


def test_the_replay_needs_a_positive_pace(demo_store: Store) -> None:
    with pytest.raises(ValueError, match="positive"):
        Replay(demo_store, demo.SLUG, every=0)
