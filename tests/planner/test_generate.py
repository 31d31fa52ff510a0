"""The instance generator, the standard disturbance, and the real grids as instances."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from ptghub.core.apply import apply_all
from ptghub.core.model import EventState
from ptghub.eventfile import load_event_file
from ptghub.importers.ptgbot import import_ptgbot
from ptghub.planner.checker import check
from ptghub.planner.generate import (
    CLIQUE,
    GROUPS,
    disturb,
    generate,
    given_instance,
    given_schedule,
    load,
)
from ptghub.planner.greedy import greedy
from ptghub.planner.instance import Instance

DEMO = Path(__file__).parents[2] / "src" / "ptghub" / "demo" / "ptg-2022-04.yaml"


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


def test_disturb_is_the_standard_disturbance() -> None:
    """One team +2 h, one -2 h, a new hard clash between teams that overlap in the
    published schedule, one room lost for a later day, day 1 over and fixed."""
    instance = generate("M", 4)
    published = greedy(instance).schedule
    after = disturb(instance, published, seed=4)
    changed = {
        team: after.needs[team].minutes - instance.needs[team].minutes
        for team in instance.needs
        if after.needs[team].minutes != instance.needs[team].minutes
    }
    assert sorted(changed.values()) == [-120, 120]
    new = after.hard_clashes() - instance.hard_clashes()
    assert len(new) == 1
    a, b = sorted(next(iter(new)))
    slots_of = {t: {s for (_, s), p in published.items() if t in p.teams} for t in (a, b)}
    assert slots_of[a] & slots_of[b]
    lost = after.unavailable - instance.unavailable
    days = sorted({slot.day for slot in instance.slots})
    day_of = {slot.key: slot.day for slot in instance.slots}
    assert len({room for room, _ in lost}) == 1 and len({day_of[s] for _, s in lost}) == 1
    assert days[0] not in {day_of[s] for _, s in lost}
    assert after.frozen_slots == {s.key for s in instance.slots if s.day == days[0]}
    assert after.fixed == {c: p for c, p in published.items() if day_of[c[1]] == days[0]}
    assert after.previous == published
    assert check(after, after.fixed) == []
    assert disturb(instance, published, seed=4) == after


def test_disturb_needs_teams_that_overlap() -> None:
    instance = generate("S")
    with pytest.raises(ValueError, match="No two teams meet at the same time"):
        disturb(instance, {})


def test_the_demo_event_as_an_instance() -> None:
    """Each team needs the minutes it was given; related teams the grid kept apart become
    hard clashes, so the real grid is itself a valid schedule of the instance."""
    state = apply_all(EventState(), load_event_file(DEMO))
    instance, apart = given_instance(state, GROUPS)
    assert len(instance.needs) == 34 and len(instance.rooms) == 16 and len(instance.slots) == 60
    assert instance.needs["nova"].minutes == 24 * 60
    assert ("cyborg", "ironic") in apart
    assert all(pair[0] in GROUPS["compute"] for pair in apart if "cyborg" in pair)
    schedule = given_schedule(state)
    assert check(instance, schedule) == []
    assert not instance.fixed and not instance.previous
    plain, none = given_instance(state)
    assert none == [] and plain.hard_clashes() == set()


def test_denver_2018_as_an_instance(shared_data: Path) -> None:
    data = json.loads((shared_data / "ptgbot-denver-2018.json").read_text())
    events = import_ptgbot(data, date(2018, 9, 10)).events
    state = apply_all(EventState(), events)
    instance, apart = given_instance(state, GROUPS)
    assert (len(instance.needs), len(instance.rooms), len(instance.slots)) == (44, 23, 20)
    assert instance.slots[0].minutes == 105
    assert check(instance, given_schedule(state)) == []
    assert apart
