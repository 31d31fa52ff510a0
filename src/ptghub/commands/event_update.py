"""Updating a loaded event from its edited file, as one audited (and undoable) change.

``plan_update(state, target)`` compares the event as it is with the state its file now
defines (``target``) and returns the differences (``event_diff``) and the domain events
that make them, ordered so that each applies and so that their inverses, in reverse,
undo the whole update:

1. the event's details (pages, links, socials...) and who may change teams;
2. what removals need first: pins and cells of the cells that go (a removed room or
   slot, a cell now unavailable, a removed team's cells), then the removed teams'
   chairs, topics, topics' outcomes and needs (a chair or organizer the file does not
   name is kept: it may have been granted in the chat);
3. the removals (teams, rooms, slots; the rooms and slots that go are first moved last,
   so that undoing puts them back where they were), the additions and changes, the
   file's order of rooms and slots;
4. the cells that open or that the file plans for a team, then the new roles.

The schedule during the event belongs to the event: a cell the file leaves free keeps
its planned or booked team; a cell the file plans for a team gets it. A change that
would take a cell from its team because of a removal (``Update.held``) is refused with
the list, unless the caller says to free those cells.

``EventUpdater`` is the ``Store.change`` builder that the CLI and the API share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ptghub.commands.event_diff import (
    Difference,
    field_changes,
    info_differences,
    revoked_roles,
    role_differences,
    show,
)
from ptghub.commands.track import outcome_removals
from ptghub.core.apply import apply_all
from ptghub.core.errors import Conflict, InvalidInput
from ptghub.core.events import (
    CellChanged,
    DomainEvent,
    EventInfoChanged,
    NeedsChanged,
    OpenToEveryoneChanged,
    PinChanged,
    RoleGranted,
    RoleRevoked,
    RoomAdded,
    RoomChanged,
    RoomRemoved,
    RoomsReordered,
    SlotAdded,
    SlotChanged,
    SlotRemoved,
    SlotsReordered,
    TeamAdded,
    TeamChanged,
    TeamRemoved,
    TopicsChanged,
)
from ptghub.core.model import FREE, Actor, Cell, CellStatus, EventState, Topics
from ptghub.core.needs import removal_events
from ptghub.core.permissions import require_organizer
from ptghub.eventfile import load_event_text

UNAVAILABLE = Cell(CellStatus.UNAVAILABLE)


@dataclass(frozen=True, slots=True)
class HeldCell:
    """A cell that a team holds (planned or booked) and the update would take from it."""

    room: str  # the room's name
    slot: str  # the slot's code
    team: str  # the team's slug
    why: str  # "room removed", "slot removed", "now unavailable", "team removed"

    def __str__(self) -> str:
        return f"{self.room} {self.slot}: {self.team} ({self.why})"


@dataclass
class Update:
    """The differences, the cells taken from their teams, the events (in order)."""

    differences: list[Difference] = field(default_factory=list)
    held: list[HeldCell] = field(default_factory=list)
    events: list[DomainEvent] = field(default_factory=list)
    refusal: str | None = None  # of a dry run: why the update would be refused


def target_state(text: str, source: str) -> EventState:
    """The state an event file defines, as if it were loaded afresh."""
    return apply_all(EventState(), load_event_text(text, source))


def held_refusal(held: Sequence[HeldCell]) -> str:
    """Why the update is refused while cells would be taken from their teams."""
    lines = "\n".join(f"  {cell}" for cell in held)
    return (
        f"The update would take {len(held)} cell(s) of the schedule from their teams:\n"
        f"{lines}\nMove or unbook them first, or say to free them "
        '(ptghub event update --free-cells; "free_cells": true in the API).'
    )


def plan_update(state: EventState, target: EventState) -> Update:
    """What updating ``state`` to the event ``target`` defines changes, and how."""
    assert state.info is not None and target.info is not None
    if state.info.slug != target.info.slug:
        raise InvalidInput(
            f"The file defines the event '{target.info.slug}', not '{state.info.slug}': "
            "the slug cannot change (load the file as a new event instead)."
        )
    return _Planner(state, target).plan()


class _Planner:
    def __init__(self, state: EventState, target: EventState) -> None:
        self.s, self.t = state, target
        self.update = Update()
        self.gone_teams = [k for k in state.teams if k not in target.teams]
        self.gone_rooms = [k for k in state.rooms if k not in target.rooms]
        self.gone_slots = [k for k in state.slots if k not in target.slots]
        self.release: list[DomainEvent] = []  # cells that lose a team or close
        self.assign: list[DomainEvent] = []  # cells that open or get a team

    def note(self, kind: str, text: str) -> None:
        self.update.differences.append(Difference(kind, text))

    def plan(self) -> Update:
        s, t, events = self.s, self.t, self.update.events
        assert s.info is not None and t.info is not None
        self.update.differences += info_differences(s.info, t.info)
        if s.info != t.info:
            events.append(EventInfoChanged(s.info, t.info))
        if s.open_to_everyone != t.open_to_everyone:
            self.note(
                "event",
                f"open to everyone: {show(s.open_to_everyone)} -> {show(t.open_to_everyone)}",
            )
            events.append(OpenToEveryoneChanged(s.open_to_everyone, t.open_to_everyone))
        self._cells()
        events += self.release
        self.update.differences += role_differences(s, t)
        events += [RoleRevoked(role) for role in sorted(revoked_roles(s, t))]
        events += self._team_removals()
        events += self._rooms_and_slots()
        events += self._teams()
        events += self.assign
        events += [RoleGranted(role) for role in sorted(t.roles - s.roles)]
        return self.update

    # -- the schedule ----------------------------------------------------------------

    def _final(self, room: str, slot: str, now: Cell) -> Cell:
        """What a cell of the file's grid holds after the update."""
        wanted = self.t.cell(room, slot)
        if wanted.status is CellStatus.UNAVAILABLE:
            return UNAVAILABLE
        if wanted.team is None:  # free in the file: a team the event gave it stays
            return now if now.team is not None and now.team in self.t.teams else FREE
        return now if now.team == wanted.team else wanted

    def _cells(self) -> None:
        s, t = self.s, self.t
        changes: dict[tuple[str, str], tuple[Cell, Cell, str]] = {}
        for (room, slot), now in s.cells.items():
            if room in self.gone_rooms or slot in self.gone_slots:
                why = "room removed" if room in self.gone_rooms else "slot removed"
                changes[(room, slot)] = (now, UNAVAILABLE, why)
        for room in t.rooms:
            for slot in t.slots:
                known = room in s.rooms and slot in s.slots
                now = s.cell(room, slot) if known else UNAVAILABLE
                final = self._final(room, slot, now)
                if final != now:
                    why = "now unavailable" if final == UNAVAILABLE else "team removed"
                    changes[(room, slot)] = (now, final, why)
        closing = {where for where, (_, final, _) in changes.items() if final == UNAVAILABLE}
        self.release += [
            PinChanged(room, slot, team, None)
            for (room, slot), team in s.pins.items()
            if (room, slot) in closing or team in self.gone_teams
        ]
        rooms = list(dict.fromkeys([*s.rooms, *t.rooms]))
        slots = list(dict.fromkeys([*s.slots, *t.slots]))
        for room, slot in sorted(changes, key=lambda c: (slots.index(c[1]), rooms.index(c[0]))):
            self._cell_change(room, slot, *changes[(room, slot)])

    def _cell_change(self, room: str, slot: str, now: Cell, final: Cell, why: str) -> None:
        s, t = self.s, self.t
        rooms, slots = {**s.rooms, **t.rooms}, {**s.slots, **t.slots}
        name, code, before = rooms[room].name, slots[slot].code, now
        if now.team is not None and final.team != now.team:
            if final.team is None:
                team = s.teams[now.team].slug
                self.update.held.append(HeldCell(name, code, team, why))
            # Emptied before any cell gets a team: teams may swap cells in one update.
            self.release.append(CellChanged(room, slot, now, final if final.team is None else FREE))
            now = final if final.team is None else FREE
        elif final == UNAVAILABLE:
            self.release.append(CellChanged(room, slot, now, final))
            now = final
        if final != now:
            self.assign.append(CellChanged(room, slot, now, final))
        new_grid = room in s.rooms and slot in s.slots
        if final.team is not None:
            was = s.teams[before.team].slug if before.team else before.status.value
            self.note("schedule", f"{name} {code}: planned {t.teams[final.team].slug} (was {was})")
        elif new_grid and room in t.rooms and slot in t.slots:
            self.note(
                "schedule", f"{name} {code}: {final.status.value} (was {before.status.value})"
            )

    # -- teams, rooms, slots ---------------------------------------------------------

    def _team_removals(self) -> list[DomainEvent]:
        s, gone = self.s, set(self.gone_teams)
        events: list[DomainEvent] = []
        for key in self.gone_teams:
            topics = s.topics_of(key)
            if not topics.is_empty():
                events.append(TopicsChanged(key, topics, Topics()))
            events += outcome_removals(s, key)
        # Pins went with the cells; the needs of the teams that go, and others' mentions.
        events += [e for e in removal_events(s, gone) if isinstance(e, NeedsChanged)]
        return events

    def _rooms_and_slots(self) -> list[DomainEvent]:
        s, t = self.s, self.t
        events: list[DomainEvent] = []
        kept_rooms = [k for k in s.rooms if k in t.rooms]
        kept_slots = [k for k in s.slots if k in t.slots]
        # What goes is moved last first, so that undoing it (which adds at the end)
        # leaves the order as it was.
        if list(s.rooms) != kept_rooms + self.gone_rooms:
            events.append(RoomsReordered(tuple(s.rooms), tuple(kept_rooms + self.gone_rooms)))
        if list(s.slots) != kept_slots + self.gone_slots:
            events.append(SlotsReordered(tuple(s.slots), tuple(kept_slots + self.gone_slots)))
        events += [TeamRemoved(s.teams[k]) for k in self.gone_teams]
        for key in self.gone_teams:
            self.note("teams", f"removed {s.teams[key].slug} ({s.teams[key].name})")
        # Removed from the end, so that the rows' positions stay those of the order.
        events += [RoomRemoved(s.rooms[key]) for key in reversed(self.gone_rooms)]
        events += [SlotRemoved(s.slots[key]) for key in reversed(self.gone_slots)]
        for key in self.gone_rooms:
            self.note("rooms", f"removed {s.rooms[key].name}")
        for key in self.gone_slots:
            self.note("slots", f"removed {s.slots[key].code}")
        new_rooms = [k for k in t.rooms if k not in s.rooms]
        new_slots = [k for k in t.slots if k not in s.slots]
        for key in new_rooms:
            events.append(RoomAdded(t.rooms[key]))
            self.note("rooms", f"added {t.rooms[key].name}")
        for key in new_slots:
            slot = t.slots[key]
            events.append(SlotAdded(slot))
            self.note(
                "slots", f"added {slot.code} ({show(slot.day)} {show(slot.start)}-{show(slot.end)})"
            )
        for key in kept_rooms:
            if s.rooms[key] != t.rooms[key]:
                events.append(RoomChanged(s.rooms[key], t.rooms[key]))
                self.note(
                    "rooms",
                    f"changed {t.rooms[key].name}: {field_changes(s.rooms[key], t.rooms[key])}",
                )
        for key in kept_slots:
            if s.slots[key] != t.slots[key]:
                events.append(SlotChanged(s.slots[key], t.slots[key]))
                self.note(
                    "slots",
                    f"changed {t.slots[key].code}: {field_changes(s.slots[key], t.slots[key])}",
                )
        if kept_rooms + new_rooms != list(t.rooms):
            events.append(RoomsReordered(tuple(kept_rooms + new_rooms), tuple(t.rooms)))
            names = ", ".join(room.name for room in t.rooms.values())
            self.note("rooms", f"new order: {names}")
        if kept_slots + new_slots != list(t.slots):
            events.append(SlotsReordered(tuple(kept_slots + new_slots), tuple(t.slots)))
            self.note("slots", "new order: " + ", ".join(t.slots[k].code for k in t.slots))
        return events

    def _teams(self) -> list[DomainEvent]:
        s, t = self.s, self.t
        events: list[DomainEvent] = []
        for key, team in t.teams.items():
            old = s.teams.get(key)
            if old is None:
                events.append(TeamAdded(team))
                self.note("teams", f"added {team.slug} ({team.name})")
            elif old != team:
                events.append(TeamChanged(old, team))
                self.note("teams", f"changed {team.slug}: {field_changes(old, team)}")
        return events


class EventUpdater:
    """The ``Store.change`` builder of ``event update``: the file is read when made (an
    invalid file is refused before the event is claimed); ``update`` holds what the last
    call found, for the front end to show."""

    def __init__(self, text: str, source: str, *, free_cells: bool = False) -> None:
        self.target = target_state(text, source)
        self.free_cells = free_cells
        self.update = Update()

    @property
    def slug(self) -> str:
        assert self.target.info is not None
        return self.target.info.slug

    def dry_run(self, state: EventState, actor: Actor) -> Update:
        """The update and why it would be refused (``refusal``), applying nothing: for
        ``Store.preview``."""
        require_organizer(state, actor, "Updating the event")
        update = plan_update(state, self.target)
        if update.held and not self.free_cells:
            update.refusal = held_refusal(update.held)
        else:
            update.refusal = check(state, update)
        return update

    def __call__(self, state: EventState, actor: Actor) -> Sequence[DomainEvent]:
        require_organizer(state, actor, "Updating the event")
        self.update = plan_update(state, self.target)
        if self.update.held and not self.free_cells:
            raise Conflict(held_refusal(self.update.held))
        return self.update.events


def check(state: EventState, update: Update) -> str | None:
    """Why applying ``update`` to ``state`` would be refused (None: it applies)."""
    try:
        apply_all(state, update.events)
    except Conflict as error:
        return error.message
    return None
