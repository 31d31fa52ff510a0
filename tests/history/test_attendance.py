"""Which check-ins count for a session: its team or room named, the times overlapping."""

from __future__ import annotations

from dataclasses import replace

from ptghub.history.attendance import checkins_for, held_until, names_session, people_at
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


def test_checkins_for_an_open_checkin_end_with_the_day_it_began() -> None:
    timeline = hand_made()
    bob = CheckIn("bob", "austin", at(4, 14, 10), None)
    assert (held_until(bob, timeline), checkins_for(NOVA_TUE, timeline)) == (at(5, 0), [])


def test_checkins_for_an_open_checkin_end_with_the_timeline_before_midnight() -> None:
    timeline = hand_made()
    timeline.until = at(4, 18)
    bob = CheckIn("bob", "austin", at(4, 14, 10), None)
    assert (held_until(bob, timeline), checkins_for(NOVA_MON, timeline)[-1]) == (at(4, 18), bob)


def test_checkins_for_a_joint_session_count_its_guests_name() -> None:
    timeline = hand_made()
    joint = replace(CINDER_MON, team="nova", guests=("cinder",))
    assert people_at(joint, timeline) == 1


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
