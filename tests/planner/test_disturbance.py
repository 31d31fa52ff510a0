"""The standard disturbance of a published schedule."""

from __future__ import annotations

import pytest

from ptghub.planner.checker import check
from ptghub.planner.disturbance import disturb
from ptghub.planner.generate import generate
from ptghub.planner.greedy import greedy


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
