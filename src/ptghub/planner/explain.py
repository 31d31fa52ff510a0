"""Plain words for every wish a schedule does not grant, found by looking at the schedule.

One sentence per team, e.g. "Cinder got 10 of 12 hours: clash with Nova on Tuesday, no
room of 40 free on Thursday; 2 hours outside its preferred days." The reasons for missing
hours come from the slots the team did not use: for each, the first rule that kept the
team out (the slot is over, the day is kept for cross-project teams, the team's caps are
reached, it is busy elsewhere, a team it must not clash with meets then, no room of its
size is free), each reason named once per day. Soft misses follow: hours outside the
preferred days or times, overlap with a team it would rather not meet, a joint session
not (fully) placed, onboarding not on the first day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date

from ptghub.core.team_needs import TeamNeeds
from ptghub.planner import score
from ptghub.planner.instance import Instance, PlanSlot, Schedule


def unmet(
    instance: Instance, schedule: Schedule, names: Mapping[str, str] | None = None
) -> tuple[str, ...]:
    """One sentence per team (in key order) with a wish that ``schedule`` does not grant."""
    explainer = _Explainer(instance, schedule, names or {})
    return tuple(sentence for team in sorted(instance.needs) if (sentence := explainer.team(team)))


def _number(minutes: int) -> str:
    return f"{minutes / 60:.1f}".removesuffix(".0")


def _hours(minutes: int) -> str:
    value = _number(minutes)
    return f"{value} hour" if value == "1" else f"{value} hours"


class _Explainer:
    def __init__(self, instance: Instance, schedule: Schedule, names: Mapping[str, str]) -> None:
        self.instance = instance
        self.schedule = schedule
        self.names = names
        self.slots = {slot.key: slot for slot in instance.slots}
        self.rooms = {room.key: room for room in instance.rooms}
        self.days = sorted({slot.day for slot in instance.slots})
        self.many_weeks = len(self.days) > 1 and (self.days[-1] - self.days[0]).days >= 7
        self.at_slot: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
        self.present: dict[str, set[str]] = defaultdict(set)
        for (room, key), placement in schedule.items():
            if key in self.slots:
                self.at_slot[key].append((room, placement.teams))
                for team in placement.teams:
                    self.present[team].add(key)
        self.hard: dict[str, set[str]] = defaultdict(set)
        for pair in instance.hard_clashes():
            a, b = sorted(pair)
            self.hard[a].add(b)
            self.hard[b].add(a)
        self.wanted = score.wanted_minutes(instance)
        self.served = score.served_minutes(instance, schedule)

    def name(self, team: str) -> str:
        return self.names.get(team, team)

    def day(self, day: date) -> str:
        return f"{day:%A %d %B}".replace(" 0", " ") if self.many_weeks else f"{day:%A}"

    def team(self, team: str) -> str:
        needs = self.instance.needs[team]
        parts: list[str] = []
        wanted, served = self.wanted[team], self.served[team]
        reasons: list[str] = []
        if served < wanted:
            reasons = self._short_reasons(team, needs)
            reasons += self._joint_misses(team, needs)
        misses = self._soft_misses(team, needs)
        if served < wanted:
            head = f"{self.name(team)} got {_number(served)} of {_hours(wanted)}"
            parts.append(f"{head}: {', '.join(reasons)}" if reasons else head)
        elif misses:
            parts.append(f"{self.name(team)} got all {_hours(wanted)}")
        if not parts:
            return ""
        return "; ".join(parts + misses) + "."

    # -- hours -------------------------------------------------------------------------

    def _minutes_on(self, team: str, day: date) -> int:
        return sum(self.slots[k].minutes for k in self.present[team] if self.slots[k].day == day)

    def _day_cap(self, needs: TeamNeeds) -> int | None:
        caps = [self.instance.rules.max_minutes_per_day, needs.max_minutes_per_day]
        return min((c for c in caps if c is not None), default=None)

    def _short_reasons(self, team: str, needs: TeamNeeds) -> list[str]:
        """Why the team is not in each slot it does not use, once per reason and day."""
        found: dict[str, None] = {}
        own_left = self.instance.demand(team) - self._own_minutes(team)
        total = sum(self.slots[k].minutes for k in self.present[team])
        day_cap = self._day_cap(needs)
        for slot in self.instance.slots:
            if slot.key in self.present[team] or own_left <= 0:
                continue
            reason = self._why_not(team, needs, slot, day_cap, total)
            if reason:
                found[reason] = None
        if own_left > 0 and not found and not self.instance.slots:
            found["there are no slots to plan"] = None
        elif own_left > 0 and not found:
            shortest = min((slot.minutes for slot in self.instance.slots), default=0)
            if own_left < shortest:
                found[f"sessions come in slots of {_hours(shortest)}"] = None
            else:
                found["the planner ran out of time before placing them"] = None
        return list(found)

    def _own_minutes(self, team: str) -> int:
        return sum(
            self.slots[key].minutes
            for (_, key), placement in self.schedule.items()
            if key in self.slots and placement.team == team and not placement.guests
        )

    def _why_not(
        self, team: str, needs: TeamNeeds, slot: PlanSlot, day_cap: int | None, total: int
    ) -> str:
        instance = self.instance
        rules = instance.rules
        day = self.day(slot.day)
        if slot.key in instance.frozen_slots:
            return f"{day} is over"
        if slot.day in rules.cross_project_days and not needs.cross_project:
            return f"{day} is kept for cross-project teams"
        if rules.max_minutes_total is not None and total + slot.minutes > rules.max_minutes_total:
            return f"at most {_hours(rules.max_minutes_total)} in all"
        if day_cap is not None and self._minutes_on(team, slot.day) + slot.minutes > day_cap:
            return f"at most {_hours(day_cap)} a day"
        overlapping = [other for other in instance.slots if score.overlap_minutes(slot, other) > 0]
        if any(other.key in self.present[team] for other in overlapping):
            return f"busy at the same time on {day}"
        for other_team in sorted(self.hard[team]):
            if any(other.key in self.present[other_team] for other in overlapping):
                return f"clash with {self.name(other_team)} on {day}"
        taken = {room for room, _ in self.at_slot[slot.key]}
        free = [
            room
            for room in instance.rooms
            if room.key not in taken
            and (room.key, slot.key) not in instance.unavailable
            and (room.capacity is None or room.capacity >= (needs.room_size or 0))
        ]
        if not free:
            size = f"room of {needs.room_size}" if needs.room_size else "room"
            return f"no {size} free on {day}"
        return ""

    def _joint_misses(self, team: str, needs: TeamNeeds) -> list[str]:
        misses = []
        for (host, guest), minutes in score.joint_wanted(self.instance).items():
            if host != team:
                continue
            got = sum(
                self.slots[key].minutes
                for (_, key), placement in self.schedule.items()
                if key in self.slots and placement.team == team and guest in placement.guests
            )
            if got >= minutes:
                continue
            what = f"joint session with {self.name(guest)}"
            if guest in self.hard[team]:
                misses.append(f"{what} impossible: {self.name(guest)} must not clash with it")
            elif got == 0:
                misses.append(f"{what} ({_hours(minutes)}) not placed")
            else:
                misses.append(f"{what} got {_hours(got)} of {_hours(minutes)}")
        return misses

    # -- soft wishes -------------------------------------------------------------------

    def _soft_misses(self, team: str, needs: TeamNeeds) -> list[str]:
        misses = []
        mine = [self.slots[key] for key in self.present[team]]
        if needs.preferred_days:
            outside = sum(s.minutes for s in mine if s.day not in needs.preferred_days)
            if outside:
                misses.append(f"{_hours(outside)} outside its preferred days")
        windows = self.instance.windows(team)
        if windows:
            outside = sum(score.outside_windows(s, windows) for s in mine)
            if outside:
                misses.append(f"{_hours(outside)} outside its preferred times")
        asked = {other for other, weight in needs.rather_not if weight > 0}
        for pair in sorted(self.instance.soft_clashes(), key=sorted):
            if team not in pair:
                continue
            (other,) = pair - {team}
            if other not in asked and self.instance.interest.get(pair, 0) <= 0:
                continue  # the other team's wish: said there
            overlap = sum(
                score.overlap_minutes(a, self.slots[b]) for a in mine for b in self.present[other]
            )
            if overlap:
                misses.append(f"overlaps {self.name(other)} for {_hours(overlap)}")
        if needs.onboarding and self.days:
            first = self._minutes_on(team, self.days[0])
            if first < self.instance.rules.onboarding_minutes:
                misses.append("onboarding not on the first day")
        return misses
