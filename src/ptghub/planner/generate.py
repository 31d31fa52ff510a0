"""Seeded planning problems for tests and the benchmark.

``generate(size, seed)`` builds a virtual-PTG-like instance: "S" (30 teams, 10 rooms,
4 days x 8 one-hour slots), "M" (40 teams, 15 rooms, 4 x 8) or "L" (60 teams, 20 rooms,
5 x 8). Teams are real OpenStack projects and SIGs in groups of related teams (compute,
storage, networking...). What makes it realistic:

- hard clashes (``avoid``) inside groups at low density, a few between groups, and a
  clique of three teams that share members (nova, placement, cyborg);
- soft clashes (``rather_not``) of weight 1-5, mostly inside groups;
- about 10 % of the teams host a joint session of 1-2 h with a related team;
- rooms of 100, 50 and 25 seats, and a room size for the big teams;
- cross-project teams preferring the first two days, a few teams with a preferred day
  or time window, a few with their own cap of 3 h a day, some onboarding sessions;
- the virtual PTGs' rules: at most 4 h a day and 16 h in all per team;
- the smallest room closes early on the last day (a few unavailable cells);
- a load of 75 %: what the teams want (``score.wanted_minutes``: their demands and the
  joint sessions they host) adds up to 3/4 of the available cell-minutes.

Every hard clash keeps its two teams' demands within what the slots allow, so a
schedule placing every hour can exist; nothing guarantees it does. The standard
disturbance of a plan is in disturbance.py, a real event's grid as an instance in
real_event.py.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta
from itertools import combinations

from ptghub.core.model import room_key, slot_key
from ptghub.core.team_needs import PlanRules, TeamNeeds
from ptghub.planner.instance import Instance, PlanRoom, PlanSlot
from ptghub.planner.score import wanted_minutes

LOAD = 0.75
DAY_CAP = 4 * 60
TOTAL_CAP = 16 * 60
START = date(2026, 4, 13)  # a Monday
FIRST_HOUR = 13  # virtual PTG slots, 13:00-21:00 UTC

GROUPS: dict[str, tuple[str, ...]] = {
    "compute": ("nova", "placement", "cyborg", "ironic", "blazar", "masakari", "zun"),
    "storage": ("cinder", "glance", "manila", "swift", "freezer"),
    "networking": ("neutron", "octavia", "designate", "kuryr", "tacker", "ovn-bgp-agent"),
    "deployment": (
        *("kolla", "openstack-ansible", "tripleo", "openstack-helm", "charms"),
        *("puppet-openstack", "starlingx"),
    ),
    "operations": ("ceilometer", "aodh", "cloudkitty", "watcher", "vitrage", "monasca"),
    "services": ("heat", "magnum", "mistral", "zaqar", "senlin", "trove", "sahara"),
    "identity": ("keystone", "barbican", "security", "adjutant"),
    "clients": ("horizon", "skyline", "sdk", "openstackclient"),
    "cross-project": (
        *("tc", "qa", "relmgt", "requirements", "i18n", "docs", "oslo", "interop"),
        *("infra", "first-contact", "edge", "large-scale", "scientific", "diversity"),
    ),
}
CLIQUE = ("nova", "placement", "cyborg")  # placement left nova; cyborg's core is nova's
ROOM_NAMES = (
    *("Austin", "Bexar", "Cactus", "Diablo", "Essex", "Folsom", "Grizzly", "Havana"),
    *("Icehouse", "Juno", "Kilo", "Liberty", "Mitaka", "Newton", "Ocata", "Pike"),
    *("Queens", "Rocky", "Stein", "Train"),
)


@dataclass(frozen=True)
class Size:
    teams: int
    rooms: int
    days: int
    slots_per_day: int


SIZES = {"S": Size(30, 10, 4, 8), "M": Size(40, 15, 4, 8), "L": Size(60, 20, 5, 8)}


def generate(size: str, seed: int = 0) -> Instance:
    """A seeded instance of ``size`` "S", "M" or "L" (same size and seed, same instance)."""
    if size not in SIZES:
        raise ValueError(f"Unknown instance size {size!r}; expected one of S, M, L.")
    return _Generator(SIZES[size], random.Random(f"{size}-{seed}")).run()


def available_minutes(instance: Instance) -> int:
    """Minutes of the cells that may hold a session (not unavailable, not frozen)."""
    return sum(
        slot.minutes
        for room in instance.rooms
        for slot in instance.slots
        if (room.key, slot.key) not in instance.unavailable
        and slot.key not in instance.frozen_slots
    )


def load(instance: Instance) -> float:
    """What the teams want (their demands and the joint sessions they host) as a share of
    the available cell-minutes."""
    return sum(wanted_minutes(instance).values()) / available_minutes(instance)


def _ordered_teams(count: int) -> list[str]:
    """The first ``count`` teams, taken in turn from each group (so all groups appear)."""
    columns = list(GROUPS.values())
    order = [
        group[i] for i in range(max(len(g) for g in columns)) for group in columns if i < len(group)
    ]
    return order[:count]


class _Generator:
    def __init__(self, size: Size, rng: random.Random) -> None:
        self.size = size
        self.rng = rng
        self.teams = _ordered_teams(size.teams)
        self.group_of = {team: g for g, members in GROUPS.items() for team in members}
        self.days = [START + timedelta(days=d) for d in range(size.days)]
        self.slot_hours = size.days * size.slots_per_day

    def run(self) -> Instance:
        rooms = self._rooms()
        slots = tuple(
            PlanSlot(
                slot_key(f"{day:%a}-{FIRST_HOUR + h}h"),
                day,
                time(FIRST_HOUR + h),
                time(FIRST_HOUR + h + 1),
            )
            for day in self.days
            for h in range(self.size.slots_per_day)
        )
        smallest = min(rooms, key=lambda r: (r.capacity or 0, r.key))
        last_day = [slot for slot in slots if slot.day == self.days[-1]]
        unavailable = frozenset((smallest.key, slot.key) for slot in last_day[-3:])
        available = (len(rooms) * len(slots) - len(unavailable)) * 60
        hours = self._hours(round(LOAD * available / 60))
        hard = self._hard_clashes(hours)
        needs = self._needs(hours, hard, rooms)
        return Instance(
            rooms=rooms,
            slots=slots,
            needs=needs,
            rules=PlanRules(max_minutes_per_day=DAY_CAP, max_minutes_total=TOTAL_CAP),
            unavailable=unavailable,
        )

    def _rooms(self) -> tuple[PlanRoom, ...]:
        count = self.size.rooms
        big, medium = max(2, count // 5), count * 3 // 10
        capacities = [100] * big + [50] * medium + [25] * (count - big - medium)
        return tuple(
            PlanRoom(room_key(name), capacity)
            for name, capacity in zip(ROOM_NAMES[:count], capacities, strict=True)
        )

    def _hours(self, total: int) -> dict[str, int]:
        """Hours per team, adding up to ``total``; big projects ask for more."""
        rng = self.rng
        most = min(TOTAL_CAP, DAY_CAP * self.size.days) // 60
        hours: dict[str, int] = {}
        for team in self.teams:
            rank = GROUPS[self.group_of[team]].index(team)
            if self.group_of[team] == "cross-project":
                hours[team] = rng.randint(2, 8)
            elif rank == 0:
                hours[team] = rng.randint(12, most)
            elif rank == 1:
                hours[team] = rng.randint(8, 14)
            else:
                hours[team] = rng.randint(3, 12)
        # the clique shares members: together at most 70 % of the week's slots
        clique = [team for team in CLIQUE if team in hours]
        budget = int(0.7 * self.slot_hours)
        for team, share in zip(clique, (0.45, 0.3, 0.25), strict=False):
            hours[team] = min(hours[team], int(budget * share))
        free = [team for team in self.teams if team not in clique]
        while (gap := total - sum(hours.values())) != 0:
            team = rng.choice(free)
            if gap > 0 and hours[team] < most:
                hours[team] += 1
            elif gap < 0 and hours[team] > 2:
                hours[team] -= 1
        return hours

    def _hard_clashes(self, hours: Mapping[str, int]) -> set[frozenset[str]]:
        rng = self.rng
        pairs = {frozenset(pair) for pair in combinations([t for t in CLIQUE if t in hours], 2)}
        limit = 0.75 * self.slot_hours  # two teams that never meet must fit in the week

        def add(a: str, b: str) -> None:
            if hours[a] + hours[b] <= limit:
                pairs.add(frozenset((a, b)))

        for members in GROUPS.values():
            present = [team for team in members if team in hours]
            for a, b in combinations(present, 2):
                if rng.random() < 0.12:
                    add(a, b)
        for _ in range(self.size.teams // 20):
            a, b = rng.sample(self.teams, 2)
            if self.group_of[a] != self.group_of[b]:
                add(a, b)
        return pairs

    def _needs(
        self, hours: Mapping[str, int], hard: set[frozenset[str]], rooms: tuple[PlanRoom, ...]
    ) -> dict[str, TeamNeeds]:
        rng = self.rng
        avoid: dict[str, set[str]] = defaultdict(set)
        for pair in hard:
            a, b = sorted(pair)
            avoid[a].add(b)  # one side asking is enough; the other need not know
        rather_not = self._soft_clashes(hard)
        joint = self._joint_sessions(hours, hard)
        sizes = self._room_sizes(hours, rooms)
        needs: dict[str, TeamNeeds] = {}
        for team in self.teams:
            # a team's hours include its onboarding and the joint sessions it hosts
            hosted = sum(minutes for _, minutes in joint.get(team, ()))
            cross = self.group_of[team] == "cross-project"
            onboarding = not cross and hours[team] * 60 - hosted >= 240 and rng.random() < 0.12
            preferred: frozenset[date] = frozenset()
            windows: tuple[tuple[time, time], ...] = ()
            if cross and rng.random() < 0.8:
                preferred = frozenset(self.days[:2])
            elif rng.random() < 0.1:
                preferred = frozenset(rng.sample(self.days, 2))
            if rng.random() < 0.1:
                windows = (rng.choice(((time(13), time(17)), (time(16), time(21)))),)
            own_cap = None
            if hours[team] <= 3 * self.size.days and rng.random() < 0.1:
                own_cap = 3 * 60
            needs[team] = TeamNeeds(
                team=team,
                minutes=hours[team] * 60 - (60 if onboarding else 0) - hosted,
                max_minutes_per_day=own_cap,
                preferred_days=preferred,
                windows=windows,
                avoid=frozenset(avoid[team]),
                rather_not=tuple(sorted(rather_not[team].items())),
                joint=joint.get(team, ()),
                room_size=sizes.get(team),
                onboarding=onboarding,
                cross_project=cross,
            )
        return needs

    def _soft_clashes(self, hard: set[frozenset[str]]) -> dict[str, dict[str, int]]:
        rng = self.rng
        soft: dict[str, dict[str, int]] = defaultdict(dict)
        for team in self.teams:
            related = [t for t in GROUPS[self.group_of[team]] if t in self.group_of and t != team]
            related = [t for t in related if t in self.teams]
            for _ in range(rng.randint(1, 3)):
                pool = related if related and rng.random() < 0.7 else self.teams
                other = rng.choice(pool)
                if other == team or frozenset((team, other)) in hard:
                    continue
                soft[team][other] = rng.randint(1, 5)
        return soft

    def _joint_sessions(
        self, hours: Mapping[str, int], hard: set[frozenset[str]]
    ) -> dict[str, tuple[tuple[str, int], ...]]:
        rng = self.rng
        joint: dict[str, tuple[tuple[str, int], ...]] = {}
        hosts = rng.sample(self.teams, max(1, round(0.1 * len(self.teams))))
        for host in sorted(hosts, key=self.teams.index):
            related = [t for t in GROUPS[self.group_of[host]] if t in hours and t != host]
            guests = [t for t in related if frozenset((host, t)) not in hard]
            # the guest's own hours and the session must fit within its caps
            guests = [t for t in guests if hours[t] + 2 <= TOTAL_CAP // 60]
            if not guests:
                guests = [t for t in ("qa", "sdk") if t in hours and t != host]
            length = rng.choice((1, 2))
            if guests and hours[host] > length:
                joint[host] = ((rng.choice(guests), length * 60),)
        return joint

    def _room_sizes(self, hours: Mapping[str, int], rooms: tuple[PlanRoom, ...]) -> dict[str, int]:
        """Room sizes for the big teams, never more than the big rooms can hold."""
        rng = self.rng
        sizes: dict[str, int] = {}
        for team in self.teams:
            rank = GROUPS[self.group_of[team]].index(team)
            if rank == 0 and self.group_of[team] != "cross-project":
                sizes[team] = rng.choice((40, 60, 80))
            elif rank <= 2 and rng.random() < 0.25:
                sizes[team] = 30
        for size in sorted(set(sizes.values()), reverse=True):
            fitting = sum(1 for room in rooms if room.capacity is None or room.capacity >= size)
            room_hours = fitting * self.slot_hours
            while sum(hours[t] for t, s in sizes.items() if s >= size) > 0.6 * room_hours:
                largest = max((t for t, s in sizes.items() if s >= size), key=hours.__getitem__)
                del sizes[largest]
        return sizes
