"""Hours per team: wanted, planned, booked, used (a topic set during a session)."""

from __future__ import annotations

from ptghub.history.team_hours import TeamHours, team_hours
from tests.history.timelines import hand_made


def test_team_hours_of_every_team_in_minutes() -> None:
    assert team_hours(hand_made()) == [
        TeamHours("cinder", "Cinder", 0, False, 0, 60, 0),
        TeamHours("first-contact", "First Contact SIG", 0, False, 0, 0, 0),
        TeamHours("nova", "Nova/Placement", 180, True, 120, 60, 120),
        TeamHours("relmgt", "Release Management", 0, False, 60, 0, 0),
    ]
