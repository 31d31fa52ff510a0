"""How people name what the planner names by keys, for the sentences organizers read.

The planner works on keys (``nova``, ``austin``, ``mon13h``); a refusal or a checker
finding that says "austin at mon13h" makes the reader translate. ``Names`` gives each
key its plain name: a team's display name, a room's name, a slot as "Mon 4 Apr 13:00 UTC"
(its day and start on the event's clock, and the clock's zone). A key it does not know
stays as it is (a room that left the grid still has to be named somehow).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ptghub.planner.instance import PlanSlot


def slot_label(slot: PlanSlot, zone: str = "") -> str:
    """``Mon 4 Apr 13:00 UTC``: the slot's day and start, on the clock of ``zone``."""
    day = slot.day
    label = f"{day:%a} {day.day} {day:%b} {slot.start:%H:%M}"
    return f"{label} {zone}" if zone else label


@dataclass(frozen=True)
class Names:
    """Plain names by key: ``teams`` (display names), ``rooms``, ``slots`` (labels)."""

    teams: Mapping[str, str] = field(default_factory=dict)
    rooms: Mapping[str, str] = field(default_factory=dict)
    slots: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of_slots(
        cls, slots: Iterable[PlanSlot], zone: str = "", **names: Mapping[str, str]
    ) -> Names:
        """Names whose slots are labelled from ``slots`` (teams and rooms as given)."""
        return cls(slots={slot.key: slot_label(slot, zone) for slot in slots}, **names)

    def team(self, key: str) -> str:
        return self.teams.get(key, key)

    def room(self, key: str) -> str:
        return self.rooms.get(key, key)

    def slot(self, key: str) -> str:
        return self.slots.get(key, key)

    def cell(self, room: str, slot: str) -> str:
        """``Austin on Mon 4 Apr 13:00 UTC``."""
        return f"{self.room(room)} on {self.slot(slot)}"
