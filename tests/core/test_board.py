"""The board core: an event that is over says so, the same for every front end."""

from __future__ import annotations

from datetime import UTC, date, datetime

from ptghub.core.apply import apply_all
from ptghub.core.board import build_board, ended_on
from ptghub.core.model import EventState
from tests.support import small_event


def _state() -> EventState:
    return apply_all(EventState(), small_event())  # Monday 4 and Tuesday 5 April 2022, UTC


def test_an_event_is_not_over_during_its_last_day() -> None:
    state = _state()
    assert ended_on(state, datetime(2022, 4, 4, 13, 30, tzinfo=UTC)) is None
    assert ended_on(state, datetime(2022, 4, 5, 23, 59, tzinfo=UTC)) is None


def test_an_event_is_over_once_its_last_day_is() -> None:
    board = build_board(_state(), datetime(2022, 4, 6, 0, 0, tzinfo=UTC))
    assert (board.ended, board.current_slot) == (date(2022, 4, 5), None)


def test_before_and_during_the_event_the_board_has_not_ended() -> None:
    assert build_board(_state(), datetime(2022, 4, 1, 9, 0, tzinfo=UTC)).ended is None
