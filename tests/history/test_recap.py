"""team_recap: a team's sessions, topics, links and what it left unused, from a timeline."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ptghub.core.errors import NotFound
from ptghub.core.model import CellStatus
from ptghub.history.recap import (
    GivenUpCell,
    LinkKind,
    RecapLink,
    RecapSession,
    RecapTopic,
    team_recap,
)
from ptghub.history.timeline import Session
from tests.history.recap_data import CACTUS_TUE, state, timeline, utc

LONG = (
    "Unified limits across every project that keeps quotas, and what the operators "
    "asked of it in the last cycle"
)
AUSTIN = RecapSession(
    "Austin", ("Mon-A1", "Mon-A2"), utc(4, 11), utc(4, 13), CellStatus.PLANNED, 2, (1, 2)
)
BEXAR = RecapSession(
    "Bexar", ("Tue-A1",), utc(5, 11), utc(5, 12), CellStatus.PLANNED, 1, (3,), host="Cinder"
)
CACTUS = RecapSession(
    "Cactus", ("Tue-P1",), utc(5, 13), utc(5, 14), CellStatus.BOOKED, 0, (), joint_with=("Swift",)
)


def test_recap_of_a_team_holds_its_sessions_topics_links_and_unused_time() -> None:
    latest = state()
    latest.outcomes = {("nova", 1): "Ship it in Zed.", ("cinder", 1): "Not Nova's."}

    recap = team_recap(timeline(), latest, "#NOVA")

    assert (recap.event_slug, recap.event_name, recap.zone) == (
        "rc-ptg",
        "Recap PTG",
        "Europe/Paris",
    )
    assert (recap.team_slug, recap.team_name, recap.until) == ("nova", "Nova", utc(5, 14))
    assert recap.sessions == (AUSTIN, BEXAR, CACTUS)
    assert recap.topics == (
        RecapTopic(1, "Placement API", utc(4, 11, 5), utc(4, 12), 55, "Ship it in Zed."),
        RecapTopic(2, "Quotas <script>alert(1)</script>", utc(4, 12), utc(4, 13), 60),
        RecapTopic(3, LONG, utc(5, 11, 30), None, None),
    )
    assert recap.links == (
        RecapLink(LinkKind.ETHERPAD, "https://etherpad.opendev.org/p/rc-ptg-nova"),
        RecapLink(LinkKind.VIDEO, "https://meet.example.org/austin", "Austin"),
        RecapLink(LinkKind.VIDEO, "https://meet.example.org/bexar", "Bexar"),
    )
    assert recap.unused_sessions == (CACTUS,)
    assert recap.given_up == (GivenUpCell("Austin", "Tue-A2", utc(5, 12), utc(5, 13), utc(4, 16)),)
    assert recap.queued == ("Scheduling",)


def test_recap_of_a_host_names_its_guest_and_counts_the_guests_check_ins() -> None:
    recap = team_recap(timeline(), state(), "cinder")

    assert recap.sessions == (
        RecapSession(
            "Bexar",
            ("Tue-A1",),
            utc(5, 11),
            utc(5, 12),
            CellStatus.PLANNED,
            1,
            (1,),
            joint_with=("Nova",),
        ),
    )
    assert recap.unused_sessions == ()
    assert recap.queued == ("Snapshots",)


def test_recap_checkins_count_the_room_by_name_and_a_guest_team() -> None:
    history = timeline()
    history.checkins += [
        replace(
            history.checkins[0], nick="gina", location="  CACTUS ", start=utc(5, 13, 50), end=None
        ),
        replace(history.checkins[0], nick="hal", location="#Swift", start=utc(5, 12), end=None),
    ]

    recap = team_recap(history, state(), "nova")

    assert recap.sessions[2] == replace(CACTUS, checkins=2)
    assert recap.unused_sessions == ()


def test_recap_session_after_until_is_upcoming_and_not_unused() -> None:
    history = timeline(until=utc(5, 12, 30))
    history.sessions[2] = replace(CACTUS_TUE, upcoming=True)

    recap = team_recap(history, state(), "nova")

    assert recap.sessions[2] == replace(CACTUS, upcoming=True)
    assert recap.unused_sessions == ()


def test_recap_video_is_the_teams_own_when_it_has_one() -> None:
    history = timeline()
    nova = history.state.teams["nova"]
    history.state.teams["nova"] = replace(
        nova, video_url="https://video.example.org/nova", etherpad="https://pad.example.org/n"
    )

    recap = team_recap(history, state(), "nova")

    assert recap.links == (
        RecapLink(LinkKind.ETHERPAD, "https://pad.example.org/n"),
        RecapLink(LinkKind.VIDEO, "https://video.example.org/nova"),
    )


def test_recap_of_a_team_without_sessions_is_empty() -> None:
    recap = team_recap(timeline(), state(), "swift")

    assert (recap.sessions, recap.topics, recap.unused_sessions, recap.given_up) == (
        (replace(CACTUS, host="Nova", joint_with=()),),
        (),
        (replace(CACTUS, host="Nova", joint_with=()),),
        (),
    )
    assert recap.links == (
        RecapLink(LinkKind.ETHERPAD, "https://etherpad.opendev.org/p/rc-ptg-swift"),
    )


def test_recap_of_an_unknown_team_is_refused() -> None:
    with pytest.raises(NotFound) as refused:
        team_recap(timeline(), state(), "glance")

    assert refused.value.message == (
        "There is no team 'glance' at this event; see its list of teams."
    )


def test_recap_given_up_cell_of_a_removed_slot_is_left_out() -> None:
    history = timeline()
    del history.state.slots["tuea2"]

    assert team_recap(history, state(), "nova").given_up == ()


def test_recap_session_of_a_team_keeps_sessions_of_others_out() -> None:
    history = timeline()
    history.sessions.append(
        Session("swift", "austin", ("tuep1",), utc(5, 13), utc(5, 14), CellStatus.BOOKED)
    )

    assert team_recap(history, state(), "nova").sessions == (AUSTIN, BEXAR, CACTUS)


def test_recap_recording_link_comes_from_the_latest_state() -> None:
    latest = state()
    nova = latest.teams["nova"]
    latest.teams["nova"] = replace(nova, recording="https://videos.example.org/nova")
    history = timeline()
    history.state.teams["nova"] = replace(nova, recording="https://old.example.org/nova")

    assert team_recap(history, latest, "nova").links[-2:] == (
        RecapLink(LinkKind.VIDEO, "https://meet.example.org/bexar", "Bexar"),
        RecapLink(LinkKind.RECORDING, "https://videos.example.org/nova"),
    )
