"""The live board: what every front end shows of an event at a given moment.

A pure function of the state and the time, so the CLI, the web page and the API show
the same thing. Times in the grid are the event's local times; ``now`` is UTC.

Once the event's last day is over (in its own zone), ``ended`` holds that day: front ends
then say "This event ended on ..." and show the teams' topics as their last ones, not as
what happens now.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ptghub.core.model import CellStatus, EventState, Motd, Slot


@dataclass(frozen=True, slots=True)
class TeamLine:
    slug: str
    name: str
    color: str | None
    onboarding: bool
    now: str | None
    next: tuple[str, ...]
    location: str | None  # the team's own override, else the room it is in now
    room: str | None  # the room the schedule gives it at this moment
    video_url: str | None
    etherpad: str


@dataclass(frozen=True, slots=True)
class GridCell:
    room: str
    slot: str
    code: str  # what to type to book it: ROOM-SLOT
    status: CellStatus
    team: str | None  # slug


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    slots: tuple[Slot, ...]
    rows: tuple[tuple[str, tuple[GridCell, ...]], ...]  # (room name, one cell per slot)


@dataclass(frozen=True, slots=True)
class Board:
    event: str
    name: str
    timezone: str
    at: datetime
    current_slot: str | None
    motd: tuple[Motd, ...]
    teams: tuple[TeamLine, ...]  # every team, active ones (now or next set) first
    checkins: tuple[tuple[str, int], ...]  # (location, people checked in), busiest first
    days: tuple[Day, ...]
    ended: date | None = None  # the event's last day, once it is over


def ended_on(state: EventState, at: datetime) -> date | None:
    """The event's last day if it is over at ``at`` (in the event's zone), else None."""
    assert state.info is not None
    local = at.astimezone(ZoneInfo(state.info.timezone))
    return state.info.end if local.date() > state.info.end else None


def current_slot(state: EventState, at: datetime) -> str | None:
    """The key of the slot happening at ``at``, if any."""
    assert state.info is not None
    local = at.astimezone(ZoneInfo(state.info.timezone))
    for key, slot in state.slots.items():
        if slot.day == local.date() and slot.start <= local.time() < slot.end:
            return key
    return None


def build_board(state: EventState, at: datetime) -> Board:
    info = state.info
    assert info is not None
    slot_now = current_slot(state, at)
    rooms_now = {
        cell.team: room
        for (room, slot), cell in state.cells.items()
        if slot == slot_now and cell.team is not None
    }
    lines = []
    for key, team in state.teams.items():
        topics = state.topics_of(key)
        room = state.rooms[rooms_now[key]] if key in rooms_now else None
        lines.append(
            TeamLine(
                slug=team.slug,
                name=team.name,
                color=team.color,
                onboarding=team.onboarding,
                now=topics.now,
                next=topics.next,
                location=topics.location or (room.name if room else None),
                room=room.name if room else None,
                video_url=state.video_url(team, room),
                etherpad=state.etherpad_url(team),
            )
        )
    lines.sort(key=lambda line: (line.now is None and not line.next, line.slug.casefold()))
    checkins = Counter(p.location for p in state.presence.values() if p.checked_out is None)
    return Board(
        event=info.slug,
        name=info.name,
        timezone=info.timezone,
        at=at,
        current_slot=state.slots[slot_now].code if slot_now else None,
        motd=state.motd,
        teams=tuple(lines),
        checkins=tuple(sorted(checkins.items(), key=lambda item: (-item[1], item[0]))),
        days=_days(state),
        ended=ended_on(state, at),
    )


def _days(state: EventState) -> tuple[Day, ...]:
    by_day: dict[date, list[tuple[str, Slot]]] = {}
    for key, slot in state.slots.items():
        by_day.setdefault(slot.day, []).append((key, slot))
    days = []
    for day, slots in sorted(by_day.items()):
        rows = []
        for room_key, room in state.rooms.items():
            cells = []
            for slot_key, slot in slots:
                cell = state.cell(room_key, slot_key)
                team = state.teams[cell.team].slug if cell.team else None
                cells.append(
                    GridCell(room.name, slot.code, f"{room.name}-{slot.code}", cell.status, team)
                )
            rows.append((room.name, tuple(cells)))
        days.append(Day(day, tuple(s for _, s in slots), tuple(rows)))
    return tuple(days)
