"""The demo's reading of an event's grid: slots as UTC moments, and sessions."""

from __future__ import annotations

from datetime import UTC, datetime

from ptghub.core.apply import apply_all
from ptghub.core.model import EventState
from ptghub.demo.sessions import Session, Slots, sessions
from tests.support import small_event


def _small() -> EventState:
    return apply_all(EventState(), small_event())


def _at(day: int, hour: int) -> datetime:
    return datetime(2022, 4, day, hour, tzinfo=UTC)


def test_sessions_are_a_teams_consecutive_slots_of_a_day_in_a_room() -> None:
    state = _small()
    holders = {
        ("austin", "mona1"): "nova",
        ("austin", "mona2"): "nova",
        ("austin", "monp2"): "nova",  # after a free slot: a session of its own
        ("coiste bainisti", "mona2"): "cinder",
        ("coiste bainisti", "monp1"): "relmgt",  # another team right after
        ("coiste bainisti", "tuea1"): "relmgt",  # another day
    }
    assert sessions(Slots(state), holders) == [
        Session(_at(4, 13), _at(4, 15), "nova", "austin", ("mona1", "mona2")),
        Session(_at(4, 14), _at(4, 15), "cinder", "coiste bainisti", ("mona2",)),
        Session(_at(4, 15), _at(4, 16), "relmgt", "coiste bainisti", ("monp1",)),
        Session(_at(4, 16), _at(4, 17), "nova", "austin", ("monp2",)),
        Session(_at(5, 13), _at(5, 14), "relmgt", "coiste bainisti", ("tuea1",)),
    ]


def test_slots_know_what_follows_and_which_are_held() -> None:
    slots = Slots(_small())
    assert (slots.after("mona2"), slots.after("monp2")) == ("monp1", None)
    assert slots.held(_at(4, 0).date()) == ["mona1", "mona2"]  # nova's planned cells
    assert slots.held(_at(5, 0).date()) == []
