"""Sessions: a team's consecutive cells in one room, merged, with ids that survive changes.

Every export (ICS, schedule.xml, the c3voc JSON) lists sessions rather than single cells,
so a team planned in Austin from 13:00 to 17:00 is one entry, not four.

The merge rule: cells of one team in one room are merged while each next slot is on the
same day and starts exactly when the previous one ends (a lunch break splits a day in
two). A session's id is a uuid5 of the event, the room, the team and the session's
*first* slot. So extending a session at its end, or shortening it there, keeps its id
(calendars update the entry in place); booking the slot before it, or freeing a slot in
its middle, starts a new session whose id is new (the old entry then disappears from the
feed, which is how calendars learn about a removal).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from ptghub.core.model import CellStatus, EventState, Room, Slot, Team

# The root of every id ptghub exports; never change it, or every app loses its favourites.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://ptghub.invalid/ids")


def stable_id(*parts: str) -> uuid.UUID:
    """A uuid5 of ``parts`` (keys, not display names): the same parts give the same id."""
    return uuid.uuid5(NAMESPACE, "\x1f".join(parts))


def room_id(event: str, room: Room) -> uuid.UUID:
    return stable_id("room", event, room.key)


@dataclass(frozen=True, slots=True)
class Session:
    """One merged run of a team's cells in one room; ``starts``/``ends`` are UTC."""

    id: uuid.UUID
    team: Team
    room: Room
    slots: tuple[Slot, ...]
    starts: datetime
    ends: datetime
    status: CellStatus  # of the first cell: planned or booked


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken as UTC (how the store keeps times)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def to_utc(state: EventState, day: date, at: time) -> datetime:
    """A local time of the event on ``day``, as an aware UTC datetime."""
    assert state.info is not None
    local = datetime.combine(day, at, tzinfo=ZoneInfo(state.info.timezone))
    return local.astimezone(UTC)


def sessions(state: EventState, rooms: Collection[str] | None = None) -> list[Session]:
    """Every planned or booked session (only those in ``rooms``, room keys, if given),
    ordered by start, then room order, then team."""
    assert state.info is not None
    event = state.info.slug
    ordered = sorted(state.slots.items(), key=lambda item: (item[1].day, item[1].start))
    found: list[tuple[int, Session]] = []  # (room's position, session)
    for position, (room_key, room) in enumerate(state.rooms.items()):
        if rooms is not None and room_key not in rooms:
            continue
        for team_key, run in _runs(state, room_key, ordered):
            (first_key, first), last = run[0], run[-1][1]
            session = Session(
                id=stable_id("session", event, room_key, team_key, first_key),
                team=state.teams[team_key],
                room=room,
                slots=tuple(slot for _, slot in run),
                starts=to_utc(state, first.day, first.start),
                ends=to_utc(state, last.day, last.end),
                status=state.cell(room_key, first_key).status,
            )
            found.append((position, session))
    found.sort(key=lambda item: (item[1].starts, item[0], item[1].team.key))
    return [session for _, session in found]


def _runs(
    state: EventState, room: str, ordered: list[tuple[str, Slot]]
) -> list[tuple[str, list[tuple[str, Slot]]]]:
    """The (team key, [(slot key, slot)]) runs of one room, by the merge rule above."""
    runs: list[tuple[str, list[tuple[str, Slot]]]] = []
    for slot_key, slot in ordered:
        cell = state.cells.get((room, slot_key))
        team = cell.team if cell is not None else None
        if team is None:
            continue
        if runs:
            last_team, last = runs[-1]
            previous = last[-1][1]
            if last_team == team and previous.day == slot.day and previous.end == slot.start:
                last.append((slot_key, slot))
                continue
        runs.append((team, [(slot_key, slot)]))
    return runs
