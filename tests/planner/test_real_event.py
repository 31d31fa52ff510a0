"""Real events' grids as planning problems, their own grids valid schedules of them."""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

from ptghub.core.apply import apply_all
from ptghub.core.model import EventState
from ptghub.eventfile import load_event_file
from ptghub.importers.ptgbot import import_ptgbot
from ptghub.planner import score
from ptghub.planner.checker import check
from ptghub.planner.generate import GROUPS
from ptghub.planner.real_event import given_instance, given_schedule

DEMO = Path(__file__).parents[2] / "src" / "ptghub" / "demo" / "ptg-2022-04.yaml"


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
    # each team's usual hours are the times it was given: only the teams given the early
    # UTC hours ask for them, and the real grid keeps every team within its hours
    assert instance.windows("nova") == ((time(13), time(21)),)
    assert instance.windows("cyborg") == ((time(0), time(4)), (time(17), time(21)))
    assert score.soft_terms(instance, schedule)["windows"] == 0
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
