"""Which check-ins count for a session: its team or room named, the times overlapping."""

from __future__ import annotations

from ptghub.history.attendance import checkins_for, names_session, people_at
from ptghub.history.timeline import CheckIn
from tests.history.timelines import CINDER_MON, NOVA_MON, NOVA_TUE, RELMGT_TUE, at, hand_made


def test_checkins_for_a_session_name_its_team_or_room_while_it_runs() -> None:
    timeline = hand_made()
    assert checkins_for(NOVA_MON, timeline) == [
        CheckIn("alice", "#Nova", at(4, 13, 20), at(4, 14, 30)),
        CheckIn("bob", "austin", at(4, 14, 10), None),
    ]
    assert checkins_for(CINDER_MON, timeline) == [
        CheckIn("alice", "#cinder", at(4, 15, 5), at(4, 15, 30))
    ]


def test_checkins_for_an_open_checkin_runs_to_the_timelines_end() -> None:
    assert checkins_for(NOVA_TUE, hand_made()) == [CheckIn("bob", "austin", at(4, 14, 10), None)]


def test_checkins_for_a_session_nobody_named_are_none() -> None:
    assert (checkins_for(RELMGT_TUE, hand_made()), people_at(RELMGT_TUE, hand_made())) == ([], 0)


def test_names_session_compares_team_and_room_names_loosely() -> None:
    found = [
        names_session(where, CINDER_MON)
        for where in ("#CINDER", " #cinder ", "Coiste   BAINISTI", "cinder", "#coiste bainisti")
    ]
    assert found == [True, True, True, False, False]


def test_people_at_counts_distinct_nicks() -> None:
    assert people_at(NOVA_MON, hand_made()) == 2
