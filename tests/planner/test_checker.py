"""The checker: every hard rule, each with a schedule that breaks it and one that keeps it."""

from __future__ import annotations

from datetime import time

from ptghub.core.team_needs import PlanRules, TeamNeeds
from ptghub.planner.checker import RULES, Violation, check
from ptghub.planner.instance import Cell, Instance, Placement, PlanRoom, PlanSlot
from ptghub.planner.names import Names
from tests.planner.grids import MON, TUE, hourly_slots, instance_of


def base(**changes: object) -> Instance:
    """Two days of three hourly slots, rooms austin (10 seats), bexar (40), cork (no size);
    nova, cinder and neutron want 3 h each; nova hosts a 1-h joint session with cinder."""
    return instance_of(
        (PlanRoom("austin", 10), PlanRoom("bexar", 40), PlanRoom("cork")),
        hourly_slots((MON, TUE), key="{day:%a}-{hour}h"),
        TeamNeeds("nova", 180, joint=(("cinder", 60),)),
        TeamNeeds("cinder", 180),
        TeamNeeds("neutron", 180),
        **changes,
    )


def at(team: str, *guests: str) -> Placement:
    return Placement(team, tuple(guests))


def rules(violations: list[Violation]) -> list[str]:
    return [v.rule for v in violations]


def test_a_schedule_keeping_every_rule_has_no_violation() -> None:
    """A full, sensible schedule (joint session included) passes."""
    schedule = {
        ("austin", "mon-13h"): at("nova"),
        ("bexar", "mon-13h"): at("neutron"),
        ("austin", "mon-14h"): at("nova", "cinder"),
        ("cork", "mon-15h"): at("cinder"),
        ("bexar", "tue-13h"): at("cinder"),
    }
    assert check(base(), schedule) == []
    assert check(base(), {}) == []


def test_rules_are_listed_in_order() -> None:
    assert len(set(RULES)) == len(RULES)


def test_cell_must_exist() -> None:
    """A room or slot the instance does not know is reported, naming both."""
    found = check(base(), {("dublin", "mon-13h"): at("nova"), ("austin", "wed-9h"): at("cinder")})
    assert rules(found) == ["cell", "cell"]
    assert (
        found[0].message
        == "nova is placed in dublin on Mon 4 Apr 13:00, but there is no room dublin."
    )
    assert found[1].message == "cinder is placed in austin on wed-9h, but there is no slot wed-9h."
    assert found[0].cells == (("dublin", "mon-13h"),)


def test_cell_must_be_available() -> None:
    instance = base(unavailable=frozenset({("austin", "mon-13h")}))
    found = check(instance, {("austin", "mon-13h"): at("nova")})
    assert [v.message for v in found] == [
        "nova is placed in austin on Mon 4 Apr 13:00, which is unavailable."
    ]
    assert check(instance, {("austin", "mon-14h"): at("nova")}) == []


def test_placement_names_each_team_once() -> None:
    found = check(base(), {("cork", "mon-13h"): at("nova", "nova")})
    assert "placement" in rules(found)
    assert check(base(), {("cork", "mon-13h"): at("nova", "cinder")}) == []


def test_team_is_in_one_room_at_a_time() -> None:
    """Nova twice in one slot breaks the rule; at two different times it does not."""
    found = check(base(), {("austin", "mon-13h"): at("nova"), ("bexar", "mon-13h"): at("nova")})
    assert rules(found) == ["one-room"]
    assert found[0].message == "nova is in austin and bexar at Mon 4 Apr 13:00."
    assert set(found[0].cells) == {("austin", "mon-13h"), ("bexar", "mon-13h")}
    assert (
        check(base(), {("austin", "mon-13h"): at("nova"), ("bexar", "mon-14h"): at("nova")}) == []
    )


def test_guest_of_a_joint_session_is_busy_too() -> None:
    """Cinder, guest of nova's joint session, cannot meet alone elsewhere at that time."""
    schedule = {("austin", "mon-13h"): at("nova", "cinder"), ("bexar", "mon-13h"): at("cinder")}
    found = check(base(), schedule)
    assert rules(found) == ["one-room"]
    assert found[0].message == "cinder is in austin and bexar at Mon 4 Apr 13:00."


def test_overlapping_slots_of_different_names_are_the_same_time() -> None:
    """Slots are compared by their times, not their keys: a 13:30-14:30 slot meets 14h."""
    half = PlanSlot("mon-1330", MON, time(13, 30), time(14, 30))
    instance = base(slots=(*base().slots, half))
    schedule = {("austin", "mon-14h"): at("nova"), ("bexar", "mon-1330"): at("nova")}
    found = check(instance, schedule)
    assert rules(found) == ["one-room"]
    assert found[0].message == (
        "nova is in bexar on Mon 4 Apr 13:30 and in austin on Mon 4 Apr 14:00, which overlap."
    )
    back_to_back = {("austin", "mon-15h"): at("nova"), ("bexar", "mon-1330"): at("nova")}
    assert check(instance, back_to_back) == []


def test_room_must_fit_the_team() -> None:
    """A team needing 30 seats fits bexar (40) and cork (no capacity), not austin (10)."""
    needs = dict(base().needs)
    needs["neutron"] = TeamNeeds("neutron", 180, room_size=30)
    instance = base(needs=needs)
    found = check(instance, {("austin", "mon-13h"): at("neutron")})
    assert [v.message for v in found] == [
        "neutron needs a room for 30, but austin (at Mon 4 Apr 13:00) holds 10."
    ]
    ok = {("bexar", "mon-13h"): at("neutron"), ("cork", "mon-14h"): at("neutron")}
    assert check(instance, ok) == []


def test_a_fixed_cell_may_be_too_small() -> None:
    """A chair who booked a small room (or the past) chose it: only planned cells must fit."""
    needs = dict(base().needs)
    needs["neutron"] = TeamNeeds("neutron", 180, room_size=30)
    booked = {("austin", "mon-13h"): at("neutron")}
    assert check(base(needs=needs, fixed=booked), dict(booked)) == []


def test_room_must_fit_the_guests_of_a_joint_session() -> None:
    needs = dict(base().needs)
    needs["cinder"] = TeamNeeds("cinder", 180, room_size=20)
    instance = base(needs=needs)
    assert rules(check(instance, {("austin", "mon-13h"): at("nova", "cinder")})) == ["room-size"]
    assert check(instance, {("bexar", "mon-13h"): at("nova", "cinder")}) == []


def test_hard_clashes_never_overlap_whichever_side_asked() -> None:
    """Neutron avoids nova: they may not meet at the same time, even when nova never asked."""
    needs = dict(base().needs)
    needs["neutron"] = TeamNeeds("neutron", 180, avoid=frozenset({"nova"}))
    instance = base(needs=needs)
    found = check(
        instance, {("austin", "mon-13h"): at("nova"), ("bexar", "mon-13h"): at("neutron")}
    )
    assert rules(found) == ["hard-clash"]
    assert found[0].message == (
        "neutron (in bexar) and nova (in austin) must not clash, but both meet at Mon 4 Apr 13:00."
    )
    ok = {("austin", "mon-13h"): at("nova"), ("bexar", "mon-14h"): at("neutron")}
    assert check(instance, ok) == []


def test_hard_clash_inside_one_joint_session() -> None:
    needs = dict(base().needs)
    needs["cinder"] = TeamNeeds("cinder", 180, avoid=frozenset({"nova"}))
    found = check(base(needs=needs), {("bexar", "mon-13h"): at("nova", "cinder")})
    assert rules(found) == ["hard-clash"]
    assert "meet in one session in bexar on Mon 4 Apr 13:00" in found[0].message


def test_a_clash_declared_after_two_teams_met_in_the_past_breaks_nothing() -> None:
    """The past stays as it is; the same meeting in cells that can change still breaks it."""
    needs = dict(base().needs)
    needs["neutron"] = TeamNeeds("neutron", 180, avoid=frozenset({"nova"}))
    fixed = {("austin", "mon-13h"): at("nova"), ("bexar", "mon-13h"): at("neutron")}
    instance = base(needs=needs, fixed=fixed, frozen_slots=frozenset({"mon-13h"}))
    assert check(instance, dict(fixed)) == []
    broken = {**fixed, ("austin", "mon-14h"): at("nova"), ("bexar", "mon-14h"): at("neutron")}
    assert rules(check(instance, broken)) == ["hard-clash"]
    pinned = base(needs=needs, fixed=fixed)  # the same cells pinned, not yet past
    assert rules(check(pinned, dict(fixed))) == ["hard-clash"]


def test_soft_clashes_are_not_violations() -> None:
    needs = dict(base().needs)
    needs["neutron"] = TeamNeeds("neutron", 180, rather_not=(("nova", 5),))
    schedule = {("austin", "mon-13h"): at("nova"), ("bexar", "mon-13h"): at("neutron")}
    assert check(base(needs=needs), schedule) == []


def test_rules_day_cap() -> None:
    """At most 2 h a day: nova's third hour on Monday (hosted or as a guest) breaks it."""
    instance = base(rules=PlanRules(max_minutes_per_day=120))
    two = {("austin", "mon-13h"): at("nova"), ("austin", "mon-14h"): at("nova")}
    assert check(instance, two) == []
    found = check(instance, {**two, ("austin", "mon-15h"): at("cinder", "nova")})
    # cinder hosting a joint session it never asked for is another violation
    assert rules(found) == ["day-cap", "unknown-team"]
    assert found[0].message == "nova has 3 h on Mon 4 Apr, more than the cap of 2 h."
    spread = {**two, ("austin", "tue-15h"): at("nova")}
    assert check(instance, spread) == []


def test_teams_own_day_cap() -> None:
    needs = dict(base().needs)
    needs["cinder"] = TeamNeeds("cinder", 180, max_minutes_per_day=60)
    instance = base(needs=needs)
    found = check(
        instance, {("austin", "mon-13h"): at("cinder"), ("cork", "mon-15h"): at("cinder")}
    )
    assert rules(found) == ["day-cap"]
    assert "cinder has 2 h on Mon 4 Apr, more than the cap of 1 h" in found[0].message
    assert (
        check(instance, {("austin", "mon-13h"): at("cinder"), ("cork", "tue-15h"): at("cinder")})
        == []
    )


def test_total_cap() -> None:
    instance = base(rules=PlanRules(max_minutes_total=120))
    schedule = {
        ("austin", "mon-13h"): at("neutron"),
        ("austin", "tue-13h"): at("neutron"),
        ("austin", "tue-14h"): at("neutron"),
    }
    found = check(instance, schedule)
    assert rules(found) == ["total-cap"]
    assert found[0].message == "neutron has 3 h in all, more than the cap of 2 h."
    del schedule[("austin", "tue-14h")]
    assert check(instance, schedule) == []


def test_fixed_cells_are_exempt_from_caps_but_count_towards_them() -> None:
    """A chair's 3-h booking over a 2-h cap is fine; one more planned hour that day is not."""
    fixed = {(room, "mon-13h"): at("nova") for room in ("austin",)}
    fixed |= {("austin", "mon-14h"): at("nova"), ("austin", "mon-15h"): at("nova")}
    instance = base(rules=PlanRules(max_minutes_per_day=120), fixed=fixed)
    assert check(instance, dict(fixed)) == []
    found = check(instance, {**fixed, ("bexar", "mon-15h"): at("cinder", "nova")})
    assert "day-cap" in rules(found)


def test_cross_project_days() -> None:
    """On Tuesday only cross-project teams may meet, or teams fixed there (a booking)."""
    needs = dict(base().needs)
    needs["tc"] = TeamNeeds("tc", 60, cross_project=True)
    instance = base(
        needs=needs,
        rules=PlanRules(cross_project_days=frozenset({TUE})),
        fixed={("cork", "tue-15h"): at("board"), ("cork", "tue-14h"): at("cinder")},
    )
    ok = {
        ("austin", "tue-13h"): at("tc"),
        ("cork", "tue-15h"): at("board"),
        ("cork", "tue-14h"): at("cinder"),
    }
    assert check(instance, {**ok, ("austin", "mon-13h"): at("nova")}) == []
    found = check(instance, {**ok, ("bexar", "tue-13h"): at("nova")})
    assert rules(found) == ["cross-project"]
    assert (
        found[0].message
        == "nova is in bexar on Tue 5 Apr 13:00, a day kept for cross-project teams."
    )


def test_fixed_cells_hold_exactly_their_placement() -> None:
    fixed = {("austin", "mon-13h"): at("nova", "cinder")}
    instance = base(fixed=fixed)
    assert check(instance, fixed) == []
    found = check(instance, {})
    assert [v.message for v in found] == [
        "austin on Mon 4 Apr 13:00 is fixed to nova with cinder but holds nothing."
    ]
    found = check(instance, {("austin", "mon-13h"): at("nova")})
    assert rules(found) == ["fixed"]
    assert found[0].message.endswith("but holds nova.")


def test_frozen_slots_hold_nothing_beyond_fixed() -> None:
    fixed = {("austin", "mon-13h"): at("nova")}
    instance = base(fixed=fixed, frozen_slots=frozenset({"mon-13h"}))
    assert check(instance, fixed) == []
    found = check(instance, {**fixed, ("bexar", "mon-13h"): at("cinder")})
    assert rules(found) == ["frozen"]
    assert (
        found[0].message == "cinder is placed in bexar on Mon 4 Apr 13:00, a slot that has begun."
    )


def test_placed_teams_need_needs_unless_fixed() -> None:
    """A team without needs may only appear in fixed cells; a guest only as asked."""
    fixed: dict[Cell, Placement] = {("cork", "mon-13h"): at("board")}
    instance = base(fixed=fixed)
    assert check(instance, fixed) == []
    found = check(instance, {**fixed, ("cork", "mon-14h"): at("board")})
    assert [v.message for v in found] == [
        "board is placed in cork on Mon 4 Apr 14:00 but has no needs."
    ]
    found = check(instance, {**fixed, ("cork", "mon-14h"): at("nova", "neutron")})
    assert [v.message for v in found] == [
        "neutron is a guest of nova in cork on Mon 4 Apr 14:00, but nova asked for no joint "
        "session with neutron."
    ]


def test_guest_needs_no_entry_of_its_own() -> None:
    needs = {"nova": TeamNeeds("nova", 60, joint=(("placement", 60),))}
    instance = base(needs=needs)
    assert check(instance, {("cork", "mon-14h"): at("nova", "placement")}) == []


def test_every_violation_is_reported() -> None:
    """Several broken rules give several violations, each naming its cells."""
    instance = base(unavailable=frozenset({("austin", "tue-15h")}))
    schedule = {
        ("austin", "mon-13h"): at("nova"),
        ("bexar", "mon-13h"): at("nova"),
        ("austin", "tue-15h"): at("ghost"),
    }
    found = check(instance, schedule)
    assert rules(found) == ["cell", "one-room", "unknown-team"]
    assert all(v.cells for v in found)


def test_messages_name_teams_rooms_and_slots_as_people_do() -> None:
    """With names, a finding reads "Nova ... Austin on Mon 4 Apr 13:00 UTC": no key left."""
    names = Names.of_slots(
        base().slots,
        "UTC",
        teams={"nova": "Nova", "neutron": "Neutron"},
        rooms={"austin": "Austin", "bexar": "Bexar"},
    )
    needs = {"nova": TeamNeeds("nova", 180, avoid=frozenset({"neutron"}))}
    instance = base(needs={**base().needs, **needs})
    schedule = {("austin", "mon-13h"): at("nova"), ("bexar", "mon-13h"): at("neutron")}
    found = check(instance, schedule, names)
    assert [v.message for v in found] == [
        "Neutron (in Bexar) and Nova (in Austin) must not clash, but both meet at "
        "Mon 4 Apr 13:00 UTC."
    ]
    frozen = base(fixed={("austin", "mon-13h"): at("nova")}, frozen_slots=frozenset({"mon-13h"}))
    found = check(frozen, {("bexar", "mon-13h"): at("neutron")}, names)
    assert [v.message for v in found] == [
        "Austin on Mon 4 Apr 13:00 UTC is fixed to Nova but holds nothing.",
        "Neutron is placed in Bexar on Mon 4 Apr 13:00 UTC, a slot that has begun.",
    ]
