"""The organizers' changes that no command line expresses, as ``Store.change`` builders.

A team's display name, whether a room is bookable, which cells of the grid are open, and
the text of the event's pages: the organizers' web pages make these (``web/organize_*``).
Each builder is pure, like those of ``commands.needs``: it sees the state under the write
claim and the actor (with their other nicks), checks that the actor organizes the event,
checks the input against that very state and returns the domain events, or raises a
PtgError saying what is wrong and nothing changes. A change to what already holds makes
no events (the store then records nothing).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from ptghub.commands.cells import cell_name
from ptghub.core.errors import Conflict, InvalidInput, NotFound
from ptghub.core.events import CellChanged, DomainEvent, EventInfoChanged, RoomChanged, TeamChanged
from ptghub.core.model import (
    FREE,
    PAGE_NAMES,
    Actor,
    Cell,
    CellStatus,
    EventState,
    Room,
    Slot,
    room_key,
    slot_key,
)
from ptghub.core.permissions import require_organizer, require_team
from ptghub.core.validate import MAX_NAME, check_text, shorten

Build = Callable[[EventState, Actor], Sequence[DomainEvent]]

MAX_PAGE = 50_000  # as in the event file (eventfile.values.MAX_PAGE)
_CLOSED = Cell(CellStatus.UNAVAILABLE)


def rename_team(team: str, name: str) -> Build:
    """Show ``team`` (its slug) as ``name``; its slug, what people type, stays."""

    def build(state: EventState, actor: Actor) -> Sequence[DomainEvent]:
        require_organizer(state, actor, "Renaming a team")
        found = require_team(state, team.removeprefix("#"))
        new = check_text(name, what="team name", limit=MAX_NAME)
        return [] if new == found.name else [TeamChanged(found, replace(found, name=new))]

    return build


def _room(state: EventState, name: str) -> Room:
    room = state.rooms.get(room_key(name))
    if room is None:
        known = ", ".join(r.name for r in state.rooms.values()) or "none"
        raise NotFound(f"Unknown room '{shorten(name)}'; the rooms are: {known}.")
    return room


def _slot(state: EventState, code: str) -> Slot:
    slot = state.slots.get(slot_key(code))
    if slot is None:
        raise NotFound(
            f"Unknown slot '{shorten(code)}': expected a slot code such as "
            f"'{next(iter(state.slots.values())).code if state.slots else 'Mon-A1'}'."
        )
    return slot


def set_bookable(room: str, bookable: bool) -> Build:
    """Let teams book the room's free cells themselves (``bookable``), or keep it for the
    organizers (the planner leaves it out; its cells stay as they are)."""

    def build(state: EventState, actor: Actor) -> Sequence[DomainEvent]:
        require_organizer(state, actor, "Changing a room")
        found = _room(state, room)
        if found.bookable == bookable:
            return []
        return [RoomChanged(found, replace(found, bookable=bookable))]

    return build


def _availability(state: EventState, wanted: Mapping[tuple[str, str], bool]) -> list[DomainEvent]:
    """The events that open (True) or close (False) the cells ``wanted`` names by keys.

    Closing a cell that a team holds, or that is pinned for the planner, is refused with
    the cell's name and what to do first: a cell never disappears from under a team."""
    events: list[DomainEvent] = []
    for (room, slot), open_ in wanted.items():
        cell = state.cell(room, slot)
        if open_ and cell.status is CellStatus.UNAVAILABLE:
            events.append(CellChanged(room, slot, _CLOSED, FREE))
        elif not open_ and cell.status is not CellStatus.UNAVAILABLE:
            where = cell_name(state, room, slot)
            if cell.team is not None:
                team = state.teams[cell.team].slug
                raise Conflict(
                    f"{where} is {cell.status.value} for {team}; free it first "
                    f"('#{team} unbook {where}') before making it unavailable."
                )
            if (room, slot) in state.pins:
                raise Conflict(f"{where} is pinned for the planner; unpin it first.")
            events.append(CellChanged(room, slot, cell, _CLOSED))
    return events


def set_cells(cells: Iterable[tuple[str, str, bool]]) -> Build:
    """Open or close cells, each given as (room name, slot code, available)."""
    given = list(cells)

    def build(state: EventState, actor: Actor) -> Sequence[DomainEvent]:
        require_organizer(state, actor, "Changing the grid")
        wanted = {
            (_room(state, room).key, _slot(state, slot).key): available
            for room, slot, available in given
        }
        return _availability(state, wanted)

    return build


def set_slot(slot: str, open_rooms: Iterable[str]) -> Build:
    """Make the cells of ``slot`` in the rooms ``open_rooms`` (names) available and its
    cells in every other room unavailable: the organizers' form of one slot."""
    names = list(open_rooms)

    def build(state: EventState, actor: Actor) -> Sequence[DomainEvent]:
        require_organizer(state, actor, "Changing the grid")
        key = _slot(state, slot).key
        opened = {_room(state, name).key for name in names}
        return _availability(state, {(room, key): room in opened for room in state.rooms})

    return build


def check_page(text: str) -> str:
    """A page's Markdown as stored: line ends made ``\\n`` (browsers send ``\\r\\n``),
    stripped, printable text with tabs and line breaks, at most ``MAX_PAGE`` characters.
    Empty is allowed: the event then has no such page."""
    page = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    for line, content in enumerate(page.split("\n"), start=1):
        for char in content:
            if unicodedata.category(char)[0] == "C" and char not in "\t\u200c\u200d":
                raise InvalidInput(
                    f"The page contains a non-printable character (U+{ord(char):04X}) on "
                    f"line {line}; use printable text only."
                )
    if len(page) > MAX_PAGE:
        raise InvalidInput(
            f"The page is {len(page)} characters long; at most {MAX_PAGE} are allowed."
        )
    return page


def set_page(name: str, text: str) -> Build:
    """Replace the Markdown of the event's page ``name`` (``about``, ``faq``,
    ``code_of_conduct``...); empty text removes the page. Rendering sanitizes it
    (``web.templating.markdown``: no raw HTML, only http(s) and mailto links)."""

    def build(state: EventState, actor: Actor) -> Sequence[DomainEvent]:
        require_organizer(state, actor, "Editing the event's pages")
        if name not in PAGE_NAMES:
            raise InvalidInput(
                f"Unknown page '{shorten(name)}': expected one of {', '.join(PAGE_NAMES)}."
            )
        page = check_page(text)
        assert state.info is not None  # an event's state always has its details
        old = state.info
        if old.page(name) == page:
            return []
        pages = {**dict(old.pages), name: page}
        # The event file's order of pages, empty ones left out (a page is there or not).
        new_pages = tuple((n, pages[n]) for n in PAGE_NAMES if pages.get(n))
        return [EventInfoChanged(old, replace(old, pages=new_pages))]

    return build
