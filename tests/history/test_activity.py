"""Check-ins hour by hour, the busiest sessions, bookings per day."""

from __future__ import annotations

from datetime import date, timedelta

from ptghub.history.activity import (
    HourCount,
    SessionCount,
    bookings_by_day,
    busiest_sessions,
    checkins_by_hour,
    event_hours,
)
from tests.history.timelines import CINDER_MON, NOVA_MON, at, hand_made


def test_event_hours_run_from_the_first_slot_to_the_end_of_the_last() -> None:
    hours = event_hours(hand_made())
    assert (hours[0], hours[-1], len(hours)) == (at(4, 13), at(5, 16), 28)


def test_checkins_by_hour_count_distinct_people_present_in_the_hour() -> None:
    expected = [1, 2, 2, *[1] * 8, *[0] * 12, 1, 0, 0, 0, 0]  # bob, never out, until midnight
    assert checkins_by_hour(hand_made()) == [
        HourCount(at(4, 13) + timedelta(hours=n), people) for n, people in enumerate(expected)
    ]


def test_busiest_sessions_by_people_then_checkins_then_start() -> None:
    assert busiest_sessions(hand_made()) == [
        SessionCount(NOVA_MON, 2, 2),
        SessionCount(CINDER_MON, 1, 1),
    ]
    assert busiest_sessions(hand_made(), limit=1) == [SessionCount(NOVA_MON, 2, 2)]


def test_bookings_by_day_count_the_events_days_only() -> None:
    assert bookings_by_day(hand_made()) == [(date(2022, 4, 4), 2), (date(2022, 4, 5), 0)]
