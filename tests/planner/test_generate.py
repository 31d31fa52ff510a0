"""The instance generator: seeded virtual-PTG-like instances S, M and L."""

from __future__ import annotations

from collections import Counter

import pytest

from ptghub.planner.generate import CLIQUE, GROUPS, generate, load
from ptghub.planner.instance import Instance


def cell_minutes(instance: Instance) -> int:
    return sum(
        slot.minutes
        for room in instance.rooms
        for slot in instance.slots
        if (room.key, slot.key) not in instance.unavailable
    )


@pytest.mark.parametrize(
    ("size", "teams", "rooms", "days"), [("S", 30, 10, 4), ("M", 40, 15, 4), ("L", 60, 20, 5)]
)
def test_sizes(size: str, teams: int, rooms: int, days: int) -> None:
    """S, M, L as in the issue: eight one-hour slots a day; 4 h a day, 16 h in all."""
    instance = generate(size)
    assert len(instance.needs) == teams
    assert len(instance.rooms) == rooms
    assert len({slot.day for slot in instance.slots}) == days
    assert len(instance.slots) == 8 * days
    assert all(slot.minutes == 60 for slot in instance.slots)
    assert instance.rules.max_minutes_per_day == 240
    assert instance.rules.max_minutes_total == 960


@pytest.mark.parametrize("size", ["S", "M", "L"])
@pytest.mark.parametrize("seed", [0, 7])
def test_load_is_about_75_percent(size: str, seed: int) -> None:
    """What the teams want (demand plus hosted joint sessions) over the open cell-minutes."""
    instance = generate(size, seed)
    wanted = sum(instance.demand(t) for t in instance.needs)
    wanted += sum(m for needs in instance.needs.values() for _, m in needs.joint)
    assert wanted / cell_minutes(instance) == pytest.approx(0.75, abs=0.01)
    assert load(instance) == pytest.approx(wanted / cell_minutes(instance))


def test_same_seed_same_instance_other_seed_other_instance() -> None:
    assert generate("S", 1) == generate("S", 1)
    assert generate("S", 1).needs != generate("S", 2).needs


def test_unknown_size_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown instance size 'XL'; expected one of S, M, L"):
        generate("XL")


@pytest.mark.parametrize("size", ["S", "M", "L"])
def test_clash_structure(size: str) -> None:
    """The clique shares members; other hard clashes are few, mostly inside groups, and
    each leaves room for both teams; soft clashes weigh 1-5."""
    instance = generate(size)
    hard = instance.hard_clashes()
    for i, a in enumerate(CLIQUE):
        for b in CLIQUE[i + 1 :]:
            assert frozenset((a, b)) in hard
    assert len(hard) <= len(instance.needs)
    group = {team: g for g, members in GROUPS.items() for team in members}
    inside = sum(1 for pair in hard if len({group[t] for t in pair}) == 1)
    assert inside >= 0.7 * len(hard)
    week = len(instance.slots) * 60
    assert all(sum(instance.demand(t) for t in pair) <= week for pair in hard)
    soft = instance.soft_clashes()
    assert len(soft) >= len(instance.needs)
    weights = [w for n in instance.needs.values() for _, w in n.rather_not]
    assert min(weights) >= 1 and max(weights) <= 5 and len(set(weights)) >= 3


@pytest.mark.parametrize("size", ["S", "M", "L"])
def test_joint_sessions_rooms_and_wishes(size: str) -> None:
    instance = generate(size)
    needs = instance.needs
    hosts = [n for n in needs.values() if n.joint]
    assert 0.05 * len(needs) <= len(hosts) <= 0.15 * len(needs)
    for host in hosts:
        for guest, minutes in host.joint:
            assert guest in needs and minutes in (60, 120)
            assert frozenset((host.team, guest)) not in instance.hard_clashes()
    capacities = Counter(room.capacity for room in instance.rooms)
    assert len(capacities) == 3 and capacities[100] >= 2
    sized = [n for n in needs.values() if n.room_size]
    assert len(sized) >= 5 and all(n.room_size <= 100 for n in sized if n.room_size)
    assert sum(1 for n in needs.values() if n.preferred_days) >= 3
    assert any(n.cross_project for n in needs.values())
    assert instance.unavailable and not instance.fixed and not instance.previous
