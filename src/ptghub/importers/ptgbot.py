"""Import of an old PTG bot database (openstack/ptgbot's ``ptg.json``) as a new event.

``import_ptgbot(data, start)`` is pure: the decoded JSON in, the domain events that
create the event out (in the order of an event file: EventCreated, who may change teams,
rooms, slots, teams, cells, then live state), with a report of what was imported and of
every entry that could not be, and why. Bad entries are skipped, never guessed at; only a
database with no usable slot, or a bad slug or time zone, is refused as a whole.

The old format's rules, from the bot's code:

- ``slots``: English weekday name -> ``[{"name", "desc", "realtime"?, "duration"?}]``.
  Weekdays become the first such date on or after ``start``. A slot's times are those of
  ``desc`` (``"09:00-10:45"``, in the event's zone); ``realtime`` (UTC) and ``duration``
  (minutes) only repeat them, and when they disagree with it (or ``realtime`` falls on
  another date than the slot's day) ``desc`` is used and the report says so. Without
  times in ``desc``, the slot starts at the time of ``realtime`` in the event's zone and
  lasts ``duration``.
- ``schedule``: room name -> slot name -> track (``""`` free; a missing slot means the
  room is unavailable then), plus the room's own ``url``, ``desc``, ``cap_icon`` and
  ``cap_desc``, which are not slots: they become the room's video URL, description,
  capability icon and capability.
- A track named in ``schedule`` but missing from ``tracks`` is added, as the bot did.
- ``voice`` 1: only chairs and organizers may change teams. ``last_check_in``: lower-case
  nick -> ``{"nick", "location", "in", "out"}`` with ``"YYYY-MM-DD HH:MM:SS"`` times,
  taken as UTC. ``subscriptions``: nick -> regular expression.
- ``etherpads`` lists only overrides; the bot derived the others from
  ``https://etherpad.opendev.org/p/{eventid}-{track}``, which becomes the event's template.

This module holds the event, its rooms, schedule and team settings; ptgbot_slots.py reads
the slots, ptgbot_live.py the live state (topics, messages of the day, check-ins).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any
from zoneinfo import ZoneInfoNotFoundError

from ptghub.core.errors import InvalidInput
from ptghub.core.events import (
    CellChanged,
    DomainEvent,
    EventCreated,
    RoomAdded,
    SlotAdded,
    TeamAdded,
)
from ptghub.core.model import (
    Cell,
    CellStatus,
    EventFormat,
    EventInfo,
    Room,
    Slot,
    Team,
    room_key,
    slot_key,
    team_key,
)
from ptghub.core.validate import (
    MAX_NAME,
    check_color,
    check_slug,
    check_text,
    check_url,
)
from ptghub.eventfile.values import MAX_DESCRIPTION, RESERVED_SLUGS, zone
from ptghub.importers.ptgbot_live import why
from ptghub.importers.ptgbot_slots import SlotsImport

ROOM_FIELDS = ("url", "desc", "cap_icon", "cap_desc")
KNOWN_KEYS = frozenset(
    {
        *("tracks", "slots", "schedule", "now", "next", "etherpads", "urls", "colors"),
        *("location", "motd", "links", "voice", "eventid", "last_check_in", "subscriptions"),
        "timestamp",
    }
)
_NOT_SLUG = re.compile(r"[^a-z0-9_.-]+")


@dataclass(frozen=True)
class PtgbotImport:
    """The events that create the event, and the report: one line per fact or problem."""

    events: list[DomainEvent]
    imported: list[str]
    skipped: list[str]


def event_slug(eventid: str) -> str:
    """``eventid`` made a valid event slug: lower case, other characters as '-', ≤ 40."""
    slug = _NOT_SLUG.sub("-", eventid.casefold()).strip("-._")[:40].rstrip("-._")
    return check_slug(slug)


def _zone(name: str) -> Any:
    try:
        return zone(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidInput(
            f"Unknown time zone {name!r}; use an IANA name such as UTC or Europe/Paris."
        ) from None


def import_ptgbot(
    data: Any,
    start: date,
    *,
    slug: str | None = None,
    timezone: str = "UTC",
    config: Mapping[str, Any] | None = None,
) -> PtgbotImport:
    """The events creating the event held in the old bot's database ``data``.

    Raises InvalidInput when ``data`` is not a JSON object, when neither ``slug`` nor a
    usable ``eventid`` gives a slug, for an unknown ``timezone``, or when no slot can be
    imported. ``config`` is the old bot's config.json: its ``irc_channel`` becomes the
    event's contact; its other settings belong to the bot, not the event.
    """
    if not isinstance(data, Mapping):
        raise InvalidInput("The database must be a JSON object, as the old PTG bot wrote it.")
    return _Importer(data, start, timezone, config or {}).run(slug)


@dataclass
class _Importer(SlotsImport):
    config: Mapping[str, Any]

    def run(self, slug: str | None) -> PtgbotImport:
        zone = _zone(self.timezone)
        eventid = self.data.get("eventid")
        eventid = eventid if isinstance(eventid, str) and eventid.strip() else None
        if slug is None:
            if eventid is None:
                raise InvalidInput("The database has no eventid; give the event's slug.")
            slug = event_slug(eventid)
        else:
            slug = check_slug(slug)
        slots = self._slots(zone)
        if not slots:
            raise InvalidInput("The database has no usable slot; an event needs at least one.")
        self._tracks()
        rooms, cells = self._schedule(slots)
        for key in sorted(set(self.data) - KNOWN_KEYS):
            self.skipped.append(f"{key}: not a field of the old bot's database, ignored")
        info = self._info(slug, eventid, slots, rooms)
        self._team_settings()
        events: list[DomainEvent] = [EventCreated(info)]
        events += self._voice()
        events += [RoomAdded(room) for room in rooms.values()]
        events += [SlotAdded(slot) for slot in slots.values()]
        events += [TeamAdded(team) for team in sorted(self.teams.values(), key=lambda t: t.key)]
        unavailable = Cell(CellStatus.UNAVAILABLE)
        events += [CellChanged(r, s, unavailable, cell) for (r, s), cell in cells.items()]
        events += self._topics()
        events += self._motd()
        events += self._presence()
        events += self._subscriptions()
        return PtgbotImport(events, self.imported, self.skipped)

    def _info(
        self, slug: str, eventid: str | None, slots: dict[str, Slot], rooms: dict[str, Room]
    ) -> EventInfo:
        links: list[tuple[str, str]] = []
        for title, url in self._dict("links").items():
            try:
                links.append((check_text(title, what="link title", limit=MAX_NAME), check_url(url)))
            except (InvalidInput, TypeError, AttributeError) as error:
                self.skipped.append(f"links: {title!r} skipped: {why(error)}")
        if links:
            self.imported.append(f"{len(links)} links")
        contact = self.config.get("irc_channel")
        contact = contact if isinstance(contact, str) else ""
        if contact:
            self.imported.append(f"contact {contact} (irc_channel of the config)")
        video = any(room.video_url for room in rooms.values())
        info = EventInfo(
            slug=slug,
            name=eventid or slug,
            start=self.start,
            end=max(slot.day for slot in slots.values()),
            timezone=self.timezone,
            format=EventFormat.HYBRID if video else EventFormat.IN_PERSON,
            contact=contact,
            links=tuple(links),
        )
        self.imported.append(
            f"event {slug} ({info.format.value}), {info.start} to {info.end}, {self.timezone}"
        )
        if eventid is None:
            return info
        pads = eventid.replace("{", "{{").replace("}", "}}")
        return replace(info, etherpad_template=f"https://etherpad.opendev.org/p/{pads}-{{team}}")

    def _add_team(self, slug: Any, where: str) -> str | None:
        try:
            team = Team(slug=check_slug(slug), name=slug)
            if team.key in RESERVED_SLUGS:
                raise InvalidInput(f"'#{team.slug}' is a user command, no team's name")
        except (InvalidInput, TypeError, AttributeError) as error:
            self.skipped.append(f"{where}: track {slug!r} skipped: {why(error)}")
            return None
        self.teams.setdefault(team.key, team)
        return team.key

    def _tracks(self) -> None:
        tracks = self.data.get("tracks", [])
        if not isinstance(tracks, list):
            self.skipped.append("tracks: not a JSON list, nothing imported from it")
            tracks = []
        for track in tracks:
            if isinstance(track, str) and team_key(track) in self.teams:
                self.skipped.append(f"tracks: {track!r} is listed twice")
                continue
            self._add_team(track, "tracks")
        self.imported.append(f"{len(self.teams)} tracks as teams")

    def _schedule(
        self, slots: dict[str, Slot]
    ) -> tuple[dict[str, Room], dict[tuple[str, str], Cell]]:
        rooms: dict[str, Room] = {}
        cells: dict[tuple[str, str], Cell] = {}
        added: list[str] = []
        for name, row in self._dict("schedule").items():
            key = room_key(str(name))
            if not isinstance(row, Mapping) or not key or key in rooms:
                self.skipped.append(f"schedule: room {name!r} is not a usable room entry")
                continue
            rooms[key] = self._room(str(name).strip(), row)
            for code, track in row.items():
                if code in ROOM_FIELDS:
                    continue
                slot = slot_key(str(code))
                where = f"schedule: {name} {code}"
                if slot not in slots:
                    self.skipped.append(f"{where} skipped: no such slot")
                    continue
                if track == "":
                    cells[(key, slot)] = Cell(CellStatus.FREE)
                    continue
                known = isinstance(track, str) and team_key(track) in self.teams
                team = self._add_team(track, where)
                if team is None:
                    continue
                if not known:
                    added.append(self.teams[team].slug)
                clash = [r for (r, s), c in cells.items() if s == slot and c.team == team]
                if clash:
                    other = rooms[clash[0]].name
                    self.skipped.append(f"{where} skipped: {track} is already in {other} then")
                    continue
                cells[(key, slot)] = Cell(CellStatus.PLANNED, team)
        if added:
            self.imported.append(f"tracks added from the schedule: {', '.join(added)}")
        planned = sum(cell.team is not None for cell in cells.values())
        self.imported.append(f"{len(rooms)} rooms")
        self.imported.append(f"{len(cells)} schedule cells ({planned} planned)")
        order = {room: i for i, room in enumerate(rooms)}
        slot_order = {slot: i for i, slot in enumerate(slots)}
        ordered = sorted(cells.items(), key=lambda c: (order[c[0][0]], slot_order[c[0][1]]))
        return rooms, dict(ordered)

    def _room(self, name: str, row: Mapping[str, Any]) -> Room:
        url: str | None = None
        if "url" in row:
            try:
                url = check_url(row["url"], what="room URL")
            except (InvalidInput, TypeError, AttributeError) as error:
                self.skipped.append(f"schedule: {name} url skipped: {why(error)}")
        texts = {"desc": "description", "cap_desc": "capability", "cap_icon": "capability icon"}
        limits = {"desc": MAX_DESCRIPTION, "cap_desc": MAX_DESCRIPTION, "cap_icon": MAX_NAME}
        fields: dict[str, str] = {}
        for key, what in texts.items():
            value = row.get(key)
            if value is None or value == "":
                continue
            try:
                fields[key] = check_text(value, what=f"room {what}", limit=limits[key])
            except (InvalidInput, TypeError, AttributeError) as error:
                self.skipped.append(f"schedule: {name} {key} skipped: {why(error)}")
        if "cap_desc" in fields or "cap_icon" in fields:
            self.imported.append(f"room {name}: capability and its icon")
        return Room(
            name=name,
            video_url=url,
            description=fields.get("desc", ""),
            capability=fields.get("cap_desc", ""),
            capability_icon=fields.get("cap_icon", ""),
        )

    def _team_settings(self) -> None:
        checks = {"colors": ("color", check_color), "urls": ("video_url", check_url)}
        checks["etherpads"] = ("etherpad", check_url)
        for key, (attribute, check) in checks.items():
            count = 0
            for track, value in self._dict(key).items():
                team = self.teams.get(team_key(str(track)))
                try:
                    if team is None:
                        raise InvalidInput("no such track")
                    checked = check(value)
                except (InvalidInput, TypeError, AttributeError) as error:
                    self.skipped.append(f"{key}: {track!r} skipped: {why(error)}")
                    continue
                self.teams[team.key] = Team(**{**asdict(team), attribute: checked})
                count += 1
            if count:
                self.imported.append(f"{count} {key}")
