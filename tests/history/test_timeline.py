"""The timeline replayed from changes made by real commands on the small test event.

The small event (tests/support.py) is in UTC: slots A1 13-14, A2 14-15, P1 15-16, P2
16-17 on Monday 4 and Tuesday 5 April 2022; nova is planned in Austin on Monday A1 and A2.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, time

import pytest

from ptghub.commands.run import execute
from ptghub.core.apply import apply_all
from ptghub.core.events import DomainEvent, EventCreated, NeedsChanged, SlotAdded
from ptghub.core.model import Actor, CellStatus, EventState
from ptghub.core.team_needs import TeamNeeds
from ptghub.history.timeline import (
    Booking,
    CheckIn,
    GivenUp,
    Session,
    TopicSpan,
    build_timeline,
    event_end,
)
from ptghub.planner.instance import Placement
from ptghub.planner.publish import publish_events
from tests.support import small_event, snapshot

LOADED = datetime(2022, 4, 1, 9, 0, tzinfo=UTC)  # the event file loaded before the event
PLANNED = CellStatus.PLANNED
BOOKED = CellStatus.BOOKED


def mon(hour: int, minute: int = 0) -> datetime:
    return datetime(2022, 4, 4, hour, minute, tzinfo=UTC)


def tue(hour: int, minute: int = 0) -> datetime:
    return datetime(2022, 4, 5, hour, minute, tzinfo=UTC)


@dataclass(frozen=True)
class Change:
    id: int
    at: datetime
    actor: str
    events: tuple[DomainEvent, ...]


class History:
    """Changes made one after another, as the audit log records them."""

    def __init__(self, definition: list[DomainEvent] | None = None, at: datetime = LOADED):
        events = definition or small_event()
        self.state = apply_all(EventState(), events)
        self.changes: list[Change] = [Change(1, at, "loader", tuple(events))]

    def run(self, at: datetime, text: str, nick: str = "olivia") -> tuple[DomainEvent, ...]:
        applied = execute(self.state, text, Actor(nick), at)
        assert applied is not None and applied.outcome.events, text
        return self.add(at, applied.outcome.events, nick)

    def add(self, at: datetime, events: tuple[DomainEvent, ...], nick: str = "olivia") -> tuple:
        self.state = apply_all(self.state, events)
        self.changes.append(Change(len(self.changes) + 1, at, nick, events))
        return events

    def undo(self, at: datetime, events: tuple[DomainEvent, ...]) -> None:
        inverse = tuple(e.inverse() for e in reversed(events))
        self.add(at, tuple(e for e in inverse if e is not None))


@pytest.fixture
def history() -> History:
    return History()


def nova_session(**changes: object) -> Session:
    session = Session("nova", "austin", ("mona1", "mona2"), mon(13), mon(15), PLANNED)
    return replace(session, **changes)  # type: ignore[arg-type]


# -- event_end -------------------------------------------------------------------------


def test_event_end_is_the_end_of_the_last_slot(history: History) -> None:
    assert event_end(history.state) == tue(17)


def test_event_end_in_the_event_zone() -> None:
    events = small_event()
    info = events[0].info  # type: ignore[attr-defined]
    events[0] = EventCreated(replace(info, timezone="Europe/Berlin"))
    # 17:00 in Berlin (summer time, UTC+2) is 15:00 UTC.
    assert event_end(apply_all(EventState(), events)) == tue(15)


def test_event_end_of_a_slot_ending_at_midnight_is_the_next_day() -> None:
    state = apply_all(EventState(), small_event())
    late = SlotAdded(replace(state.slots["tuep2"], code="Tue-Late", start=time(23), end=time(0)))
    state = apply_all(state, [late])
    assert event_end(state) == datetime(2022, 4, 6, 0, 0, tzinfo=UTC)


def test_event_end_without_slots_is_the_midnight_after_its_last_day() -> None:
    info = small_event()[0].info  # type: ignore[attr-defined]
    state = apply_all(EventState(), [EventCreated(replace(info, timezone="America/New_York"))])
    assert event_end(state) == datetime(2022, 4, 6, 4, 0, tzinfo=UTC)


def test_event_end_without_an_event_is_refused() -> None:
    with pytest.raises(ValueError, match="no end"):
        event_end(EventState())


# -- the replay ------------------------------------------------------------------------


def test_build_timeline_state_is_the_state_at_until(history: History) -> None:
    history.run(mon(13, 5), "#nova now Unified limits", "nchair")
    at_until = snapshot(history.state)
    history.run(mon(13, 40), "#nova now Placement", "nchair")
    timeline = build_timeline(history.changes, mon(13, 30))
    assert timeline.until == mon(13, 30)
    assert snapshot(timeline.state) == at_until


def test_build_timeline_stops_at_the_first_change_after_until(history: History) -> None:
    history.run(mon(13, 40), "#nova now Placement", "nchair")
    # A clock set back: this change is before ``until`` but comes after one that is not.
    history.run(mon(13, 10), "#cinder now Backups", "olivia")
    timeline = build_timeline(history.changes, mon(13, 30))
    assert timeline.state.topics == {}
    assert timeline.topics == []


def test_build_timeline_changes_after_the_end_rewrite_nothing(history: History) -> None:
    history.run(mon(13, 5), "#nova now Unified limits", "nchair")
    before = build_timeline(history.changes, event_end(history.state))
    history.run(tue(18), "~emptydb")
    after = build_timeline(history.changes, event_end(history.state))
    assert after.sessions == before.sessions == [nova_session()]
    assert after.topics == before.topics
    assert snapshot(after.state) == snapshot(before.state)


def test_build_timeline_of_an_event_defined_after_it_ended() -> None:
    # An import of a past event: its definition counts whenever it was made.
    history = History(at=datetime(2026, 12, 1, tzinfo=UTC))
    timeline = build_timeline(history.changes, event_end(history.state))
    assert timeline.sessions == [nova_session()]
    assert snapshot(timeline.state) == snapshot(history.state)


def test_build_timeline_of_no_changes_is_empty() -> None:
    timeline = build_timeline([], mon(12))
    assert (timeline.sessions, timeline.topics, timeline.state.info) == ([], [], None)


# -- sessions --------------------------------------------------------------------------


def test_sessions_planned_slots_merge(history: History) -> None:
    assert build_timeline(history.changes, tue(17)).sessions == [nova_session()]


def test_sessions_booked_slot_after_planned_ones_merges_as_booked(history: History) -> None:
    history.run(mon(10), "#nova book Austin-Mon-P1", "nchair")
    history.run(mon(11), "#nova book Austin-Mon-P2", "nchair")
    assert build_timeline(history.changes, tue(17)).sessions == [
        nova_session(
            slots=("mona1", "mona2", "monp1", "monp2"),
            end=mon(17),
            status=BOOKED,
            booked_at=mon(10),
        )
    ]


def test_sessions_free_cell_booked_during_its_slot_counts(history: History) -> None:
    history.run(mon(15, 20), "#cinder book Austin-Mon-P1")
    history.run(mon(15, 30), "#cinder unbook Austin-Mon-P1")
    history.run(mon(15, 40), "#relmgt book Austin-Mon-P1")
    assert build_timeline(history.changes, tue(17)).sessions == [
        nova_session(),
        Session("cinder", "austin", ("monp1",), mon(15), mon(16), BOOKED, mon(15, 20)),
    ]


def test_sessions_cell_booked_after_its_slot_does_not_count(history: History) -> None:
    history.run(mon(16), "#cinder book Austin-Mon-P1")
    assert build_timeline(history.changes, tue(17)).sessions == [nova_session()]


def test_sessions_cell_freed_during_its_slot_still_counts(history: History) -> None:
    history.run(mon(13, 30), "#nova unbook Austin-Mon-A2")
    history.run(mon(14, 10), "#nova unbook Austin-Mon-A1")
    assert build_timeline(history.changes, tue(17)).sessions == [
        nova_session(slots=("mona1",), end=mon(14))
    ]


def test_sessions_break_at_a_gap_another_room_or_day(history: History) -> None:
    history.run(mon(9), "#cinder book Austin-Mon-P2")
    history.run(mon(9), "#cinder book Coiste Bainisti-Mon-P1")
    history.run(mon(9), "#cinder book Austin-Tue-A1")
    history.run(mon(9), "#cinder book Austin-Tue-A2")
    cinder = [
        Session("cinder", "coiste bainisti", ("monp1",), mon(15), mon(16), BOOKED, mon(9)),
        Session("cinder", "austin", ("monp2",), mon(16), mon(17), BOOKED, mon(9)),
        Session("cinder", "austin", ("tuea1", "tuea2"), tue(13), tue(15), BOOKED, mon(9)),
    ]
    assert build_timeline(history.changes, tue(17)).sessions == [nova_session(), *cinder]


def test_sessions_in_room_order_at_one_start(history: History) -> None:
    history.run(mon(9), "#cinder book Coiste Bainisti-Mon-A1")
    assert build_timeline(history.changes, tue(17)).sessions == [
        nova_session(),
        Session("cinder", "coiste bainisti", ("mona1",), mon(13), mon(14), BOOKED, mon(9)),
    ]


def test_sessions_after_until_count_with_their_holder_then(history: History) -> None:
    history.run(mon(13, 30), "#cinder book Austin-Mon-P1")
    history.run(mon(13, 45), "#nova book Austin-Mon-P2", "nchair")
    history.run(mon(14, 30), "#cinder unbook Austin-Mon-P1")  # after until
    assert build_timeline(history.changes, mon(14, 15)).sessions == [
        nova_session(),
        Session("cinder", "austin", ("monp1",), mon(15), mon(16), BOOKED, mon(13, 30), (), True),
        Session("nova", "austin", ("monp2",), mon(16), mon(17), BOOKED, mon(13, 45), (), True),
    ]


def test_sessions_upcoming_slots_merge_with_each_other(history: History) -> None:
    assert build_timeline(history.changes, mon(12)).sessions == [nova_session(upcoming=True)]


def test_sessions_take_the_union_of_their_cells_guests(history: History) -> None:
    guests = {("austin", "mona1"): ("cinder",), ("austin", "mona2"): ("relmgt", "cinder")}
    timeline = build_timeline(history.changes, tue(17), guests)
    assert timeline.sessions == [nova_session(guests=("cinder", "relmgt"))]
    assert timeline.sessions_of("relmgt") == [nova_session(guests=("cinder", "relmgt"))]


def test_sessions_times_are_utc_from_the_event_zone() -> None:
    events = small_event()
    info = events[0].info  # type: ignore[attr-defined]
    events[0] = EventCreated(replace(info, timezone="Europe/Berlin"))
    history = History(events)
    assert build_timeline(history.changes, tue(17)).sessions == [
        nova_session(start=mon(11), end=mon(13))
    ]


# -- topics ----------------------------------------------------------------------------


def test_topics_span_from_now_to_the_next_now(history: History) -> None:
    history.run(mon(13, 5), "#nova now Unified limits", "nchair")
    history.run(mon(13, 10), "#nova next Placement", "nchair")
    history.run(mon(13, 15), "#nova location Room 2", "nchair")
    history.run(mon(13, 20), "#nova now Unified limits", "nchair")  # the same topic again
    history.run(mon(13, 50), "#nova now Placement", "nchair")
    history.run(mon(14, 20), "#nova clean", "nchair")
    assert build_timeline(history.changes, tue(17)).topics == [
        TopicSpan("nova", 1, "Unified limits", mon(13, 5), mon(13, 50)),
        TopicSpan("nova", 2, "Placement", mon(13, 50), mon(14, 20)),
    ]


def test_topics_end_at_the_end_of_their_session(history: History) -> None:
    history.run(mon(14, 30), "#nova now Unified limits", "nchair")
    history.run(tue(13, 5), "#nova now Placement", "nchair")
    history.run(tue(13, 10), "#cinder now Backups")
    assert build_timeline(history.changes, tue(17)).topics == [
        TopicSpan("nova", 1, "Unified limits", mon(14, 30), mon(15)),  # the merged session
        TopicSpan("nova", 2, "Placement", tue(13, 5), tue(14)),  # no session: its slot
        TopicSpan("cinder", 1, "Backups", tue(13, 10), tue(14)),
    ]


def test_topics_outside_slots_end_when_replaced(history: History) -> None:
    history.run(mon(9), "#cinder now Backups")
    history.run(mon(10), "#cinder now Encryption")
    history.run(mon(11), "~newday")
    assert build_timeline(history.changes, tue(17)).topics == [
        TopicSpan("cinder", 1, "Backups", mon(9), mon(10)),
        TopicSpan("cinder", 2, "Encryption", mon(10), mon(11)),
    ]


def test_topics_still_current_at_until_have_no_end(history: History) -> None:
    history.run(mon(9), "#cinder now Backups")
    history.run(mon(13, 10), "#nova now Unified limits", "nchair")
    assert build_timeline(history.changes, mon(14, 30)).topics == [
        TopicSpan("cinder", 1, "Backups", mon(9), None),
        TopicSpan("nova", 1, "Unified limits", mon(13, 10), None),
    ]


def test_topics_still_current_end_at_a_clamp_before_until(history: History) -> None:
    history.run(mon(13, 10), "#nova now Unified limits", "nchair")
    assert build_timeline(history.changes, mon(15)).topics == [
        TopicSpan("nova", 1, "Unified limits", mon(13, 10), mon(15))
    ]


def test_topics_of_a_guest_end_with_the_joint_session(history: History) -> None:
    history.run(mon(13, 10), "#cinder now Volume attachments")
    guests = {("austin", "mona1"): ("cinder",), ("austin", "mona2"): ("cinder",)}
    assert build_timeline(history.changes, tue(17), guests).topics == [
        TopicSpan("cinder", 1, "Volume attachments", mon(13, 10), mon(15))
    ]


def test_topics_numbered_per_team(history: History) -> None:
    history.run(mon(13, 1), "#nova now A", "nchair")
    history.run(mon(13, 2), "#cinder now B")
    history.run(mon(13, 3), "#nova now C", "nchair")
    assert [
        (t.team, t.number, t.text) for t in build_timeline(history.changes, tue(17)).topics
    ] == [
        ("nova", 1, "A"),
        ("cinder", 1, "B"),
        ("nova", 2, "C"),
    ]


def test_queued_topics_never_set_as_now(history: History) -> None:
    history.run(mon(13, 1), "#nova next Placement", "nchair")
    history.run(mon(13, 2), "#nova next Unified limits", "nchair")
    history.run(mon(13, 3), "#nova next Cross-project", "nchair")
    history.run(mon(13, 4), "#nova now unified LIMITS", "nchair")
    history.run(mon(13, 5), "#nova next placement", "nchair")  # seen before, other case
    history.run(mon(13, 6), "#cinder next Backups")
    history.run(mon(13, 7), "#cinder now Backups")
    history.run(mon(13, 8), "#relmgt next Later")  # after until
    assert build_timeline(history.changes, mon(13, 7)).queued == {
        "nova": ("Placement", "Cross-project")
    }


# -- check-ins -------------------------------------------------------------------------


def test_checkins_from_in_to_out(history: History) -> None:
    history.run(mon(13), "in #nova", "alice")
    history.run(mon(13, 30), "in #cinder", "alice")  # elsewhere: a new check-in
    history.run(mon(13, 40), "in #cinder", "alice")  # the same place: the same one
    history.run(mon(14), "out", "alice")
    history.run(mon(14, 10), "in Hallway", "Bob")
    history.run(mon(14, 20), "in #nova", "carol")
    history.run(mon(15), "~newday")
    history.run(mon(15, 30), "in #nova", "carol")
    assert build_timeline(history.changes, tue(17)).checkins == [
        CheckIn("alice", "#nova", mon(13), mon(13, 30)),
        CheckIn("alice", "#cinder", mon(13, 30), mon(14)),
        CheckIn("bob", "Hallway", mon(14, 10), mon(15)),
        CheckIn("carol", "#nova", mon(14, 20), mon(15)),
        CheckIn("carol", "#nova", mon(15, 30), None),
    ]


def test_checkins_undone_checkout_starts_again(history: History) -> None:
    history.run(mon(13), "in #nova", "alice")
    out = history.run(mon(14), "out", "alice")
    history.undo(mon(14, 5), out)
    assert build_timeline(history.changes, tue(17)).checkins == [
        CheckIn("alice", "#nova", mon(13), mon(14)),
        CheckIn("alice", "#nova", mon(14, 5), None),
    ]


# -- bookings --------------------------------------------------------------------------


def test_bookings_freed_by_unbook_and_undo(history: History) -> None:
    history.run(mon(9), "#cinder book Austin-Mon-P1", "alice")
    history.run(mon(10), "#cinder unbook Austin-Mon-P1", "alice")
    booked = history.run(mon(11), "#relmgt book Austin-Mon-P1", "bob")
    history.undo(mon(12), booked)
    history.run(mon(13), "#nova book Austin-Tue-A1", "nchair")
    assert build_timeline(history.changes, tue(17)).bookings == [
        Booking(mon(9), "cinder", "austin", "monp1", "alice", mon(10)),
        Booking(mon(11), "relmgt", "austin", "monp1", "bob", mon(12)),
        Booking(mon(13), "nova", "austin", "tuea1", "nchair"),
    ]


def test_bookings_undone_unbook_is_a_booking_again(history: History) -> None:
    history.run(mon(9), "#cinder book Austin-Mon-P1", "alice")
    freed = history.run(mon(10), "#cinder unbook Austin-Mon-P1", "alice")
    history.undo(mon(11), freed)
    assert build_timeline(history.changes, tue(17)).bookings == [
        Booking(mon(9), "cinder", "austin", "monp1", "alice", mon(10)),
        Booking(mon(11), "cinder", "austin", "monp1", "olivia"),
    ]


def test_bookings_not_made_by_a_published_plan(history: History) -> None:
    plan = {
        ("austin", "tuea1"): Placement("cinder"),
        ("austin", "mona1"): Placement("nova"),
        ("austin", "mona2"): Placement("nova"),
    }
    publish(history, plan)
    timeline = build_timeline(history.changes, tue(17))
    assert timeline.bookings == []
    assert timeline.sessions == [
        nova_session(),
        Session("cinder", "austin", ("tuea1",), tue(13), tue(14), PLANNED),
    ]


def publish(history: History, plan: dict[tuple[str, str], Placement]) -> None:
    """Publish ``plan`` on Monday at 9:00, as ``ptghub plan publish`` does, nova and cinder
    having stated their needs."""
    needs = (TeamNeeds("nova", 120), TeamNeeds("cinder", 120))
    history.add(mon(8), tuple(NeedsChanged(n.team, None, n) for n in needs))
    history.add(mon(9), tuple(publish_events(history.state, plan, mon(9))))


# -- cells given up --------------------------------------------------------------------


def test_given_up_before_the_slot_began(history: History) -> None:
    history.run(mon(9), "#nova unbook Austin-Mon-A2", "olivia")
    history.run(mon(13, 30), "#nova unbook Austin-Mon-A1", "olivia")  # during the slot
    assert build_timeline(history.changes, tue(17)).given_up == [
        GivenUp("nova", "austin", "mona2", mon(9))
    ]


def test_given_up_to_another_team_by_a_new_plan(history: History) -> None:
    plan = {("austin", "mona1"): Placement("nova"), ("austin", "mona2"): Placement("cinder")}
    publish(history, plan)
    timeline = build_timeline(history.changes, tue(17))
    assert timeline.given_up == [GivenUp("nova", "austin", "mona2", mon(9))]
    assert timeline.sessions == [
        nova_session(slots=("mona1",), end=mon(14)),
        Session("cinder", "austin", ("mona2",), mon(14), mon(15), PLANNED),
    ]


def test_given_up_not_for_a_booked_cell(history: History) -> None:
    history.run(mon(9), "#cinder book Austin-Mon-P1")
    history.run(mon(10), "#cinder unbook Austin-Mon-P1")
    assert build_timeline(history.changes, tue(17)).given_up == []


def test_emptydb_ends_topics_and_checkins_frees_bookings_and_gives_up_cells(
    history: History,
) -> None:
    history.run(mon(13, 10), "#nova now Unified limits", "nchair")
    history.run(mon(13, 20), "in #nova", "alice")
    history.run(mon(13, 30), "#cinder book Austin-Tue-A1", "alice")
    history.run(mon(13, 40), "~emptydb")
    timeline = build_timeline(history.changes, tue(17))
    assert timeline.topics == [TopicSpan("nova", 1, "Unified limits", mon(13, 10), mon(13, 40))]
    assert timeline.checkins == [CheckIn("alice", "#nova", mon(13, 20), mon(13, 40))]
    assert timeline.bookings == [
        Booking(mon(13, 30), "cinder", "austin", "tuea1", "alice", mon(13, 40))
    ]
    assert timeline.given_up == [GivenUp("nova", "austin", "mona2", mon(13, 40))]
    assert timeline.sessions == [nova_session(slots=("mona1",), end=mon(14))]
