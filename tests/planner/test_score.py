"""The objectives: hours served and fairness, disruption, and every soft term, each from a
small schedule whose value follows from the rules in score.py's docstring."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from ptghub.core.team_needs import PlanRules, TeamNeeds
from ptghub.planner import score
from ptghub.planner.instance import Instance, Placement, PlanRoom, PlanSlot
from tests.planner.grids import MON, TUE, hourly_slots, instance_of


def instance(*needs: TeamNeeds, **changes: object) -> Instance:
    """Rooms a and b; Monday and Tuesday with hourly slots from 13h to 16h."""
    rooms = (PlanRoom("a", 10), PlanRoom("b", 40))
    return instance_of(rooms, hourly_slots((MON, TUE)), *needs, **changes)


def own(team: str) -> Placement:
    return Placement(team)


def test_served_counts_own_sessions_up_to_the_demand_and_joint_sessions_for_the_host() -> None:
    inst = instance(
        TeamNeeds("nova", 60, joint=(("cinder", 60), ("cinder", 60))),
        TeamNeeds("cinder", 60, onboarding=True),
    )
    schedule = {
        ("a", "mon13"): own("nova"),
        ("a", "mon14"): own("nova"),  # beyond nova's 60 own minutes: not served
        ("b", "mon13"): Placement("cinder"),
        ("b", "mon15"): Placement("nova", ("cinder",)),
    }
    assert score.joint_wanted(inst) == {("nova", "cinder"): 120}
    assert score.wanted_minutes(inst) == {"nova": 60 + 120, "cinder": 60 + 60}
    assert score.placed_minutes(inst, schedule) == {"nova": 180, "cinder": 60}
    assert score.served_minutes(inst, schedule) == {"nova": 60 + 60, "cinder": 60}
    # shares: nova 120/180, cinder 60/120 -> the worst is one half
    assert score.fairness(inst, schedule) == score.SHARE_SCALE // 2
    assert score.hours(inst, schedule) == (score.SHARE_SCALE // 2, 180)


def test_fairness_of_nothing_wanted_is_full() -> None:
    assert score.fairness(instance(TeamNeeds("nova", 0)), {}) == score.SHARE_SCALE


def test_demand_is_capped_by_the_total_cap() -> None:
    inst = instance(TeamNeeds("nova", 600), rules=PlanRules(max_minutes_total=120))
    assert score.wanted_minutes(inst) == {"nova": 120}


def test_disruption_counts_minutes_of_previous_cells_not_kept_as_they_were() -> None:
    previous = {
        ("a", "mon13"): own("nova"),
        ("a", "mon14"): Placement("nova", ("cinder",)),
        ("b", "tue15"): own("cinder"),
    }
    inst = instance(TeamNeeds("nova", 60), previous=previous)
    schedule = {
        ("a", "mon13"): own("nova"),  # kept
        ("a", "mon14"): own("nova"),  # the guest is gone: moved
        ("a", "tue15"): own("cinder"),  # another room: moved
    }
    assert score.moved_cells(inst, schedule) == [("a", "mon14"), ("b", "tue15")]
    assert score.disruption(inst, schedule) == 120
    assert score.disruption(inst, previous) == 0


def test_blocks_cost_every_start_after_the_first_in_a_day() -> None:
    inst = instance(TeamNeeds("nova", 300))
    one_block = {("a", "mon13"): own("nova"), ("a", "mon14"): own("nova")}
    gap = {("a", "mon13"): own("nova"), ("a", "mon15"): own("nova"), ("a", "tue13"): own("nova")}
    assert score.soft_terms(inst, one_block)["blocks"] == 0
    assert score.soft_terms(inst, gap)["blocks"] == score.W_BLOCK


def test_rooms_cost_each_room_beyond_one_per_day_guest_cells_included() -> None:
    inst = instance(TeamNeeds("nova", 300), TeamNeeds("cinder", 60, joint=(("nova", 60),)))
    schedule = {
        ("a", "mon13"): own("nova"),
        ("b", "mon14"): Placement("cinder", ("nova",)),
        ("b", "tue13"): own("nova"),
    }
    terms = score.soft_terms(inst, schedule)
    assert terms["rooms"] == score.W_ROOM
    assert terms["blocks"] == 0  # in two rooms, but back to back


def test_minutes_outside_preferred_days_and_windows() -> None:
    inst = instance(
        TeamNeeds("nova", 300, preferred_days=frozenset({MON}), windows=((time(13, 30), time(15)),))
    )
    schedule = {
        ("a", "mon13"): own("nova"),
        ("a", "mon14"): own("nova"),
        ("a", "tue15"): own("nova"),
    }
    terms = score.soft_terms(inst, schedule)
    assert terms["days"] == score.W_DAY * 60
    # mon13 is half outside the window, tue15 wholly
    assert terms["windows"] == score.W_WINDOW * (30 + 60)


def test_soft_clash_costs_its_weight_per_minute_of_overlap() -> None:
    inst = instance(
        TeamNeeds("nova", 300, rather_not=(("cinder", 2),)),
        TeamNeeds("cinder", 300, rather_not=(("nova", 1),)),
        interest={frozenset({"nova", "cinder"}): 1},
    )
    schedule = {
        ("a", "mon13"): own("nova"),
        ("b", "mon13"): own("cinder"),
        ("a", "mon14"): own("cinder"),
    }
    # the larger side's weight (2) plus the interest (1), for the one common hour
    assert score.soft_terms(inst, schedule)["clashes"] == 3 * 60


def test_overlapping_slots_count_their_common_minutes() -> None:
    long = PlanSlot("mon-long", MON, time(13), time(15))
    short = PlanSlot("mon-short", MON, time(14), time(14, 30))
    assert score.overlap_minutes(long, short) == 30
    assert score.overlap_minutes(long, replace(short, day=TUE)) == 0
    inst = instance_of(
        (PlanRoom("a"), PlanRoom("b")),
        (long, short),
        TeamNeeds("nova", 120, rather_not=(("cinder", 1),)),
        TeamNeeds("cinder", 30),
    )
    schedule = {("a", "mon-long"): own("nova"), ("b", "mon-short"): own("cinder")}
    assert score.soft_terms(inst, schedule)["clashes"] == 30


def test_onboarding_wants_its_minutes_on_the_first_day() -> None:
    inst = instance(TeamNeeds("nova", 120, onboarding=True), rules=PlanRules(onboarding_minutes=90))
    assert (
        score.soft_terms(inst, {("a", "tue13"): own("nova")})["onboarding"] == score.W_ONBOARD * 90
    )
    on_monday = {("a", "mon13"): own("nova")}
    assert score.soft_terms(inst, on_monday)["onboarding"] == score.W_ONBOARD * 30


def test_a_joint_session_in_parts_costs_each_part_after_the_first() -> None:
    inst = instance(TeamNeeds("nova", 0, joint=(("cinder", 180),)))
    joint = Placement("nova", ("cinder",))
    together = {("a", "mon13"): joint, ("b", "mon14"): joint}
    apart = {("a", "mon13"): joint, ("a", "tue13"): joint, ("a", "tue15"): joint}
    assert score.soft_terms(inst, together)["joint-split"] == 0
    assert score.soft_terms(inst, apart)["joint-split"] == 2 * score.W_SPLIT


def test_soft_cost_is_the_sum_of_the_terms_and_ignores_unknown_cells() -> None:
    inst = instance(TeamNeeds("nova", 300, preferred_days=frozenset({TUE})))
    schedule = {
        ("a", "mon13"): own("nova"),
        ("b", "mon15"): own("nova"),
        ("z", "mon14"): own("nova"),
    }
    terms = score.soft_terms(inst, schedule)
    assert set(terms) == set(score.SOFT_TERMS)
    assert score.soft_cost(inst, schedule) == sum(terms.values())
    assert terms == {
        **dict.fromkeys(score.SOFT_TERMS, 0),
        "blocks": score.W_BLOCK,
        "rooms": score.W_ROOM,
        "days": score.W_DAY * 120,
    }


def test_a_second_room_on_another_day_costs_too() -> None:
    """Issue 11: a team keeps one room all week; moving it on Tuesday costs as much as a
    second room on Monday, and more than an hour outside its windows."""
    inst = instance(TeamNeeds("nova", 120))
    moved = {("a", "mon13"): own("nova"), ("b", "tue13"): own("nova")}
    kept = {("a", "mon13"): own("nova"), ("a", "tue13"): own("nova")}
    assert score.soft_terms(inst, moved)["rooms"] == score.W_ROOM
    assert score.soft_terms(inst, kept)["rooms"] == 0
    assert score.W_ROOM > 60 * score.W_WINDOW > 60 * score.W_DAY


def test_a_team_without_windows_prefers_the_events_usual_hours() -> None:
    """rules.windows are the usual hours: a team naming none of its own is held to them,
    a team naming its own (the early UTC hours) is not."""
    rules = PlanRules(windows=((time(14), time(16)),))
    inst = instance(
        TeamNeeds("nova", 120),
        TeamNeeds("cinder", 120, windows=((time(13), time(14)),)),
        rules=rules,
    )
    schedule = {("a", "mon13"): own("nova"), ("b", "mon14"): own("cinder")}
    assert inst.windows("nova") == ((time(14), time(16)),)
    assert score.soft_terms(inst, schedule)["windows"] == 2 * score.W_WINDOW * 60
