"""build_instance: an event's state as the planner's problem.

Bookable rooms only; slots in time order; the teams' needs and the event's rules as they
stand; absent cells unavailable; chair bookings and pins fixed; slots begun by ``now``
frozen with what they hold; the planned cells as the previous schedule.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from ptghub.core.apply import apply_all
from ptghub.core.events import (
    CellChanged,
    DomainEvent,
    NeedsChanged,
    PinChanged,
    PlanRulesChanged,
    SlotAdded,
)
from ptghub.core.model import Cell, CellStatus, EventState, Slot
from ptghub.core.team_needs import PlanRules, TeamNeeds
from ptghub.eventfile import load_event_file
from ptghub.planner.from_state import build_instance
from ptghub.planner.instance import Placement, PlanRoom, PlanSlot
from tests.support import small_event

FREE = Cell(CellStatus.FREE)
DEMO = Path(__file__).resolve().parents[2] / "src" / "ptghub" / "demo" / "ptg-2022-04.yaml"


@pytest.fixture
def state() -> EventState:
    return apply_all(EventState(), small_event())


def _with(state: EventState, *events: DomainEvent) -> EventState:
    return apply_all(state, events)


def test_the_small_event_as_it_was_loaded(state: EventState) -> None:
    instance = build_instance(state)
    assert instance.rooms == (PlanRoom("austin", 50), PlanRoom("coiste bainisti", 10))
    assert [s.key for s in instance.slots] == [
        "mona1", "mona2", "monp1", "monp2", "tuea1", "tuea2", "tuep1", "tuep2",
    ]  # fmt: skip
    assert instance.slots[0] == PlanSlot("mona1", date(2022, 4, 4), time(13), time(14))
    assert instance.unavailable == {("austin", "tuep2")}
    assert instance.previous == {
        ("austin", "mona1"): Placement("nova"),
        ("austin", "mona2"): Placement("nova"),
    }
    assert instance.fixed == {} and instance.frozen_slots == frozenset()
    assert instance.needs == {} and instance.rules == PlanRules()


def test_needs_rules_bookings_and_pins_come_from_the_state(state: EventState) -> None:
    needs = TeamNeeds("cinder", 120, avoid=frozenset({"nova"}))
    rules = PlanRules(max_minutes_per_day=180)
    state = _with(
        state,
        NeedsChanged("cinder", None, needs),
        PlanRulesChanged(PlanRules(), rules),
        CellChanged("coiste bainisti", "mona2", FREE, Cell(CellStatus.BOOKED, "cinder")),
        PinChanged("austin", "tuea1", None, "relmgt"),
        PinChanged("austin", "mona1", None, "cinder"),  # over a planned cell: the pin holds
    )
    instance = build_instance(state)
    assert instance.needs == {"cinder": needs}
    assert instance.rules == rules
    assert instance.fixed == {
        ("coiste bainisti", "mona2"): Placement("cinder"),
        ("austin", "tuea1"): Placement("relmgt"),
        ("austin", "mona1"): Placement("cinder"),
    }
    assert instance.previous[("austin", "mona1")] == Placement("nova")


def test_a_booking_wins_over_a_pin_of_the_same_cell(state: EventState) -> None:
    state = _with(
        state,
        PinChanged("austin", "tuea1", None, "relmgt"),
        CellChanged("austin", "tuea1", FREE, Cell(CellStatus.BOOKED, "cinder")),
    )
    assert build_instance(state).fixed == {("austin", "tuea1"): Placement("cinder")}


def test_slots_begun_are_frozen_with_what_they_hold(state: EventState) -> None:
    state = _with(
        state,
        CellChanged("coiste bainisti", "mona1", FREE, Cell(CellStatus.BOOKED, "cinder")),
        PinChanged("coiste bainisti", "mona2", None, "relmgt"),  # in the past: ignored
        PinChanged("coiste bainisti", "monp1", None, "relmgt"),
    )
    instance = build_instance(state, datetime(2022, 4, 4, 14, 30, tzinfo=UTC))
    assert instance.frozen_slots == {"mona1", "mona2"}
    assert instance.fixed == {
        ("austin", "mona1"): Placement("nova"),
        ("austin", "mona2"): Placement("nova"),
        ("coiste bainisti", "mona1"): Placement("cinder"),
        ("coiste bainisti", "monp1"): Placement("relmgt"),
    }
    before = build_instance(state, datetime(2022, 4, 4, 12, 59, tzinfo=UTC))
    assert before.frozen_slots == frozenset()


def test_slot_times_are_read_on_the_events_clock(state: EventState) -> None:
    """13:00 in Denver (MDT, UTC-6 in April) is 19:00 UTC."""
    assert state.info is not None
    state.info = replace(state.info, timezone="America/Denver")
    assert build_instance(state, datetime(2022, 4, 4, 18, 59, tzinfo=UTC)).frozen_slots == set()
    assert build_instance(state, datetime(2022, 4, 4, 19, 0, tzinfo=UTC)).frozen_slots == {"mona1"}


def test_slots_are_planned_in_time_order_whatever_their_order_in_the_file() -> None:
    events = small_event()
    late = Slot("Mon-Z9", date(2022, 4, 4), time(9), time(10))
    state = apply_all(EventState(), [*events, SlotAdded(late)])
    keys = [s.key for s in build_instance(state).slots]
    assert keys[:2] == ["monz9", "mona1"]
    # no cell was made for it: it is unavailable in every room
    assert {("austin", "monz9"), ("coiste bainisti", "monz9")} <= build_instance(state).unavailable


def test_now_must_be_aware(state: EventState) -> None:
    with pytest.raises(ValueError, match="aware"):
        build_instance(state, datetime(2022, 4, 4, 14))


def test_the_demo_event() -> None:
    state = apply_all(EventState(), load_event_file(DEMO))
    instance = build_instance(state, datetime(2022, 4, 4, 23, 59, tzinfo=UTC))
    assert len(instance.rooms) == 16 and instance.rooms[0] == PlanRoom("austin", 150)
    assert len(instance.slots) == 60
    starts = [(s.day, s.start) for s in instance.slots]
    assert starts == sorted(starts)
    planned = {w: c.team for w, c in state.cells.items() if c.status is CellStatus.PLANNED}
    assert {w: p.team for w, p in instance.previous.items()} == planned
    assert len(instance.unavailable) == 16 * 60 - len(state.cells)
    monday = {s.key for s in instance.slots if s.day == date(2022, 4, 4)}
    assert instance.frozen_slots == monday
    assert set(instance.fixed) == {w for w in planned if w[1] in monday}
