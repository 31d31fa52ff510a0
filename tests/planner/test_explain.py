"""Plain words for unmet wishes, found by looking at a schedule: the sentences organizers
and chairs read next to a draft."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

from ptghub.core.team_needs import PlanRules, TeamNeeds
from ptghub.planner import plan
from ptghub.planner.explain import unmet
from ptghub.planner.instance import Instance, Placement, PlanRoom, PlanSlot
from tests.planner.grids import MON, THU, TUE, WED, hourly_slots, instance_of


def grid(*needs: TeamNeeds, days: tuple[date, ...] = (TUE, THU), **changes: object) -> Instance:
    """Room a (40 seats) and b (10), one slot at 13h on each of ``days``."""
    rooms = (PlanRoom("a", 40), PlanRoom("b", 10))
    return instance_of(rooms, hourly_slots(days, (13,), key="{day:%a}"), *needs, **changes)


def test_hours_short_are_explained_by_clash_and_room_size_with_display_names() -> None:
    instance = grid(
        TeamNeeds("cinder", 120, room_size=40, avoid=frozenset({"nova"})),
        TeamNeeds("nova", 60),
        TeamNeeds("keystone", 60, room_size=40),
    )
    schedule = {("a", "tue"): Placement("nova"), ("a", "thu"): Placement("keystone")}
    names = {"cinder": "Cinder", "nova": "Nova"}
    assert unmet(instance, schedule, names) == (
        "Cinder got 0 of 2 hours: clash with Nova on Tuesday, no room of 40 free on Thursday.",
    )
    assert unmet(instance, schedule)[0].startswith("cinder got 0 of 2 hours: clash with nova")


def test_caps_past_slots_and_cross_project_days_are_named() -> None:
    instance = grid(
        TeamNeeds("cinder", 240, max_minutes_per_day=60),
        days=(MON, TUE, WED),
        rules=PlanRules(cross_project_days=frozenset({WED})),
        frozen_slots=frozenset({"mon"}),
    )
    slots = (*instance.slots, PlanSlot("tue-late", TUE, time(14), time(15)))
    instance = replace(instance, slots=slots)
    schedule = {("b", "tue"): Placement("cinder")}
    assert unmet(instance, schedule) == (
        "cinder got 1 of 4 hours: Monday is over, Wednesday is kept for cross-project "
        "teams, at most 1 hour a day.",
    )


def test_total_cap() -> None:
    instance = grid(TeamNeeds("cinder", 120), rules=PlanRules(max_minutes_total=60))
    # the cap also caps the demand; a guest's minutes count towards it
    nova = TeamNeeds("nova", 0, joint=(("cinder", 60),))
    instance = replace(instance, needs={**instance.needs, "nova": nova})
    schedule = {("a", "tue"): Placement("nova", ("cinder",))}
    assert unmet(instance, schedule) == ("cinder got 0 of 1 hour: at most 1 hour in all.",)


def test_soft_misses_follow_the_hours() -> None:
    instance = grid(
        TeamNeeds(
            "nova",
            60,
            preferred_days=frozenset({THU}),
            windows=((time(9), time(12)),),
            rather_not=(("cinder", 1),),
            joint=(("neutron", 60),),
            onboarding=True,
        ),
        TeamNeeds("cinder", 60),
        rules=PlanRules(onboarding_minutes=60),
        days=(TUE, WED, THU),
    )
    schedule = {
        ("a", "wed"): Placement("nova"),
        ("b", "wed"): Placement("cinder"),
        ("a", "thu"): Placement("nova"),
    }
    assert unmet(instance, schedule) == (
        "nova got 2 of 3 hours: joint session with neutron (1 hour) not placed; "
        "1 hour outside its preferred days; 2 hours outside its preferred times; "
        "overlaps cinder for 1 hour; onboarding not on the first day.",
    )
    # cinder's wishes are met: the overlap is nova's wish, and is said once, for nova
    assert not any(line.startswith("cinder") for line in unmet(instance, schedule))


def test_a_team_served_in_full_with_a_soft_miss_says_so() -> None:
    instance = grid(TeamNeeds("nova", 60, preferred_days=frozenset({THU})))
    assert unmet(instance, {("a", "tue"): Placement("nova")}) == (
        "nova got all 1 hour; 1 hour outside its preferred days.",
    )


def test_every_wish_met_gives_no_sentence() -> None:
    instance = grid(TeamNeeds("nova", 60), TeamNeeds("cinder", 60, room_size=40))
    schedule = {("b", "tue"): Placement("nova"), ("a", "tue"): Placement("cinder")}
    assert unmet(instance, schedule) == ()


def test_a_joint_session_between_teams_that_must_not_clash_is_impossible() -> None:
    instance = grid(
        TeamNeeds("nova", 0, joint=(("cinder", 60),), avoid=frozenset({"cinder"})),
        TeamNeeds("cinder", 60),
    )
    found = plan(instance, work_limit=5)
    assert found.unmet == (
        "nova got 0 of 1 hour: joint session with cinder impossible: cinder must not clash "
        "with it.",
    )
