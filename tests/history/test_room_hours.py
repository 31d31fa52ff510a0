"""Room-hours: the cells teams held (planned or booked), the free ones, by day and hour."""

from __future__ import annotations

from datetime import date, time

from ptghub.core.model import Slot
from ptghub.history.room_hours import (
    HeldCell,
    HourUse,
    free_cells,
    held_cells,
    hour_label,
    minutes_by_hour,
    slot_minutes,
    utilization,
)
from tests.history.timelines import hand_made

MON, TUE = date(2022, 4, 4), date(2022, 4, 5)


def test_held_cells_tell_planned_from_booked() -> None:
    assert held_cells(hand_made()) == [
        HeldCell("austin", "mona1", "nova", False, 60),
        HeldCell("austin", "mona2", "nova", False, 60),
        HeldCell("coiste bainisti", "monp1", "cinder", True, 60),
        HeldCell("austin", "tuea1", "nova", True, 60),
        HeldCell("bexar", "tuep1", "relmgt", False, 60),
    ]


def test_free_cells_are_the_available_cells_of_bookable_rooms_nobody_held() -> None:
    assert free_cells(hand_made()) == [
        ("austin", "monp1"),
        ("austin", "monp2"),
        ("austin", "tuea2"),
        ("austin", "tuep1"),
        *(
            ("coiste bainisti", slot)
            for slot in ("mona1", "mona2", "monp2", "tuea1", "tuea2", "tuep1", "tuep2")
        ),
    ]


def test_utilization_counts_minutes_per_day_and_hour() -> None:
    assert utilization(hand_made()) == [
        HourUse(MON, 13, 60, 0, 60),
        HourUse(MON, 14, 60, 0, 60),
        HourUse(MON, 15, 0, 60, 60),
        HourUse(MON, 16, 0, 0, 120),
        HourUse(TUE, 13, 0, 60, 60),
        HourUse(TUE, 14, 0, 0, 120),
        HourUse(TUE, 15, 60, 0, 120),
        HourUse(TUE, 16, 0, 0, 60),
    ]


def test_share_is_the_used_part_of_the_available_minutes_or_none() -> None:
    shares = [HourUse(MON, 9, 60, 60, 120).share, HourUse(MON, 9, 0, 0, 0).share]
    assert shares == [0.5, None]


def test_a_slot_across_hours_gives_each_hour_its_minutes() -> None:
    slot = Slot("Mon-A", MON, time(9), time(10, 45))
    late = Slot("Mon-L", MON, time(23, 30), time(0, 30))
    assert (slot_minutes(slot), minutes_by_hour(slot)) == (105, {9: 60, 10: 45})
    assert (slot_minutes(late), minutes_by_hour(late)) == (60, {23: 30, 24: 30})
    assert [hour_label(9), hour_label(24)] == ["09:00", "+1 00:00"]
