"""Changes of needs and rules through the store: who may make them, one audited change
each, nothing changed when refused, and the audit log replays to the same state."""

from __future__ import annotations

import pytest

from ptghub.commands.needs import Build, clear_team, load_text, set_rules, set_team
from ptghub.core.errors import InvalidInput, NotFound, PermissionDenied
from ptghub.core.model import Actor
from ptghub.core.team_needs import PlanRules, TeamNeeds
from ptghub.store.store import Store
from tests.support import ALICE, NOVA_CHAIR, ORGANIZER, snapshot

FILE = "rules: {max_hours: 6}\nteams:\n  nova: {hours: 4}\n  cinder: {hours: 2}\n"


def _unchanged(store: Store, error: type[Exception], build: Build, actor: Actor) -> str:
    before = (snapshot(store.state()), store.version())
    with pytest.raises(error) as raised:
        store.change(build, actor, "test")
    assert (snapshot(store.state()), store.version()) == before
    return str(raised.value)


def test_an_organizer_loads_a_file_as_one_change(store: Store) -> None:
    result = store.change(load_text(FILE, "needs.yaml"), ORGANIZER, "needs load needs.yaml")
    assert len(result.events) == 3
    state = store.state()
    assert state.plan_rules == PlanRules(max_minutes_total=360)
    assert state.needs == {"nova": TeamNeeds("nova", 240), "cinder": TeamNeeds("cinder", 120)}
    assert store.audit()[-1].text == "needs load needs.yaml"
    again = store.change(load_text(FILE, "needs.yaml"), ORGANIZER, "needs load needs.yaml")
    assert again.audit_id is None and again.reply == "Nothing to change."
    assert snapshot(store.replay()) == snapshot(store.state())


def test_only_organizers_load_files_and_set_rules(store: Store) -> None:
    message = _unchanged(store, PermissionDenied, load_text(FILE, "f"), NOVA_CHAIR)
    assert message == "Loading a needs file needs an organizer; nchair is not one."
    message = _unchanged(store, PermissionDenied, set_rules({"max_hours": 4}), NOVA_CHAIR)
    assert message == "Changing the planning rules needs an organizer; nchair is not one."


def test_a_chair_states_its_own_teams_needs_only(store: Store) -> None:
    store.change(set_team("Nova", {"hours": 3, "avoid": ["cinder"]}), NOVA_CHAIR, "needs set")
    assert store.state().needs["nova"] == TeamNeeds("nova", 180, avoid=frozenset({"cinder"}))
    message = _unchanged(store, PermissionDenied, set_team("cinder", {"hours": 1}), NOVA_CHAIR)
    assert message == (
        "Only a chair of cinder or an organizer can change its needs; nchair is neither."
    )
    _unchanged(store, PermissionDenied, clear_team("nova"), ALICE)
    store.change(clear_team("nova"), NOVA_CHAIR, "needs clear nova")
    assert store.state().needs == {}


def test_bad_needs_are_invalid_input_with_every_problem(store: Store) -> None:
    message = _unchanged(
        store, InvalidInput, set_team("nova", {"hours": 0.33, "avoid": ["nova"]}), ORGANIZER
    )
    assert message == (
        "The needs of nova are wrong:\n"
        "avoid[0]: a team cannot name itself in avoid\n"
        "hours: 0.33 hours is not a whole number of minutes (19.8 min)"
    )
    assert "Unknown team '#swift'" in _unchanged(
        store, NotFound, set_team("swift", {"hours": 1}), ORGANIZER
    )


def test_rules_merge_or_replace(store: Store) -> None:
    store.change(set_rules({"max_hours": 6, "cross_project_days": ["Mon"]}), ORGANIZER, "r")
    store.change(set_rules({"max_hours_per_day": 2}, merge=True), ORGANIZER, "r")
    rules = store.state().plan_rules
    assert (rules.max_minutes_per_day, rules.max_minutes_total) == (120, 360)
    assert len(rules.cross_project_days) == 1
    store.change(set_rules({"max_hours_per_day": 2}), ORGANIZER, "r")
    assert store.state().plan_rules == PlanRules(max_minutes_per_day=120)
    message = _unchanged(store, InvalidInput, set_rules({"max_hours": "lots"}), ORGANIZER)
    assert (
        message
        == "The planning rules are wrong:\nmax_hours: expected a number of hours, got 'lots'"
    )


def test_a_joint_session_with_a_team_that_avoids_the_host_is_refused(store: Store) -> None:
    store.change(set_team("cinder", {"hours": 1, "avoid": ["nova"]}), ORGANIZER, "set")
    message = _unchanged(
        store, InvalidInput, set_team("nova", {"hours": 1, "joint": {"cinder": 1}}), ORGANIZER
    )
    assert message == (
        "The needs of nova clash:\nnova: joint.cinder: 'cinder' avoids nova (a hard clash): "
        "no joint session"
    )
