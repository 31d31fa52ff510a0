"""What a person's "My PTG" page shows, from the event's state and what they follow.

- Their followed teams' sessions (``exports.sessions``: a team's consecutive cells in one
  room are one session), by day of the zone the page is shown in, each marked past, now
  or next (per team) by the store's clock, with its room's video and the etherpad.
- Clashes: two or more followed teams meeting in the same slot. Consecutive slots with
  the same teams are one clash ("Mon 13:00-15:00: Cinder and Nova"); every session
  that takes part names the teams it clashes with, so that the page says it in words,
  not only by colour.
- What each followed team discusses now and next (the board's line of the team).
- For each followed pattern, the board's topics it matches now (the text matched is
  the chat's: ``#team now topic`` and ``#team next topic``).

Pure: no request, no store.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from ptghub.core.board import TeamLine, build_board
from ptghub.core.errors import InvalidInput
from ptghub.core.model import EventState, team_key
from ptghub.core.patterns import matches
from ptghub.exports.sessions import sessions
from ptghub.web.fragments import Badge, badge
from ptghub.web.templating import path_part, slot_bounds, zone


@dataclass(frozen=True, slots=True)
class MySession:
    team: Badge
    room: str
    room_href: str
    starts: datetime
    ends: datetime
    status: str  # planned or booked
    when: str  # past, now, next (the team's first to come) or ""
    video: str | None
    etherpad: str
    clashes_with: tuple[str, ...]  # names of the other followed teams in its slots


@dataclass(frozen=True, slots=True)
class MyDay:
    day: date  # in the zone of the page
    sessions: tuple[MySession, ...]


@dataclass(frozen=True, slots=True)
class Clash:
    starts: datetime
    ends: datetime
    teams: tuple[Badge, ...]
    rooms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PatternMatches:
    pattern: str
    texts: tuple[str, ...]  # the board's "#team now topic" lines it matches now


@dataclass(frozen=True, slots=True)
class MyView:
    teams: tuple[Badge, ...]  # followed, by name
    days: tuple[MyDay, ...]
    clashes: tuple[Clash, ...]
    lines: tuple[tuple[Badge, TeamLine], ...]  # now and next of each followed team
    patterns: tuple[PatternMatches, ...]


def my_view(
    state: EventState,
    at: datetime,
    view_zone: str,
    teams: Collection[str],
    patterns: Collection[str] = (),
) -> MyView:
    """The page's content for a person following ``teams`` (keys; teams the event no
    longer has are left out) and ``patterns``, at ``at``, shown in ``view_zone``."""
    keys = [key for key in dict.fromkeys(team_key(t) for t in teams) if key in state.teams]
    followed = set(keys)
    badges = tuple(
        sorted((badge(state, state.teams[k].slug) for k in keys), key=lambda b: b.name.casefold())
    )
    clashes, clash_slots = _clashes(state, followed)
    board = build_board(state, at)
    lines = tuple(
        (badge(state, line.slug), line) for line in board.teams if team_key(line.slug) in followed
    )
    lines = tuple(sorted(lines, key=lambda item: item[0].name.casefold()))
    return MyView(
        badges,
        _days(state, at, view_zone, followed, clash_slots),
        clashes,
        lines,
        tuple(_matches(pattern, board.teams) for pattern in patterns),
    )


def _days(
    state: EventState,
    at: datetime,
    view_zone: str,
    followed: set[str],
    clash_slots: dict[str, dict[str, str]],
) -> tuple[MyDay, ...]:
    assert state.info is not None
    event_path = f"/events/{path_part(state.info.slug)}"
    tz = zone(view_zone)
    next_marked: set[str] = set()
    days: dict[date, list[MySession]] = {}
    for session in sessions(state):
        key = session.team.key
        if key not in followed:
            continue
        if session.ends <= at:
            when = "past"
        elif session.starts <= at:
            when = "now"
        elif key not in next_marked:
            when = "next"
        else:
            when = ""
        if when in ("now", "next"):
            next_marked.add(key)
        others: dict[str, None] = {}
        for slot in session.slots:
            for other, name in clash_slots.get(slot.key, {}).items():
                if other != key:
                    others[name] = None
        days.setdefault(session.starts.astimezone(tz).date(), []).append(
            MySession(
                team=badge(state, session.team.slug),
                room=session.room.name,
                room_href=f"{event_path}/rooms/{path_part(session.room.name)}",
                starts=session.starts,
                ends=session.ends,
                status=session.status.value,
                when=when,
                video=state.video_url(session.team, session.room),
                etherpad=state.etherpad_url(session.team),
                clashes_with=tuple(others),
            )
        )
    return tuple(MyDay(day, tuple(found)) for day, found in sorted(days.items()))


def _clashes(
    state: EventState, followed: set[str]
) -> tuple[tuple[Clash, ...], dict[str, dict[str, str]]]:
    """The clashes, and for each slot in one: {team key: team name} of those meeting."""
    assert state.info is not None
    tz = state.info.timezone
    meeting: dict[str, dict[str, list[str]]] = {}  # slot key -> team key -> room names
    for (room, slot), cell in state.cells.items():
        if cell.team is not None and cell.team in followed:
            meeting.setdefault(slot, {}).setdefault(cell.team, []).append(state.rooms[room].name)
    in_clash = {slot: teams for slot, teams in meeting.items() if len(teams) > 1}
    ordered = sorted(in_clash, key=lambda s: slot_bounds(state.slots[s], tz))
    runs: list[tuple[datetime, datetime, frozenset[str], list[str]]] = []
    for slot in ordered:
        starts, ends = slot_bounds(state.slots[slot], tz)
        teams = frozenset(in_clash[slot])
        rooms = [r for team in sorted(teams) for r in in_clash[slot][team]]
        if runs and runs[-1][2] == teams and runs[-1][1] == starts:
            first, _, _, seen = runs[-1]
            runs[-1] = (first, ends, teams, seen + [r for r in rooms if r not in seen])
        else:
            runs.append((starts, ends, teams, rooms))
    clashes = tuple(
        Clash(
            starts,
            ends,
            tuple(
                sorted(
                    (badge(state, state.teams[k].slug) for k in teams),
                    key=lambda b: b.name.casefold(),
                )
            ),
            tuple(dict.fromkeys(rooms)),
        )
        for starts, ends, teams, rooms in runs
    )
    names = {
        slot: {team: state.teams[team].name for team in teams} for slot, teams in in_clash.items()
    }
    return clashes, names


def _matches(pattern: str, lines: tuple[TeamLine, ...]) -> PatternMatches:
    texts: list[str] = []
    for line in lines:
        candidates = ([f"#{line.slug} now {line.now}"] if line.now else []) + [
            f"#{line.slug} next {topic}" for topic in line.next
        ]
        try:
            texts += [text for text in candidates if matches(pattern, text)]
        except InvalidInput:  # a pattern stored under older rules: it matches nothing
            break
    return PatternMatches(pattern, tuple(texts))
