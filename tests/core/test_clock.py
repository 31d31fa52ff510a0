"""The simulated clock: it reads the given moment when made, then runs at its speed;
bad moments and speeds are refused with the form expected."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ptghub.core.clock import SimulatedClock, parse_moment, parse_speed, simulated
from ptghub.core.errors import InvalidInput
from ptghub.store.store import utcnow
from tests.support import Seconds

TUESDAY = datetime(2022, 4, 5, 15, 10, tzinfo=UTC)


def test_a_simulated_clock_starts_at_its_moment() -> None:
    clock = SimulatedClock(TUESDAY, source=Seconds())
    assert clock() == TUESDAY


def test_a_simulated_clock_advances_at_its_speed() -> None:
    seconds = Seconds()
    real_pace, fast = SimulatedClock(TUESDAY, source=seconds), SimulatedClock(TUESDAY, 60, seconds)
    seconds.value += 90
    assert (real_pace(), fast()) == (
        datetime(2022, 4, 5, 15, 11, 30, tzinfo=UTC),
        datetime(2022, 4, 5, 16, 40, tzinfo=UTC),
    )
    assert (real_pace.pace, fast.pace, SimulatedClock(TUESDAY, 0.5, seconds).pace) == (
        "1x",
        "60x",
        "0.5x",
    )


def test_a_simulated_clock_runs_on_real_time_by_default() -> None:
    clock = SimulatedClock(TUESDAY)
    first, second = clock(), clock()
    assert TUESDAY <= first <= second < datetime(2022, 4, 5, 15, 11, tzinfo=UTC)


def test_only_a_simulated_clock_counts_as_simulated() -> None:
    clock = SimulatedClock(TUESDAY)
    assert (simulated(clock), simulated(utcnow)) == (clock, None)


def test_a_simulated_clock_needs_an_aware_start_and_a_speed_above_zero() -> None:
    with pytest.raises(ValueError, match="aware"):
        SimulatedClock(datetime(2022, 4, 5, 15, 10))
    with pytest.raises(InvalidInput, match="above 0"):
        SimulatedClock(TUESDAY, 0)


@pytest.mark.parametrize(
    "text",
    [
        "2022-04-05T15:10Z",
        "2022-04-05T15:10:00+00:00",
        "2022-04-05T17:10+02:00",
        " 2022-04-05 15:10Z ",
    ],
)
def test_moments_are_read_with_their_zone_and_given_in_utc(text: str) -> None:
    moment = parse_moment(text)
    assert moment == TUESDAY and moment.tzinfo is UTC


def test_now_means_the_real_clock() -> None:
    assert parse_moment("now") is None and parse_moment("NOW") is None


def test_a_moment_without_a_zone_is_refused_with_the_fix() -> None:
    with pytest.raises(InvalidInput) as error:
        parse_moment("2022-04-05T15:10")
    assert error.value.message == (
        "The clock '2022-04-05T15:10' has no time zone: add one, e.g. 2022-04-05T15:10Z "
        "for UTC or 2022-04-05T15:10+02:00."
    )


@pytest.mark.parametrize("text", ["tuesday", "2022-13-05T15:10Z", "", "15:10"])
def test_a_malformed_moment_is_refused_with_the_form_expected(text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_moment(text)
    assert error.value.message == (
        "The clock must be an ISO 8601 moment with its zone, e.g. 2022-04-05T15:10Z or "
        f"2022-04-05T17:10+02:00, or 'now' for the real time; got {text!r}."
    )


@pytest.mark.parametrize(("value", "speed"), [("1", 1.0), ("60", 60.0), ("60x", 60.0), (0.5, 0.5)])
def test_speeds(value: str | float, speed: float) -> None:
    assert parse_speed(value) == speed


@pytest.mark.parametrize("value", ["0", "-1", "fast", "nan", "inf", "100001"])
def test_a_bad_speed_is_refused_with_what_a_speed_is(value: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_speed(value)
    assert error.value.message == (
        "The clock speed must be a number above 0 and at most 100000 (1 is real time, 60 "
        f"makes a minute pass each second); got {value!r}."
    )
