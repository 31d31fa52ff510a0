"""The demo event shipped with ptghub: the virtual PTG of April 2022."""

from __future__ import annotations

from collections import Counter
from functools import cache
from importlib import resources

from ptghub.core.apply import apply_all
from ptghub.core.events import DomainEvent
from ptghub.core.model import PAGE_NAMES, CellStatus, EventState, RoleKind, TeamKind, slot_key
from ptghub.eventfile import load_event_text

DEMO = "ptg-2022-04.yaml"


@cache
def demo_events() -> tuple[DomainEvent, ...]:
    text = (resources.files("ptghub.demo") / DEMO).read_text(encoding="utf-8")
    return tuple(load_event_text(text, DEMO))


@cache
def demo_state() -> EventState:
    return apply_all(EventState(), demo_events())


def test_demo_applies_cleanly() -> None:
    state = demo_state()
    assert state.info is not None
    assert state.info.slug == "ptg-2022-04"
    assert (str(state.info.start), str(state.info.end)) == ("2022-04-04", "2022-04-08")
    assert (state.info.timezone, state.info.format.value) == ("UTC", "virtual")


def test_demo_has_teams_rooms_and_slots() -> None:
    state = demo_state()
    assert (len(state.teams), len(state.rooms), len(state.slots)) == (34, 16, 60)
    assert list(state.rooms)[:3] == ["austin", "bexar", "cactus"]
    assert list(state.rooms)[-1] == "pike"
    assert all(room.bookable and room.video_url for room in state.rooms.values())


def test_demo_slots_are_hourly_apac_and_europe_americas() -> None:
    names = [code.partition("-")[2] for code in (s.code for s in demo_state().slots.values())]
    day = ["00h", "01h", "02h", "03h", "13h", "14h", "15h", "16h", "17h", "18h", "19h", "20h"]
    assert names == day * 5
    assert [s.code for s in demo_state().slots.values()][::12] == [
        "Mon-00h", "Tue-00h", "Wed-00h", "Thu-00h", "Fri-00h",
    ]  # fmt: skip


def test_demo_team_kinds_and_colours() -> None:
    teams = demo_state().teams
    kinds = {slug: team.kind for slug, team in teams.items() if team.kind != TeamKind.PROJECT_TEAM}
    assert kinds == {
        "diversity": TeamKind.WORKING_GROUP,
        "first-contact": TeamKind.SIG,
        "interop": TeamKind.WORKING_GROUP,
        "large-scale": TeamKind.SIG,
        "edge": TeamKind.WORKING_GROUP,
        "tc": TeamKind.COMMITTEE,
        "security": TeamKind.SIG,
    }
    assert teams["nova"].name == "Nova/Placement"
    assert len({team.color for team in teams.values()}) == 34
    assert all(team.description for team in teams.values())
    onboarding = {slug for slug, team in teams.items() if team.onboarding}
    assert onboarding == {"cinder", "ironic", "kolla", "manila", "neutron", "nova"}


def test_demo_schedule_has_no_team_double_booked() -> None:
    state = demo_state()
    per_slot = Counter((cell.team, slot) for (_, slot), cell in state.cells.items() if cell.team)
    assert per_slot and max(per_slot.values()) == 1


def test_demo_schedule_leaves_free_cells() -> None:
    statuses = Counter(cell.status for cell in demo_state().cells.values())
    assert set(statuses) == {CellStatus.PLANNED, CellStatus.FREE}
    assert statuses[CellStatus.FREE] / sum(statuses.values()) >= 0.25


def test_demo_schedule_gives_every_team_time() -> None:
    state = demo_state()
    hours = Counter(cell.team for cell in state.cells.values() if cell.team)
    assert set(hours) == set(state.teams)
    assert min(hours.values()) >= 4
    apac = {cell.team for (_, slot), cell in state.cells.items() if slot[3:5] in ("00", "01")}
    assert {"starlingx", "tacker", "cyborg", "openstack-helm"} <= apac


def test_demo_roles_are_fictional_demo_nicks() -> None:
    roles = demo_state().roles
    assert {r.nick for r in roles if r.kind is RoleKind.ORGANIZER} == {"ptg-organizer"}
    chairs = {(r.nick, r.team) for r in roles if r.kind is RoleKind.CHAIR}
    assert chairs == {
        ("nova-chair", "nova"),
        ("cinder-chair", "cinder"),
        ("neutron-chair", "neutron"),
        ("tc-chair", "tc"),
    }


def test_demo_has_every_page_links_and_socials() -> None:
    info = demo_state().info
    assert info is not None
    assert [name for name, _ in info.pages] == list(PAGE_NAMES)
    assert "#TEAM book ROOM-SLOT" in info.page("faq")
    assert [title for title, _ in info.links] == ["Etherpads of all teams", "Live board"]
    assert [social.title for social in info.socials] == ["Happy hour", "Game night"]
    last_slot_end = max(s.end for s in demo_state().slots.values())
    assert all(social.starts.time() >= last_slot_end for social in info.socials)


def test_demo_onboarding_sessions_are_in_time_the_team_has() -> None:
    state = demo_state()
    named = {slug: team.onboarding_slot for slug, team in state.teams.items() if team.onboarding}
    assert named == {
        "cinder": "Tue-13h",
        "ironic": "Mon-13h",
        "kolla": "Tue-13h",
        "manila": "Mon-13h",
        "neutron": "Tue-13h",
        "nova": "Tue-13h",
    }
    for slug, code in named.items():
        assert code is not None
        assert slot_key(code) in {slot for _, slot in state.team_cells(slug)}
