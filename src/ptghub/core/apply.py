"""Applying domain events to an EventState, with the invariants that every change keeps.

``apply`` first checks that the state still holds each event's ``old`` value, so an event
computed from a stale state (or an undo after later changes) is refused instead of
silently overwriting. It then checks the schedule invariants: a cell holds at most one
team (by construction: one Cell per key) and a team is in at most one room per slot.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

from ptghub.core.errors import Conflict
from ptghub.core.events import (
    CellChanged,
    DomainEvent,
    EventCreated,
    EventInfoChanged,
    MotdChanged,
    NeedsChanged,
    OpenToEveryoneChanged,
    OutcomeChanged,
    PinChanged,
    PlanRulesChanged,
    PresenceChanged,
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
    SubscriptionChanged,
    TeamAdded,
    TeamChanged,
    TeamRemoved,
    TopicsChanged,
)
from ptghub.core.model import CellStatus, EventState, RoleKind, Topics, new_tag
from ptghub.core.needs import (
    Problem,
    describe,
    needs_problems,
    pin_problems,
    references,
    rules_problems,
)


def copy_state(state: EventState) -> EventState:
    """A copy that can be changed without touching ``state`` (values are immutable)."""
    new = copy.copy(state)
    new.teams = dict(state.teams)
    new.rooms = dict(state.rooms)
    new.slots = dict(state.slots)
    new.cells = dict(state.cells)
    new.topics = dict(state.topics)
    new.presence = dict(state.presence)
    # Shared until either changes it (see _subscription_changed): many subscriptions
    # would otherwise be copied by every command.
    state.owns_subscriptions = new.owns_subscriptions = False
    new.roles = set(state.roles)
    new.needs = dict(state.needs)
    new.pins = dict(state.pins)
    new.outcomes = dict(state.outcomes)
    return new


def apply_all(state: EventState, events: Iterable[DomainEvent]) -> EventState:
    """Apply events to a copy of ``state``; raise Conflict (leaving ``state`` as it was)."""
    new = copy_state(state)
    for event in events:
        apply(new, event)
    return new


def _expect(actual: Any, expected: Any, what: str) -> None:
    if actual != expected:
        raise Conflict(f"{what} has changed since the command was read; try again.")


def _event_created(s: EventState, e: EventCreated) -> None:
    if s.info is not None:
        raise Conflict(f"Event '{s.info.slug}' already exists.")
    s.info = e.info


def _event_info_changed(s: EventState, e: EventInfoChanged) -> None:
    _expect(s.info, e.old, "The event's details")
    s.info = e.new


def _open_changed(s: EventState, e: OpenToEveryoneChanged) -> None:
    _expect(s.open_to_everyone, e.old, "Who may change teams")
    s.open_to_everyone = e.new


def _team_added(s: EventState, e: TeamAdded) -> None:
    if e.team.key in s.teams:
        raise Conflict(f"Team '{s.teams[e.team.key].slug}' already exists.")
    s.teams[e.team.key] = e.team
    # Teams are listed by key, whatever order they were added or restored in.
    s.teams = dict(sorted(s.teams.items()))


def _team_removed(s: EventState, e: TeamRemoved) -> None:
    key = e.team.key
    _expect(s.teams.get(key), e.team, f"Team '{e.team.slug}'")
    if s.team_cells(key):
        raise Conflict(f"Team '{e.team.slug}' still holds slots in the schedule.")
    if not s.topics_of(key).is_empty():
        raise Conflict(f"Team '{e.team.slug}' still has topics set.")
    if any(role.team == key for role in s.roles):
        raise Conflict(f"Team '{e.team.slug}' still has chairs.")
    if key in s.needs:
        raise Conflict(f"Team '{e.team.slug}' still has needs stated for the planner.")
    named_by = references(s, key)
    if named_by:
        raise Conflict(
            f"Team '{e.team.slug}' is still named in the needs of {', '.join(named_by)}."
        )
    if key in s.pins.values():
        raise Conflict(f"Team '{e.team.slug}' is still pinned to cells of the schedule.")
    if any(team == key for team, _ in s.outcomes):
        raise Conflict(f"Team '{e.team.slug}' still has outcomes of its topics recorded.")
    del s.teams[key]
    s.topics.pop(key, None)


def _team_changed(s: EventState, e: TeamChanged) -> None:
    _expect(s.teams.get(e.old.key), e.old, f"Team '{e.old.slug}'")
    if e.new.key != e.old.key:
        raise Conflict("A team's slug cannot change; add a new team instead.")
    s.teams[e.new.key] = e.new


def _room_added(s: EventState, e: RoomAdded) -> None:
    if e.room.key in s.rooms:
        raise Conflict(f"Room '{s.rooms[e.room.key].name}' already exists.")
    s.rooms[e.room.key] = e.room


def _room_removed(s: EventState, e: RoomRemoved) -> None:
    _expect(s.rooms.get(e.room.key), e.room, f"Room '{e.room.name}'")
    if any(room == e.room.key for room, _ in s.cells):
        raise Conflict(f"Room '{e.room.name}' still has cells in the schedule.")
    del s.rooms[e.room.key]


def _room_changed(s: EventState, e: RoomChanged) -> None:
    _expect(s.rooms.get(e.old.key), e.old, f"Room '{e.old.name}'")
    if e.new.key != e.old.key:
        raise Conflict("A room's name can only change in case and spacing; add a new room.")
    s.rooms[e.new.key] = e.new


def _reordered(what: str, current: list[str], old: tuple[str, ...], new: tuple[str, ...]) -> None:
    _expect(tuple(current), old, f"The order of the {what}")
    if sorted(new) != sorted(old):
        raise Conflict(f"A new order of the {what} must list each of them once.")


def _rooms_reordered(s: EventState, e: RoomsReordered) -> None:
    _reordered("rooms", list(s.rooms), e.old, e.new)
    s.rooms = {key: s.rooms[key] for key in e.new}


def _slot_added(s: EventState, e: SlotAdded) -> None:
    if e.slot.key in s.slots:
        raise Conflict(f"Slot '{s.slots[e.slot.key].code}' already exists.")
    s.slots[e.slot.key] = e.slot


def _slot_removed(s: EventState, e: SlotRemoved) -> None:
    _expect(s.slots.get(e.slot.key), e.slot, f"Slot '{e.slot.code}'")
    if any(slot == e.slot.key for _, slot in s.cells):
        raise Conflict(f"Slot '{e.slot.code}' still has cells in the schedule.")
    del s.slots[e.slot.key]


def _slot_changed(s: EventState, e: SlotChanged) -> None:
    _expect(s.slots.get(e.old.key), e.old, f"Slot '{e.old.code}'")
    if e.new.key != e.old.key:
        raise Conflict("A slot's code cannot change; add a new slot instead.")
    s.slots[e.new.key] = e.new


def _slots_reordered(s: EventState, e: SlotsReordered) -> None:
    _reordered("slots", list(s.slots), e.old, e.new)
    s.slots = {key: s.slots[key] for key in e.new}


def _cell_changed(s: EventState, e: CellChanged) -> None:
    if e.room not in s.rooms or e.slot not in s.slots:
        raise Conflict(f"Cell {e.room}-{e.slot} is not in the grid.")
    room = s.rooms[e.room].name
    slot = s.slots[e.slot].code
    _expect(s.cell(e.room, e.slot), e.old, f"Cell {room}-{slot}")
    team = e.new.team
    if (team is None) != (e.new.status in (CellStatus.FREE, CellStatus.UNAVAILABLE)):
        raise Conflict(f"Cell {room}-{slot}: a team goes with planned or booked, only.")
    if team is not None:
        if team not in s.teams:
            raise Conflict(f"Team '{team}' does not exist.")
        for other_room in s.rooms:
            cell = s.cells.get((other_room, e.slot))
            if other_room != e.room and cell is not None and cell.team == team:
                other = s.rooms[other_room].name
                raise Conflict(
                    f"{s.teams[team].slug} is already in {other} at {slot}; "
                    "a team is in one room at a time."
                )
    if e.new.status is CellStatus.UNAVAILABLE:
        if (e.room, e.slot) in s.pins:
            raise Conflict(f"Cell {room}-{slot} is pinned for the planner; unpin it first.")
        s.cells.pop((e.room, e.slot), None)
    else:
        s.cells[(e.room, e.slot)] = e.new


def _topics_changed(s: EventState, e: TopicsChanged) -> None:
    if e.team not in s.teams:
        raise Conflict(f"Team '{e.team}' does not exist.")
    _expect(s.topics_of(e.team), e.old, f"The topics of {s.teams[e.team].slug}")
    if e.new == Topics():
        s.topics.pop(e.team, None)
    else:
        s.topics[e.team] = e.new


def _motd_changed(s: EventState, e: MotdChanged) -> None:
    _expect(s.motd, e.old, "The messages of the day")
    s.motd = e.new


def _presence_changed(s: EventState, e: PresenceChanged) -> None:
    _expect(s.presence.get(e.nick), e.old, f"Where {e.nick} is")
    if e.new is None:
        s.presence.pop(e.nick, None)
    else:
        s.presence[e.nick] = e.new


def _subscription_changed(s: EventState, e: SubscriptionChanged) -> None:
    _expect(s.subscriptions.get(e.nick), e.old, f"The subscription of {e.nick}")
    s.subscriptions_tag = new_tag()
    if not s.owns_subscriptions:  # copy on the first change, not on every copy_state
        s.subscriptions = dict(s.subscriptions)
        s.owns_subscriptions = True
    if e.new is None:
        s.subscriptions.pop(e.nick, None)
    else:
        s.subscriptions[e.nick] = e.new


def _role_granted(s: EventState, e: RoleGranted) -> None:
    if e.role in s.roles:
        raise Conflict(f"{e.role.nick} already has that role.")
    if e.role.kind is RoleKind.CHAIR and e.role.team not in s.teams:
        raise Conflict(f"Team '{e.role.team}' does not exist.")
    s.roles.add(e.role)


def _role_revoked(s: EventState, e: RoleRevoked) -> None:
    if e.role not in s.roles:
        raise Conflict(f"{e.role.nick} does not have that role.")
    s.roles.discard(e.role)


def _refuse(what: str, problems: list[Problem]) -> None:
    if problems:
        raise Conflict(f"{what}: {describe(problems)}.")


def _needs_changed(s: EventState, e: NeedsChanged) -> None:
    if e.team not in s.teams:
        raise Conflict(f"Team '{e.team}' does not exist.")
    slug = s.teams[e.team].slug
    _expect(s.needs.get(e.team), e.old, f"The needs of {slug}")
    if e.new is None:
        s.needs.pop(e.team, None)
        return
    if e.new.team != e.team:
        raise Conflict(f"The needs of {slug} name another team ('{e.new.team}').")
    _refuse(f"The needs of {slug}", needs_problems(s, e.new, e.old))
    s.needs[e.team] = e.new


def _plan_rules_changed(s: EventState, e: PlanRulesChanged) -> None:
    _expect(s.plan_rules, e.old, "The planning rules")
    _refuse("The planning rules", rules_problems(s, e.new, e.old))
    s.plan_rules = e.new


def _pin_changed(s: EventState, e: PinChanged) -> None:
    _expect(s.pins.get((e.room, e.slot)), e.old, f"The pin of cell {e.room}-{e.slot}")
    if e.new is None:
        s.pins.pop((e.room, e.slot), None)
        return
    problems = pin_problems(s, e.room, e.slot, e.new)
    if problems:
        raise Conflict(f"Cannot pin '{e.new}' to {e.room}-{e.slot}: {'; '.join(problems)}.")
    s.pins[(e.room, e.slot)] = e.new


def _outcome_changed(s: EventState, e: OutcomeChanged) -> None:
    if e.team not in s.teams:
        raise Conflict(f"Team '{e.team}' does not exist.")
    if e.number < 1:
        raise Conflict(f"Topic {e.number} does not exist: topics are numbered from 1.")
    where, slug = (e.team, e.number), s.teams[e.team].slug
    _expect(s.outcomes.get(where), e.old, f"The outcome of topic {e.number} of {slug}")
    if e.new is None:
        s.outcomes.pop(where, None)
        return
    added = where not in s.outcomes
    s.outcomes[where] = e.new
    if added:  # listed by team and number, whatever order they were written or restored in
        s.outcomes = dict(sorted(s.outcomes.items()))


_APPLY: dict[type[DomainEvent], Callable[[EventState, Any], None]] = {
    EventCreated: _event_created,
    EventInfoChanged: _event_info_changed,
    OpenToEveryoneChanged: _open_changed,
    TeamAdded: _team_added,
    TeamRemoved: _team_removed,
    TeamChanged: _team_changed,
    RoomAdded: _room_added,
    RoomRemoved: _room_removed,
    RoomChanged: _room_changed,
    RoomsReordered: _rooms_reordered,
    SlotAdded: _slot_added,
    SlotRemoved: _slot_removed,
    SlotChanged: _slot_changed,
    SlotsReordered: _slots_reordered,
    CellChanged: _cell_changed,
    TopicsChanged: _topics_changed,
    MotdChanged: _motd_changed,
    PresenceChanged: _presence_changed,
    SubscriptionChanged: _subscription_changed,
    RoleGranted: _role_granted,
    RoleRevoked: _role_revoked,
    NeedsChanged: _needs_changed,
    PlanRulesChanged: _plan_rules_changed,
    PinChanged: _pin_changed,
    OutcomeChanged: _outcome_changed,
}


def apply(state: EventState, event: DomainEvent) -> None:
    """Apply one event to ``state`` in place, or raise Conflict without changing it."""
    _APPLY[type(event)](state, event)
