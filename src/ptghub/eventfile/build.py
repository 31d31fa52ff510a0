"""The whole-file checks of a well-formed event file and the building of its domain events.

The models of ``schema`` check each value on its own; ``Builder`` checks what needs the
whole file: duplicates, per-day slots, the slot codes named by rooms and the schedule, and
the schedule's teams (a team in one room at a time). It collects every problem it finds,
as (field path, message); the loader turns them into ``Problem``s with lines.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from ptghub.core.events import (
    CellChanged,
    DomainEvent,
    EventCreated,
    OpenToEveryoneChanged,
    RoleGranted,
    RoomAdded,
    SlotAdded,
    TeamAdded,
)
from ptghub.core.model import (
    PAGE_NAMES,
    Cell,
    CellStatus,
    Chat,
    EventInfo,
    IrcChat,
    Role,
    RoleKind,
    Room,
    Slot,
    Social,
    Team,
    nick_key,
    room_key,
    slot_key,
    team_key,
)
from ptghub.eventfile.schema import EventSpec, SlotSpec
from ptghub.eventfile.values import zone
from ptghub.eventfile.yamlnodes import Loc, format_path

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _close(word: str, candidates: Iterable[str]) -> str:
    options = {candidate.casefold(): candidate for candidate in candidates}
    match = difflib.get_close_matches(word.casefold(), list(options), n=1)
    return f" (did you mean {options[match[0]]!r}?)" if match else ""


class Builder:
    """Checks a well-formed file as a whole and builds its domain events.

    ``line(loc)`` is the line of a field path, for messages such as "first on line 12".
    """

    def __init__(self, spec: EventSpec, line: Callable[[Loc], int]) -> None:
        self.spec = spec
        self._line = line
        self.problems: list[tuple[Loc, str]] = []
        self.day_codes: dict[str, list[str]] = {}  # day code key -> its slot keys
        self.first_room: dict[str, int] = {}  # room key -> index in rooms
        self.first_team: dict[str, int] = {}  # team key -> index in teams

    def _problem(self, loc: Loc, message: str) -> None:
        self.problems.append((loc, message))

    def build(self) -> list[DomainEvent]:
        slots = self._slots()
        rooms = self._rooms()
        teams = self._onboarding(self._teams(), slots)
        closed = self._unavailable(slots)
        plan = self._schedule(rooms, slots, teams, closed)
        roles = self._roles()
        events: list[DomainEvent] = [EventCreated(self._info())]
        if not self.spec.open_to_everyone:
            events.append(OpenToEveryoneChanged(True, False))
        events += [RoomAdded(room) for room in rooms.values()]
        events += [SlotAdded(slot) for slot in slots.values()]
        events += [TeamAdded(team) for team in teams.values()]
        for room in rooms:
            for slot in slots:
                if (room, slot) in closed:
                    continue
                team = plan.get((room, slot))
                new = Cell(CellStatus.PLANNED, team) if team else Cell(CellStatus.FREE)
                events.append(CellChanged(room, slot, Cell(CellStatus.UNAVAILABLE), new))
        events += [RoleGranted(role) for role in roles]
        return events

    def _info(self) -> EventInfo:
        spec, local = self.spec, zone(self.spec.timezone)

        def utc(moment: datetime) -> datetime:
            return moment.replace(tzinfo=moment.tzinfo or local).astimezone(UTC)

        socials = [
            Social(s.title, utc(s.start), utc(s.end), s.url, s.description) for s in spec.socials
        ]
        info = EventInfo(
            **spec.model_dump(
                include={
                    "slug",
                    "name",
                    "start",
                    "end",
                    "timezone",
                    "format",
                    "contact",
                    "show_checkin_nicks",
                }
            ),
            pages=tuple((name, spec.pages[name]) for name in PAGE_NAMES if name in spec.pages),
            links=tuple(spec.links.items()),
            socials=tuple(socials),
            chat=self._chat(),
        )
        if spec.etherpad_template:
            info = replace(info, etherpad_template=spec.etherpad_template)
        return info

    def _chat(self) -> Chat:
        chat = self.spec.chat
        if chat is None:
            return Chat()
        irc = IrcChat(chat.irc.network, chat.irc.channel, chat.irc.server) if chat.irc else None
        return Chat(irc, chat.matrix.room if chat.matrix else None)

    def _slots(self) -> dict[str, Slot]:
        """Every slot of the event by key, in chronological order."""
        spec = self.spec
        dates = [spec.start + timedelta(days=n) for n in range((spec.end - spec.start).days + 1)]
        repeated = len(dates) > len(WEEKDAYS)
        self._check_day(spec.slots, ("slots",))
        overrides: dict[date, int] = {}
        for i, override in enumerate(spec.days):
            loc: Loc = ("days", i, "date")
            if not spec.start <= override.date <= spec.end:
                days = f"{spec.start} to {spec.end}"
                self._problem(loc, f"{override.date} is not a day of the event ({days})")
            elif override.date in overrides:
                first = self._line(("days", overrides[override.date], "date"))
                self._problem(loc, f"day {override.date} is listed twice (first on line {first})")
            else:
                overrides[override.date] = i
                self._check_day(override.slots, ("days", i, "slots"))
        result: list[Slot] = []
        for day in dates:
            prefix = WEEKDAYS[day.weekday()] + (f"{day.day:02d}" if repeated else "")
            specs = spec.days[overrides[day]].slots if day in overrides else spec.slots
            day_slots = [
                Slot(f"{prefix}-{s.name}", day, s.start, s.end)
                for s in sorted(specs, key=lambda s: (s.start, s.end))
            ]
            self.day_codes[slot_key(prefix)] = [slot.key for slot in day_slots]
            result += day_slots
        return {slot.key: slot for slot in result}

    def _check_day(self, specs: Sequence[SlotSpec], loc: Loc) -> None:
        """Slot names are unique within a day and slots do not overlap."""
        names = [(s.name.casefold(), s.name) for s in specs]
        self._firsts(names, lambda i: (*loc, i, "name"), "slot name")
        latest: SlotSpec | None = None
        for i in sorted(range(len(specs)), key=lambda i: (specs[i].start, specs[i].end)):
            spec = specs[i]
            if latest is not None and spec.start < latest.end:
                self._problem(
                    (*loc, i),
                    f"{spec.name} ({spec.start:%H:%M}-{spec.end:%H:%M}) overlaps "
                    f"{latest.name} ({latest.start:%H:%M}-{latest.end:%H:%M})",
                )
            if latest is None or spec.end > latest.end:
                latest = spec

    def _firsts(
        self, items: Sequence[tuple[str, str]], loc: Callable[[int], Loc], what: str
    ) -> dict[str, int]:
        """The index of the first item of each key; a later item with the key is a duplicate.

        ``items`` are (key, name as written); ``loc(i)`` says where item ``i`` is.
        """
        first: dict[str, int] = {}
        for i, (key, name) in enumerate(items):
            if key in first:
                line = self._line(loc(first[key]))
                self._problem(loc(i), f"duplicate {what} {name!r} (first on line {line})")
            else:
                first[key] = i
        return first

    def _rooms(self) -> dict[str, Room]:
        specs = self.spec.rooms
        keys = [(room_key(room.name), room.name) for room in specs]
        self.first_room = self._firsts(keys, lambda i: ("rooms", i, "name"), "room name")
        return {
            key: Room(**specs[i].model_dump(exclude={"unavailable"}))
            for key, i in self.first_room.items()
        }

    def _teams(self) -> dict[str, Team]:
        specs = self.spec.teams
        keys = [(team_key(team.slug), team.slug) for team in specs]
        self.first_team = self._firsts(keys, lambda i: ("teams", i, "slug"), "team slug")
        return {
            key: Team(**specs[i].model_dump(exclude={"chairs"}))
            for key, i in self.first_team.items()
        }

    def _onboarding(self, teams: dict[str, Team], slots: dict[str, Slot]) -> dict[str, Team]:
        """Each team's onboarding slot as the slot's own code; naming one implies
        ``onboarding``."""
        for key, i in self.first_team.items():
            code = self.spec.teams[i].onboarding_slot
            if code is None:
                continue
            slot = slots.get(slot_key(code))
            if slot is None:
                hint = _close(code, (s.code for s in slots.values()))
                self._problem(("teams", i, "onboarding_slot"), f"unknown slot {code!r}{hint}")
                continue
            teams[key] = replace(teams[key], onboarding=True, onboarding_slot=slot.code)
        return teams

    def _unavailable(self, slots: dict[str, Slot]) -> dict[tuple[str, str], Loc]:
        """The unavailable (room key, slot key) cells, each with where it was said."""
        closed: dict[tuple[str, str], Loc] = {}
        codes = [slot.code for slot in slots.values()]
        codes += [slot.code.partition("-")[0] for slot in slots.values()]
        for room, i in self.first_room.items():
            for j, code in enumerate(self.spec.rooms[i].unavailable):
                key, loc = slot_key(code), ("rooms", i, "unavailable", j)
                cells = [key] if key in slots else self.day_codes.get(key)
                if cells is None:
                    self._problem(loc, f"unknown slot or day {code!r}{_close(code, codes)}")
                for slot in cells or ():
                    closed.setdefault((room, slot), loc)
        return closed

    def _schedule(
        self,
        rooms: dict[str, Room],
        slots: dict[str, Slot],
        teams: dict[str, Team],
        closed: dict[tuple[str, str], Loc],
    ) -> dict[tuple[str, str], str]:
        plan: dict[tuple[str, str], str] = {}
        where: dict[tuple[str, str], tuple[str, Loc]] = {}  # (team, slot) -> (room, loc)
        room_locs: dict[str, Loc] = {}
        for room_name, cells in self.spec.schedule.items():
            loc: Loc = ("schedule", room_name)
            room = room_key(room_name)
            if room not in rooms:
                hint = _close(room_name, (r.name for r in rooms.values()))
                self._problem(loc, f"unknown room {room_name!r}{hint}")
                continue
            if room in room_locs:
                line = self._line(room_locs[room])
                self._problem(
                    loc, f"room {rooms[room].name!r} is listed twice (first on line {line})"
                )
                continue
            room_locs[room] = loc
            slot_locs: dict[str, Loc] = {}
            for code, slug in cells.items():
                cell_loc: Loc = (*loc, code)
                slot, team = slot_key(code), team_key(slug)
                if slot not in slots:
                    hint = _close(code, (s.code for s in slots.values()))
                    self._problem(cell_loc, f"unknown slot {code!r}{hint}")
                    continue
                code = slots[slot].code
                if slot in slot_locs:
                    line = self._line(slot_locs[slot])
                    self._problem(cell_loc, f"slot {code} is listed twice (first on line {line})")
                    continue
                slot_locs[slot] = cell_loc
                if team not in teams:
                    hint = _close(slug, (t.slug for t in teams.values()))
                    self._problem(cell_loc, f"unknown team {slug!r}{hint}")
                    continue
                if (room, slot) in closed:
                    said = closed[(room, slot)]
                    self._problem(
                        cell_loc,
                        f"{rooms[room].name} is unavailable at {code} "
                        f"({format_path(said)}, line {self._line(said)})",
                    )
                    continue
                if (team, slot) in where:
                    other, other_loc = where[(team, slot)]
                    self._problem(
                        cell_loc,
                        f"team {teams[team].slug!r} is already in {rooms[other].name} at {code} "
                        f"(line {self._line(other_loc)}); a team is in one room at a time",
                    )
                    continue
                where[(team, slot)] = (room, cell_loc)
                plan[(room, slot)] = team
        return plan

    def _roles(self) -> list[Role]:
        roles: list[Role] = []
        wanted: list[tuple[Loc, str, Role]] = [
            (("organizers", i), nick, Role(nick_key(nick), RoleKind.ORGANIZER))
            for i, nick in enumerate(self.spec.organizers)
        ]
        for team, i in self.first_team.items():
            wanted += [
                (("teams", i, "chairs", j), nick, Role(nick_key(nick), RoleKind.CHAIR, team))
                for j, nick in enumerate(self.spec.teams[i].chairs)
            ]
        first: dict[Role, Loc] = {}
        for loc, nick, role in wanted:
            if role in first:
                line = self._line(first[role])
                self._problem(loc, f"duplicate {role.kind} {nick!r} (first on line {line})")
                continue
            first[role] = loc
            roles.append(role)
        return roles
