"""An event's history read from a real store's audit log (SQLite and PostgreSQL).

The ``store`` fixture holds the small test event (tests/support.py, in UTC: slots A1
13-14, A2 14-15, P1 15-16, P2 16-17 on Monday 4 and Tuesday 5 April 2022; nova planned in
Austin on Monday A1 and A2), created at the clock's Monday 13:30: its definition counts
from before the event all the same.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from ptghub.core.errors import NotFound
from ptghub.core.model import Actor, CellStatus
from ptghub.history.timeline import (
    Booking,
    CheckIn,
    Session,
    Timeline,
    TopicSpan,
    build_timeline,
)
from ptghub.planner.diff import diff
from ptghub.planner.instance import Placement
from ptghub.planner.report import Report
from ptghub.store.history import event_history
from ptghub.store.plan_versions import Plans
from ptghub.store.store import Store
from tests.support import ALICE, NOVA_CHAIR, ORGANIZER, Clock, snapshot

BOB = Actor("bob", frontend="test")
BOOKED = CellStatus.BOOKED
END = datetime(2022, 4, 5, 17, 0, tzinfo=UTC)  # the end of the last slot
NOVA = Session(
    "nova",
    "austin",
    ("mona1", "mona2"),
    datetime(2022, 4, 4, 13, 0, tzinfo=UTC),
    datetime(2022, 4, 4, 15, 0, tzinfo=UTC),
    CellStatus.PLANNED,
)


def mon(hour: int, minute: int = 0) -> datetime:
    return datetime(2022, 4, 4, hour, minute, tzinfo=UTC)


def run(store: Store, clock: Clock, at: datetime, text: str, actor: Actor = ORGANIZER) -> int:
    """Run ``text`` at ``at``; its change's audit id."""
    clock.now = at
    result = store.run(text, actor)
    assert result is not None and result.audit_id is not None, text
    return result.audit_id


def same(timeline: Timeline, other: Timeline) -> bool:
    """Whether two timelines hold the same history and state."""
    fields = ("until", "sessions", "topics", "checkins", "bookings", "given_up", "queued")
    return all(getattr(timeline, f) == getattr(other, f) for f in fields) and snapshot(
        timeline.state
    ) == snapshot(other.state)


def test_event_history_of_a_known_sequence_of_commands(store: Store, clock: Clock) -> None:
    run(store, clock, mon(13, 35), "#nova now Unified limits", NOVA_CHAIR)
    run(store, clock, mon(13, 36), "#nova next Placement consumer types", NOVA_CHAIR)
    run(store, clock, mon(13, 37), "#nova next Cross-project with cinder", NOVA_CHAIR)
    run(store, clock, mon(13, 40), "in #nova", ALICE)
    run(store, clock, mon(14, 10), "#nova now Placement consumer types", NOVA_CHAIR)
    run(store, clock, mon(14, 50), "#nova book Austin-Mon-P1", NOVA_CHAIR)
    run(store, clock, mon(15, 20), "#cinder book Coiste Bainisti-Mon-P1", BOB)
    run(store, clock, mon(15, 30), "in #cinder", ALICE)
    run(store, clock, mon(15, 40), "#nova clean", NOVA_CHAIR)
    run(store, clock, mon(16, 5), "out", ALICE)

    timeline = event_history(store)

    assert timeline.until == END
    assert timeline.sessions == [
        Session(
            "nova",
            "austin",
            ("mona1", "mona2", "monp1"),
            mon(13),
            mon(16),
            CellStatus.BOOKED,
            mon(14, 50),
        ),
        Session("cinder", "coiste bainisti", ("monp1",), mon(15), mon(16), BOOKED, mon(15, 20)),
    ]
    assert timeline.topics == [
        TopicSpan("nova", 1, "Unified limits", mon(13, 35), mon(14, 10)),
        TopicSpan("nova", 2, "Placement consumer types", mon(14, 10), mon(15, 40)),
    ]
    assert timeline.checkins == [
        CheckIn("alice", "#nova", mon(13, 40), mon(15, 30)),
        CheckIn("alice", "#cinder", mon(15, 30), mon(16, 5)),
    ]
    assert timeline.bookings == [
        Booking(mon(14, 50), "nova", "austin", "monp1", "nchair"),
        Booking(mon(15, 20), "cinder", "coiste bainisti", "monp1", "bob"),
    ]
    assert timeline.given_up == []
    assert timeline.queued == {"nova": ("Cross-project with cinder",)}
    assert snapshot(timeline.state) == snapshot(store.state())


def test_event_history_changes_after_the_end_change_nothing(store: Store, clock: Clock) -> None:
    run(store, clock, mon(13, 35), "#nova now Unified limits", NOVA_CHAIR)
    run(store, clock, mon(14, 50), "#cinder book Austin-Mon-P1", BOB)
    before = event_history(store)
    state = snapshot(store.state())

    after_end = datetime(2022, 4, 6, 9, 0, tzinfo=UTC)
    run(store, clock, after_end, "#nova now Recap", NOVA_CHAIR)
    run(store, clock, after_end, "#cinder unbook Austin-Mon-P1", BOB)
    run(store, clock, after_end, "~emptydb")
    after = event_history(store)

    assert after is not before  # the version moved: read again
    assert same(after, before)
    assert snapshot(after.state) == state
    assert after.sessions == [
        NOVA,
        Session("cinder", "austin", ("monp1",), mon(15), mon(16), CellStatus.BOOKED, mon(14, 50)),
    ]


def test_event_history_undo_of_a_booking_frees_it(store: Store, clock: Clock) -> None:
    booked = run(store, clock, mon(14), "#cinder book Austin-Mon-P1", BOB)
    clock.now = mon(14, 10)
    store.undo(booked, ORGANIZER)

    timeline = event_history(store)

    assert timeline.bookings == [Booking(mon(14), "cinder", "austin", "monp1", "bob", mon(14, 10))]
    assert timeline.sessions == [NOVA]  # freed before its slot began


def test_event_history_until_a_moment_shows_what_is_upcoming(store: Store, clock: Clock) -> None:
    run(store, clock, mon(14, 20), "#cinder book Austin-Mon-P1", BOB)
    run(store, clock, mon(14, 40), "#cinder unbook Austin-Mon-P1", BOB)
    timeline = event_history(store, until=mon(14, 30))
    assert timeline.sessions == [
        NOVA,
        Session(
            "cinder",
            "austin",
            ("monp1",),
            mon(15),
            mon(16),
            CellStatus.BOOKED,
            mon(14, 20),
            upcoming=True,
        ),
    ]


def test_event_history_kept_until_the_version_moves(store: Store, clock: Clock) -> None:
    run(store, clock, mon(13, 35), "#nova now Unified limits", NOVA_CHAIR)
    first = event_history(store)
    first_state = snapshot(first.state)
    assert event_history(store) is first
    assert event_history(store, store.state().info.slug) is first  # type: ignore[union-attr]

    run(store, clock, mon(13, 50), "in #nova", ALICE)
    run(store, clock, mon(14, 10), "#nova now Placement", NOVA_CHAIR)
    second = event_history(store)

    assert second is not first
    assert snapshot(first.state) == first_state  # the kept timeline was not changed
    assert same(second, build_timeline(store.audit(), END))
    assert second.topics == [
        TopicSpan("nova", 1, "Unified limits", mon(13, 35), mon(14, 10)),
        TopicSpan("nova", 2, "Placement", mon(14, 10), mon(15)),
    ]


def test_event_history_changes_made_by_another_store(store: Store, clock: Clock) -> None:
    event_history(store)
    other = Store(store.engine, clock=clock)  # another process writing the same database
    clock.now = mon(13, 40)
    other.run("in #nova", ALICE)
    timeline = event_history(store)
    assert timeline.checkins == [CheckIn("alice", "#nova", mon(13, 40), None)]
    assert same(timeline, build_timeline(store.audit(), END))


def test_event_history_guests_of_the_plan_on_the_board(store: Store) -> None:
    plans = Plans(store.engine)
    schedule = {
        ("austin", "mona1"): Placement("nova", ("cinder",)),
        ("austin", "mona2"): Placement("nova", ("relmgt", "cinder")),
    }
    report = Report("greedy", 0.0, mon(9), 1, (), (), (), (), diff({}, schedule, ()))
    draft = plans.add_draft(
        None, schedule=schedule, report=report, inputs={}, created_by="olivia", at=mon(9)
    )
    plans.publish_unchanged(None, draft.number, mon(9))  # the board holds it already
    timeline = event_history(store)
    assert timeline.sessions == [replace(NOVA, guests=("cinder", "relmgt"))]
    assert timeline.sessions_of("relmgt") == timeline.sessions


def test_event_history_of_an_unknown_event_is_refused(store: Store) -> None:
    with pytest.raises(NotFound, match="Unknown event 'nope'"):
        event_history(store, "nope")


def test_event_history_until_must_be_aware(store: Store) -> None:
    with pytest.raises(ValueError, match="aware"):
        event_history(store, until=datetime(2022, 4, 4, 15, 0))


def test_event_history_read_by_many_threads_at_once(store: Store, clock: Clock) -> None:
    event_history(store)
    run(store, clock, mon(13, 35), "#nova now Unified limits", NOVA_CHAIR)
    run(store, clock, mon(13, 40), "in #nova", ALICE)
    with ThreadPoolExecutor(8) as pool:
        read = list(pool.map(lambda _: event_history(store), range(16)))
    assert all(timeline is read[0] for timeline in read)  # fed once, then kept
    assert same(read[0], build_timeline(store.audit(), END))
