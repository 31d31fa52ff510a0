"""Domain events: the only way state changes.

Each event carries the old and the new value of what it changes. That gives three things
from one definition: ``apply`` can check that the state is still what the handler saw,
the audit log can show exactly what changed, and ``inverse`` undoes a change without any
per-command undo code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ptghub.core.codec import decode, encode
from ptghub.core.model import (
    Cell,
    EventInfo,
    Motd,
    Presence,
    Role,
    Room,
    Slot,
    Subscription,
    Team,
    Topics,
)
from ptghub.core.team_needs import PlanRules, TeamNeeds

EVENT_TYPES: dict[str, type[DomainEvent]] = {}


@dataclass(frozen=True)
class DomainEvent:
    kind: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # slots=True builds a second class; register whichever comes last (the real one)
        if cls.kind:
            EVENT_TYPES[cls.kind] = cls

    def inverse(self) -> DomainEvent | None:
        """The event that undoes this one, or None when it cannot be undone."""
        return None

    def to_json(self) -> dict[str, Any]:
        return {"type": self.kind, **encode(self)}

    @staticmethod
    def from_json(data: dict[str, Any]) -> DomainEvent:
        fields = dict(data)
        cls = EVENT_TYPES[fields.pop("type")]
        result: DomainEvent = decode(cls, fields)
        return result


@dataclass(frozen=True, slots=True)
class EventCreated(DomainEvent):
    kind: ClassVar[str] = "event-created"
    info: EventInfo


@dataclass(frozen=True, slots=True)
class EventInfoChanged(DomainEvent):
    kind: ClassVar[str] = "event-info-changed"
    old: EventInfo
    new: EventInfo

    def inverse(self) -> DomainEvent:
        return EventInfoChanged(self.new, self.old)


@dataclass(frozen=True, slots=True)
class OpenToEveryoneChanged(DomainEvent):
    kind: ClassVar[str] = "open-to-everyone-changed"
    old: bool
    new: bool

    def inverse(self) -> DomainEvent:
        return OpenToEveryoneChanged(self.new, self.old)


@dataclass(frozen=True, slots=True)
class TeamAdded(DomainEvent):
    kind: ClassVar[str] = "team-added"
    team: Team

    def inverse(self) -> DomainEvent:
        return TeamRemoved(self.team)


@dataclass(frozen=True, slots=True)
class TeamRemoved(DomainEvent):
    kind: ClassVar[str] = "team-removed"
    team: Team

    def inverse(self) -> DomainEvent:
        return TeamAdded(self.team)


@dataclass(frozen=True, slots=True)
class TeamChanged(DomainEvent):
    kind: ClassVar[str] = "team-changed"
    old: Team
    new: Team

    def inverse(self) -> DomainEvent:
        return TeamChanged(self.new, self.old)


@dataclass(frozen=True, slots=True)
class RoomAdded(DomainEvent):
    kind: ClassVar[str] = "room-added"
    room: Room

    def inverse(self) -> DomainEvent:
        return RoomRemoved(self.room)


@dataclass(frozen=True, slots=True)
class RoomRemoved(DomainEvent):
    kind: ClassVar[str] = "room-removed"
    room: Room

    def inverse(self) -> DomainEvent:
        return RoomAdded(self.room)


@dataclass(frozen=True, slots=True)
class RoomChanged(DomainEvent):
    """A room's details change (capacity, video URL...); its name keeps its key."""

    kind: ClassVar[str] = "room-changed"
    old: Room
    new: Room

    def inverse(self) -> DomainEvent:
        return RoomChanged(self.new, self.old)


@dataclass(frozen=True, slots=True)
class RoomsReordered(DomainEvent):
    """The rooms (keys) are shown in a new order: the same rooms, as the event file lists them."""

    kind: ClassVar[str] = "rooms-reordered"
    old: tuple[str, ...]
    new: tuple[str, ...]

    def inverse(self) -> DomainEvent:
        return RoomsReordered(self.new, self.old)


@dataclass(frozen=True, slots=True)
class SlotAdded(DomainEvent):
    kind: ClassVar[str] = "slot-added"
    slot: Slot

    def inverse(self) -> DomainEvent:
        return SlotRemoved(self.slot)


@dataclass(frozen=True, slots=True)
class SlotRemoved(DomainEvent):
    kind: ClassVar[str] = "slot-removed"
    slot: Slot

    def inverse(self) -> DomainEvent:
        return SlotAdded(self.slot)


@dataclass(frozen=True, slots=True)
class SlotChanged(DomainEvent):
    """A slot's day or times change; its code keeps its key."""

    kind: ClassVar[str] = "slot-changed"
    old: Slot
    new: Slot

    def inverse(self) -> DomainEvent:
        return SlotChanged(self.new, self.old)


@dataclass(frozen=True, slots=True)
class SlotsReordered(DomainEvent):
    """The slots (keys) are kept in a new order: the same slots, in time order."""

    kind: ClassVar[str] = "slots-reordered"
    old: tuple[str, ...]
    new: tuple[str, ...]

    def inverse(self) -> DomainEvent:
        return SlotsReordered(self.new, self.old)


@dataclass(frozen=True, slots=True)
class CellChanged(DomainEvent):
    """A schedule cell changes; ``room`` and ``slot`` are keys."""

    kind: ClassVar[str] = "cell-changed"
    room: str
    slot: str
    old: Cell
    new: Cell

    def inverse(self) -> DomainEvent:
        return CellChanged(self.room, self.slot, self.new, self.old)


@dataclass(frozen=True, slots=True)
class TopicsChanged(DomainEvent):
    kind: ClassVar[str] = "topics-changed"
    team: str
    old: Topics
    new: Topics

    def inverse(self) -> DomainEvent:
        return TopicsChanged(self.team, self.new, self.old)


@dataclass(frozen=True, slots=True)
class MotdChanged(DomainEvent):
    kind: ClassVar[str] = "motd-changed"
    old: tuple[Motd, ...]
    new: tuple[Motd, ...]

    def inverse(self) -> DomainEvent:
        return MotdChanged(self.new, self.old)


@dataclass(frozen=True, slots=True)
class PresenceChanged(DomainEvent):
    kind: ClassVar[str] = "presence-changed"
    nick: str
    old: Presence | None
    new: Presence | None

    def inverse(self) -> DomainEvent:
        return PresenceChanged(self.nick, self.new, self.old)


@dataclass(frozen=True, slots=True)
class SubscriptionChanged(DomainEvent):
    kind: ClassVar[str] = "subscription-changed"
    nick: str
    old: Subscription | None
    new: Subscription | None

    def inverse(self) -> DomainEvent:
        return SubscriptionChanged(self.nick, self.new, self.old)


@dataclass(frozen=True, slots=True)
class RoleGranted(DomainEvent):
    kind: ClassVar[str] = "role-granted"
    role: Role

    def inverse(self) -> DomainEvent:
        return RoleRevoked(self.role)


@dataclass(frozen=True, slots=True)
class RoleRevoked(DomainEvent):
    kind: ClassVar[str] = "role-revoked"
    role: Role

    def inverse(self) -> DomainEvent:
        return RoleGranted(self.role)


@dataclass(frozen=True, slots=True)
class NeedsChanged(DomainEvent):
    """What a team asks of the planner; None: no needs stated (the planner leaves it out)."""

    kind: ClassVar[str] = "needs-changed"
    team: str
    old: TeamNeeds | None
    new: TeamNeeds | None

    def inverse(self) -> DomainEvent:
        return NeedsChanged(self.team, self.new, self.old)


@dataclass(frozen=True, slots=True)
class PlanRulesChanged(DomainEvent):
    kind: ClassVar[str] = "plan-rules-changed"
    old: PlanRules
    new: PlanRules

    def inverse(self) -> DomainEvent:
        return PlanRulesChanged(self.new, self.old)


@dataclass(frozen=True, slots=True)
class PinChanged(DomainEvent):
    """An organizer pins a team (a key) to a cell for the next plan; None: unpinned."""

    kind: ClassVar[str] = "pin-changed"
    room: str
    slot: str
    old: str | None
    new: str | None

    def inverse(self) -> DomainEvent:
        return PinChanged(self.room, self.slot, self.new, self.old)


@dataclass(frozen=True, slots=True)
class OutcomeChanged(DomainEvent):
    """A chair's written outcome of a team's topic (a key and the topic's number, from 1 in
    the order the team discussed them); None: no outcome written."""

    kind: ClassVar[str] = "outcome-changed"
    team: str
    number: int
    old: str | None
    new: str | None

    def inverse(self) -> DomainEvent:
        return OutcomeChanged(self.team, self.number, self.new, self.old)
