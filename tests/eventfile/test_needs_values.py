"""One value of a needs field as people write it: hours, days, windows."""

from __future__ import annotations

from datetime import date, time

import pytest

from ptghub.core.apply import apply_all
from ptghub.core.events import SlotAdded
from ptghub.core.model import EventState, Slot
from ptghub.eventfile.needs_values import Bad, day_of, hours_value, minutes_of, window_of
from tests.support import small_event


@pytest.fixture
def state() -> EventState:
    return apply_all(EventState(), small_event())


@pytest.mark.parametrize(
    ("value", "minutes"), [(2, 120), (1.5, 90), ("0.25", 15), (0, 0), (50 / 60, 50), (4 / 3, 80)]
)
def test_hours_become_whole_minutes(value: object, minutes: int) -> None:
    assert minutes_of(value) == minutes


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0.33, "0.33 hours is not a whole number of minutes (19.8 min)"),
        ("two", "expected a number of hours, got 'two'"),
        (True, "expected a number of hours, got true"),
        ([1], "expected a number of hours, got a list"),
        (1e308, "1e+308 hours is more than a year; expected at most 8784 hours"),
        ("-inf", "-inf hours is more than a year; expected at most 8784 hours"),
        (8785, "8785 hours is more than a year; expected at most 8784 hours"),
    ],
)
def test_bad_hours_say_what_is_expected(value: object, message: str) -> None:
    with pytest.raises(Bad) as error:
        minutes_of(value)
    assert str(error.value) == message


def test_days_are_dates_or_weekdays_of_the_event(state: EventState) -> None:
    assert day_of(state, "Tue") == date(2022, 4, 5)
    assert day_of(state, "monday") == date(2022, 4, 4)
    assert day_of(state, date(2022, 4, 5)) == date(2022, 4, 5)
    assert day_of(state, "2022-04-05") == date(2022, 4, 5)
    with pytest.raises(Bad, match=r"the event has no Fri \(its days: Mon 2022-04-04, Tue"):
        day_of(state, "Fri")
    with pytest.raises(Bad, match="expected a date"):
        day_of(state, "someday")


def test_a_weekday_that_falls_twice_is_ambiguous(state: EventState) -> None:
    state = apply_all(state, [SlotAdded(Slot("Mon2-A1", date(2022, 4, 11), time(13), time(14)))])
    with pytest.raises(Bad) as error:
        day_of(state, "Mon")
    assert str(error.value) == "Mon is ambiguous (2022-04-04 and 2022-04-11); write the date"


def test_windows(state: EventState) -> None:
    assert window_of(" 9:30 - 17:00 ") == (time(9, 30), time(17))
    for bad, message in [
        ("13-17", "expected a time window like 13:00-17:00, got '13-17'"),
        ("17:00-13:00", "window 17:00-13:00 ends before it starts; expected START-END"),
        ("13:00-24:00", "13:00-24:00 is not a time of day; expected HH:MM from 00:00 to 23:59"),
    ]:
        with pytest.raises(Bad) as error:
            window_of(bad)
        assert str(error.value) == message


def test_minutes_written_as_hours_read_back_the_same() -> None:
    assert hours_value(120) == 2 and isinstance(hours_value(120), int)
    assert hours_value(90) == 1.5
    assert all(minutes_of(hours_value(minutes)) == minutes for minutes in range(0, 24 * 60))
