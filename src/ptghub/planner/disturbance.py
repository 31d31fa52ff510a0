"""The standard disturbance of a published schedule, for the benchmark and the tests.

``disturb(instance, published, seed)`` makes the changes a re-plan must cope with in the
middle of an event: demands up and down, two teams that must no longer meet, a room
lost for a day, the first day over (see bench/planner.py).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from itertools import combinations

from ptghub.planner.instance import Instance, Placement, Schedule


def disturb(instance: Instance, published: Schedule, seed: int = 0) -> Instance:
    """The standard disturbance of ``published``, the schedule teams rely on.

    One team wants 2 h more and one 2 h less; two teams that overlap in ``published``
    now must not clash; one room is lost for a day (not the first); the first day is
    over (its slots frozen, what ``published`` holds there fixed). ``previous`` is
    ``published``. Raises ValueError when ``published`` gives no two teams that overlap.
    """
    rng = random.Random(f"disturb-{seed}")
    needs = dict(instance.needs)
    teams = sorted(needs)
    day_cap = instance.rules.max_minutes_per_day
    days = sorted({slot.day for slot in instance.slots})
    most = instance.rules.max_minutes_total or 10**9
    if day_cap is not None:
        most = min(most, day_cap * len(days))
    more = rng.choice([t for t in teams if instance.demand(t) + 120 <= most])
    needs[more] = replace(needs[more], minutes=needs[more].minutes + 120)
    joint = {t: sum(m for _, m in needs[t].joint) for t in teams}
    less = rng.choice([t for t in teams if t != more and needs[t].minutes >= joint[t] + 180])
    needs[less] = replace(needs[less], minutes=needs[less].minutes - 120)

    a, b = rng.choice(_overlapping(instance, published))
    needs[a] = replace(needs[a], avoid=needs[a].avoid | {b})

    rooms = [room.key for room in instance.rooms]
    lost_room, lost_day = rng.choice(rooms), rng.choice(days[1:])
    lost = {(lost_room, s.key) for s in instance.slots if s.day == lost_day}

    first = {slot.key for slot in instance.slots if slot.day == days[0]}
    fixed = dict(instance.fixed)
    fixed.update({cell: p for cell, p in published.items() if cell[1] in first})
    return replace(
        instance,
        needs=needs,
        unavailable=instance.unavailable | lost,
        fixed=fixed,
        frozen_slots=instance.frozen_slots | first,
        previous=dict(published),
    )


def _overlapping(instance: Instance, published: Schedule) -> list[tuple[str, str]]:
    """Pairs of teams that meet at the same time in ``published`` after the first day but
    not on it (that day becomes fixed), not already kept apart, not in one session."""
    first_day = min(slot.day for slot in instance.slots)
    day = {slot.key: slot.day for slot in instance.slots}
    at: dict[str, list[Placement]] = defaultdict(list)
    for (_, slot), placement in sorted(published.items()):
        if slot in day:
            at[slot].append(placement)
    hard = instance.hard_clashes()
    pairs: set[tuple[str, str]] = set()
    on_first_day: set[frozenset[str]] = set()
    for slot, placements in at.items():
        for p, q in combinations(placements, 2):
            for a in p.teams:
                for b in q.teams:
                    if day[slot] == first_day:
                        on_first_day.add(frozenset((a, b)))
                    elif a != b and frozenset((a, b)) not in hard and a in instance.needs:
                        pairs.add((a, b))
    pairs = {pair for pair in pairs if frozenset(pair) not in on_first_day}
    if not pairs:
        raise ValueError("No two teams meet at the same time after the first day.")
    return sorted(pairs)
