"""The one definition of the planner's objectives, computed from a schedule.

The solver optimises exactly these numbers (its tests prove that the objective it reports
equals what this module computes from its schedule); the greedy comparison, the tests and
the benchmark use them too. Times are minutes.

Hours (solver stage 1, "hours")
    A team *wants* ``Instance.demand(team)`` minutes of its own sessions plus the minutes
    of the joint sessions it hosts (``TeamNeeds.joint``; two entries with the same guest
    add up). It is *served* ``min(own minutes placed, demand)`` plus, per guest,
    ``min(minutes hosted with that guest, minutes wanted with that guest)``. A joint
    session counts once, for its host, who asked for it; its guest's minutes count
    towards the guest's caps and presence but not towards the guest's share. A team's
    *share* is served / wanted; the *fairness* of a schedule is the smallest share among
    the teams that want something, as ``floor(SHARE_SCALE * served / wanted)``
    (``SHARE_SCALE`` when nobody wants anything). Stage 1 maximises the fairness, then the
    total served minutes.

Disruption (stage 2, "disruption", only when re-planning)
    The minutes of the cells of ``Instance.previous`` that no longer hold exactly the
    same placement.

Soft cost (stage 3, "soft"): a sum of points, every term an integer.
    For each team with a needs entry, "present" in a slot means hosting or joining any
    session in that slot (fixed cells included):

    - ``blocks``: ``W_BLOCK`` per extra block of a team in a day: a block starts in a slot
      where the team is present and was not in the day's previous slot (slots of a day in
      order of start time, gaps such as lunch ignored); every start after the first costs.
    - ``rooms``: ``W_ROOM`` per extra room a team meets in over the whole event (rooms
      used - 1): a team keeps one room all week whenever the grid allows it, so its
      people (and the board's readers) find it where it was yesterday.
    - ``days``: ``W_DAY`` per minute present on a day outside the team's
      ``preferred_days`` (teams without preferred days never pay).
    - ``windows``: ``W_WINDOW`` per minute present outside the team's preferred
      windows (``Instance.windows``: its own, else the event's usual hours; the part of
      each slot not covered by a window; none when there are no windows): a team gets
      slots outside them (a virtual PTG's night in UTC) only when nothing else is left.
    - ``clashes``: per pair of teams with a soft-clash weight ``w``
      (``Instance.soft_clashes()``), ``w`` per minute in which both are present
      (overlapping slots count their common minutes; teams meeting in one joint session
      count too). So an hour of overlap of weight 3 costs 180 points.
    - ``onboarding``: ``W_ONBOARD`` per minute by which a team that asked for onboarding
      is present less than ``rules.onboarding_minutes`` on the event's first day.
    - ``joint-split``: ``W_SPLIT`` per extra block of a joint session (host and guest
      together), counted over the whole event: a joint session may be placed in parts
      (the hard rules do not forbid it), but each part after the first costs.

    Scale: an hour outside the preferred days costs 120, an hour outside the windows 600, an
    extra block 30, a second room in the week 1200, a split joint session 60, a missed
    hour of onboarding 120, an hour of overlap of two teams that would rather not meet 60
    per unit of weight. The rooms and windows terms are the strong ones (issue 11): they
    outweigh every preference but a heavy clash, so a draft moves a team to a second room
    or out of its hours only when nothing else fits. (Before, a second room cost 60 per
    day and nothing across days, an hour outside the windows 60: the demo's draft put
    nova in three rooms and at 00:00 UTC; bench/planner.py compares the two.)

A lower bound on the soft cost (``Stage.bound`` of "soft"): what CP-SAT proves for the
soft cost without its rooms term on the model without rooms (every other term stated
exactly, plus redundant clique cuts: k teams of a clique of soft and hard clashes in one
slot make at least k - 1 and 2k - 3 soft pairs meet, also summed per day and over the
event), or, when larger, what it proves on the full model or the decomposition bound of
``bound.py`` (small parts solved apart). All are proven lower bounds of the optimum
given stages 1 and 2.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, time

from ptghub.planner.instance import Cell, Instance, PlanSlot, Schedule

SHARE_SCALE = 1000  # fairness in thousandths of a team's wanted minutes

W_BLOCK = 30
W_ROOM = 1200
W_DAY = 2
W_WINDOW = 10
W_ONBOARD = 2
W_SPLIT = 60
# True: the rooms term counts per day, as before issue 11 (with W_ROOM 60 and W_WINDOW 1,
# bench/planner.py's baseline); the solver, the greedy plan and the room matching follow it
ROOMS_PER_DAY = False

SOFT_TERMS = ("blocks", "rooms", "days", "windows", "clashes", "onboarding", "joint-split")


# -- hours -------------------------------------------------------------------------


def joint_wanted(instance: Instance) -> dict[tuple[str, str], int]:
    """Minutes wanted per (host, guest) joint session, entries with one guest added up."""
    wanted: dict[tuple[str, str], int] = {}
    for host, needs in instance.needs.items():
        for guest, minutes in needs.joint:
            if guest != host and minutes > 0:
                wanted[(host, guest)] = wanted.get((host, guest), 0) + minutes
    return wanted


def wanted_minutes(instance: Instance) -> dict[str, int]:
    """Team -> its demand plus the minutes of the joint sessions it hosts."""
    wanted = {team: instance.demand(team) for team in instance.needs}
    for (host, _), minutes in joint_wanted(instance).items():
        wanted[host] += minutes
    return wanted


def _known_cells(instance: Instance, schedule: Schedule) -> list[tuple[Cell, PlanSlot]]:
    slots = {slot.key: slot for slot in instance.slots}
    rooms = {room.key for room in instance.rooms}
    return [(cell, slots[cell[1]]) for cell in schedule if cell[0] in rooms and cell[1] in slots]


def placed_minutes(instance: Instance, schedule: Schedule) -> dict[str, int]:
    """Team -> minutes of the cells it hosts (own and joint sessions), as placed."""
    placed = dict.fromkeys(instance.needs, 0)
    for cell, slot in _known_cells(instance, schedule):
        host = schedule[cell].team
        placed[host] = placed.get(host, 0) + slot.minutes
    return placed


def served_minutes(instance: Instance, schedule: Schedule) -> dict[str, int]:
    """Team (with needs) -> the minutes that count towards its wish (see the docstring)."""
    own: dict[str, int] = defaultdict(int)
    joint: dict[tuple[str, str], int] = defaultdict(int)
    for cell, slot in _known_cells(instance, schedule):
        placement = schedule[cell]
        if not placement.guests:
            own[placement.team] += slot.minutes
        for guest in placement.guests:
            joint[(placement.team, guest)] += slot.minutes
    served = {team: min(own[team], instance.demand(team)) for team in instance.needs}
    for (host, guest), minutes in joint_wanted(instance).items():
        served[host] += min(joint[(host, guest)], minutes)
    return served


def fairness(instance: Instance, schedule: Schedule) -> int:
    """The worst-served team's share, in 1/SHARE_SCALE of what it wants."""
    wanted = wanted_minutes(instance)
    served = served_minutes(instance, schedule)
    shares = [SHARE_SCALE * served[t] // wanted[t] for t in wanted if wanted[t] > 0]
    return min(shares, default=SHARE_SCALE)


def hours(instance: Instance, schedule: Schedule) -> tuple[int, int]:
    """Stage 1's objective, to compare lexicographically: (fairness, total served)."""
    return fairness(instance, schedule), sum(served_minutes(instance, schedule).values())


# -- disruption --------------------------------------------------------------------


def moved_cells(instance: Instance, schedule: Schedule) -> list[Cell]:
    """Cells of ``previous`` that no longer hold exactly what they held, in order."""
    return sorted(cell for cell, was in instance.previous.items() if schedule.get(cell) != was)


def disruption(instance: Instance, schedule: Schedule) -> int:
    """Minutes of ``previous`` not kept as they were (stage 2's objective)."""
    minutes = {slot.key: slot.minutes for slot in instance.slots}
    return sum(minutes.get(cell[1], 0) for cell in moved_cells(instance, schedule))


# -- soft cost ---------------------------------------------------------------------


def overlap_minutes(a: PlanSlot, b: PlanSlot) -> int:
    """Minutes that two slots have in common (0 on different days)."""
    if a.day != b.day:
        return 0
    start, end = max(a.start, b.start), min(a.end, b.end)
    if start >= end:
        return 0
    return _minute(end) - _minute(start)


def _minute(at: time) -> int:
    return at.hour * 60 + at.minute


def outside_windows(slot: PlanSlot, windows: tuple[tuple[time, time], ...]) -> int:
    """Minutes of ``slot`` not covered by any of the windows (0 when there are none)."""
    if not windows:
        return 0
    covered = set()
    for minute in range(slot.minutes):
        at = _minute(slot.start) + minute
        for low, high in windows:
            if _minute(low) <= at < _minute(high):
                covered.add(minute)
                break
    return slot.minutes - len(covered)


def day_order(instance: Instance) -> dict[date, list[PlanSlot]]:
    """Each day's slots in order of start time."""
    days: dict[date, list[PlanSlot]] = defaultdict(list)
    for slot in instance.slots:
        days[slot.day].append(slot)
    return {
        day: sorted(slots, key=lambda s: (s.start, s.end)) for day, slots in sorted(days.items())
    }


def _starts(order: dict[date, list[PlanSlot]], present: set[str]) -> dict[date, int]:
    """Per day, the number of blocks (starts) among the slots in ``present``."""
    starts: dict[date, int] = {}
    for day, slots in order.items():
        count, before = 0, False
        for slot in slots:
            now = slot.key in present
            if now and not before:
                count += 1
            before = now
        starts[day] = count
    return starts


def soft_terms(instance: Instance, schedule: Schedule) -> dict[str, int]:
    """Each soft term's points (the names of ``SOFT_TERMS``); their sum is ``soft_cost``."""
    slots = {slot.key: slot for slot in instance.slots}
    order = day_order(instance)
    present: dict[str, set[str]] = defaultdict(set)
    rooms_of: dict[tuple[str, date | None], set[str]] = defaultdict(set)
    joint_at: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (room, key), slot in _known_cells(instance, schedule):
        placement = schedule[(room, key)]
        for team in placement.teams:
            present[team].add(key)
            rooms_of[(team, slot.day if ROOMS_PER_DAY else None)].add(room)
        for guest in placement.guests:
            joint_at[(placement.team, guest)].add(key)
    terms = dict.fromkeys(SOFT_TERMS, 0)
    first_day = min(order, default=None)
    for team, needs in instance.needs.items():
        mine = present[team]
        for count in _starts(order, mine).values():
            terms["blocks"] += W_BLOCK * max(0, count - 1)
        for (whose, _), rooms in rooms_of.items():
            if whose == team:
                terms["rooms"] += W_ROOM * max(0, len(rooms) - 1)
        for key in mine:
            slot = slots[key]
            if needs.preferred_days and slot.day not in needs.preferred_days:
                terms["days"] += W_DAY * slot.minutes
            terms["windows"] += W_WINDOW * outside_windows(slot, instance.windows(team))
        if needs.onboarding and first_day is not None:
            on_first = sum(slot.minutes for slot in order[first_day] if slot.key in mine)
            short = max(0, instance.rules.onboarding_minutes - on_first)
            terms["onboarding"] += W_ONBOARD * short
    for pair, weight in instance.soft_clashes().items():
        a, b = sorted(pair)
        for key_a in present[a]:
            for key_b in present[b]:
                terms["clashes"] += weight * overlap_minutes(slots[key_a], slots[key_b])
    for pair_key in joint_wanted(instance):
        starts = sum(_starts(order, joint_at[pair_key]).values())
        terms["joint-split"] += W_SPLIT * max(0, starts - 1)
    return terms


def soft_cost(instance: Instance, schedule: Schedule) -> int:
    """Stage 3's objective: the weighted sum documented in this module's docstring."""
    return sum(soft_terms(instance, schedule).values())
