"""Loading an event definition file: YAML text to the domain events that create the event.

Loading runs in two passes, each reporting every problem it finds at once:

1. YAML syntax, then duplicate keys and the models of ``schema`` (types, unknown keys,
   each value on its own);
2. once the file is well-formed: duplicates, per-day slots, the slot codes named by
   rooms and the schedule, and the schedule's teams (a team in one room at a time).

Every problem names the file, the line and the field path (``teams[3].kind``); lines are
found by walking the YAML node tree along the path, so they point at what was written.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ptghub.core.errors import InvalidInput
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
    EventInfo,
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
from ptghub.eventfile.schema import EventSpec, SlotSpec, error_message, zone

Loc = tuple[int | str, ...]
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem of an event file; ``line`` is 1-based, ``path`` like ``teams[3].kind``."""

    source: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class EventFileError(InvalidInput):
    """An event file cannot be loaded; the message lists every problem, one per line."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(problems, key=lambda problem: problem.line or 0))
        super().__init__("\n".join(str(problem) for problem in self.problems))


def load_event_file(path: Path) -> list[DomainEvent]:
    """The domain events that create the event defined in the YAML file at ``path``."""
    source = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        raise EventFileError([Problem(source, line, "", "the file is not UTF-8 text")]) from None
    except OSError as error:
        message = f"cannot read the file: {error.strerror or error}"
        raise EventFileError([Problem(source, None, "", message)]) from None
    return load_event_text(text, source)


def load_event_text(text: str, source: str) -> list[DomainEvent]:
    """The domain events that create the event defined by YAML ``text`` (from ``source``)."""
    root, data = _parse(text, source)

    def line(loc: Loc) -> int:
        return _line(root, loc)

    def problem(loc: Loc, message: str) -> Problem:
        return Problem(source, line(loc), format_path(loc), message)

    problems = [Problem(source, n, format_path(loc), m) for n, loc, m in _duplicate_keys(root)]
    try:
        spec = EventSpec.model_validate(data)
    except ValidationError as error:
        details = error.errors(include_url=False)
        bad_keys = {tuple(d["loc"])[:-1] for d in details if d["loc"][-1:] == ("[key]",)}
        details = [d for d in details if tuple(d["loc"]) not in bad_keys]  # just say the key
        problems += [problem(tuple(d["loc"]), error_message(d)) for d in details]
        raise EventFileError(problems) from None
    if problems:
        raise EventFileError(problems)
    builder = _Builder(spec, line)
    events = builder.build()
    if builder.problems:
        raise EventFileError(problem(loc, message) for loc, message in builder.problems)
    return events


def format_path(loc: Loc) -> str:
    """``('teams', 3, 'kind')`` as ``teams[3].kind``; keys that are not plain are quoted."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            path += f".{part}" if path else part
        elif part != "[key]":  # pydantic's marker of an error in a mapping's key
            path += f"[{part!r}]"
    return path


class _Loader(yaml.SafeLoader):
    """SafeLoader, except that an impossible date is reported with its line."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)  # type: ignore[arg-type]
        except ValueError as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a valid date ({error})", node.start_mark
            ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _parse(text: str, source: str) -> tuple[yaml.Node | None, Any]:
    """The node tree and the data of the one YAML document in ``text``."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = error.problem or error.context or "unknown problem"
        if error.context and error.problem and error.problem.startswith("but "):
            message = f"{error.context}, {error.problem}"  # "expected X, but found Y"
        elif error.context and error.problem:
            where = f" on line {error.context_mark.line + 1}" if error.context_mark else ""
            message += f" ({error.context}{where})"
        line = mark.line + 1 if mark else None
        raise EventFileError([Problem(source, line, "", f"invalid YAML: {message}")]) from None
    except yaml.YAMLError as error:
        raise EventFileError([Problem(source, None, "", f"invalid YAML: {error}")]) from None
    except RecursionError:
        raise EventFileError([Problem(source, None, "", "the YAML is nested too deeply")]) from None
    finally:
        loader.dispose()


def _line(root: yaml.Node | None, loc: Loc) -> int:
    """The line of ``loc`` in the node tree: of its key in a mapping, of its item in a list.

    Where the path leaves the tree (a missing field), the line of the last node found.
    """
    node, line = root, (root.start_mark.line + 1 if root else 1)
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            matches = [(k, v) for k, v in node.value if _scalar(k) == str(part)]
            if not matches:
                break
            key, node = matches[-1]  # the value that a duplicated key ends up with
            line = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _scalar(node: yaml.Node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _duplicate_keys(root: yaml.Node | None) -> list[tuple[int, Loc, str]]:
    """(line, path, message) of each key written twice in a mapping (YAML keeps the last)."""
    found: list[tuple[int, Loc, str]] = []
    seen: set[int] = set()  # ids of the nodes walked: an alias repeats a node
    stack: list[tuple[yaml.Node, Loc]] = [(root, ())] if root is not None else []
    while stack:
        node, loc = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*loc, i)) for i, item in enumerate(node.value))
        elif isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, value in node.value:
                name, line = _scalar(key), key.start_mark.line + 1
                if name is None or name == "<<":
                    continue
                if name in first:
                    found.append(
                        (line, (*loc, name), f"duplicate key (first on line {first[name]})")
                    )
                else:
                    first[name] = line
                stack.append((value, (*loc, name)))
    return found


def _close(word: str, candidates: Iterable[str]) -> str:
    options = {candidate.casefold(): candidate for candidate in candidates}
    match = difflib.get_close_matches(word.casefold(), list(options), n=1)
    return f" (did you mean {options[match[0]]!r}?)" if match else ""


class _Builder:
    """Checks a well-formed file as a whole and builds its domain events."""

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
        teams = self._teams()
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
                include={"slug", "name", "start", "end", "timezone", "format", "contact"}
            ),
            pages=tuple((name, spec.pages[name]) for name in PAGE_NAMES if name in spec.pages),
            links=tuple(spec.links.items()),
            socials=tuple(socials),
        )
        if spec.etherpad_template:
            info = replace(info, etherpad_template=spec.etherpad_template)
        return info

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
