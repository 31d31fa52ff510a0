"""Hours per team: what it wanted, what it was planned, what it booked, what it used.

- *wanted*: the minutes of its needs (``EventState.needs``); a team that stated none
  wanted 0 and is marked ``stated=False``;
- *planned* and *booked*: the room-minutes of the cells it held, planned or booked
  (``room_hours``: a joint session counts for its host only, so a room-hour counts once);
- *used*: the minutes of its own sessions in which one of its topics was set (a topic
  span overlapping the session; one still open at the timeline's end runs to ``until``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ptghub.history.room_hours import held_cells
from ptghub.history.timeline import Timeline


@dataclass(frozen=True, slots=True)
class TeamHours:
    team: str  # key
    name: str
    wanted: int  # minutes; 0 when it stated no needs
    stated: bool  # whether it stated its needs
    planned: int
    booked: int
    used: int


def team_hours(timeline: Timeline) -> list[TeamHours]:
    """Every team of the final state, by key, with its minutes (see the module)."""
    state = timeline.state
    planned: dict[str, int] = {}
    booked: dict[str, int] = {}
    for cell in held_cells(timeline):
        into = booked if cell.booked else planned
        into[cell.team] = into.get(cell.team, 0) + cell.minutes
    used: dict[str, int] = {}
    for session in timeline.sessions:
        if any(
            topic.start < session.end and (topic.end or timeline.until) > session.start
            for topic in timeline.topics_of(session.team)
        ):
            used[session.team] = used.get(session.team, 0) + session.minutes
    rows = []
    for key in sorted(state.teams):
        needs = state.needs.get(key)
        rows.append(
            TeamHours(
                key,
                state.teams[key].name,
                needs.minutes if needs else 0,
                needs is not None,
                planned.get(key, 0),
                booked.get(key, 0),
                used.get(key, 0),
            )
        )
    return rows
