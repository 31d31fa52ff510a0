"""Who may do what in an event, and how a refusal is worded (one wording each)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ptghub.core.apply import apply_all
from ptghub.core.errors import NotFound, PermissionDenied
from ptghub.core.model import Actor, EventState, RoleKind
from ptghub.core.permissions import (
    chairs_any_team,
    is_chair,
    is_organizer,
    may_change_team,
    require_chair,
    require_organizer,
    require_team,
)
from tests.support import ALICE, NOVA_CHAIR, ORGANIZER, small_event

OPERATOR = Actor("root", operator=True)
OP = Actor("mallory", frontend="irc", trust=frozenset({RoleKind.ORGANIZER}))
VOICED = Actor("mallory", frontend="irc", trust=frozenset({RoleKind.CHAIR}))
ALIAS = Actor("olivia_", frontend="test", aliases=frozenset({"olivia"}))
UNPROVEN_CHAIR = Actor("nchair", frontend="irc", proven=False)


@pytest.fixture
def state() -> EventState:
    return apply_all(EventState(), small_event())


def test_organizers_by_role_alias_shell_or_network_trust(state: EventState) -> None:
    assert all(is_organizer(state, who) for who in (ORGANIZER, ALIAS, OPERATOR, OP))
    assert not any(is_organizer(state, who) for who in (ALICE, NOVA_CHAIR, VOICED))


def test_a_chair_chairs_their_own_team_a_voiced_nick_every_team(state: EventState) -> None:
    assert is_chair(state, NOVA_CHAIR, "nova")
    assert not is_chair(state, NOVA_CHAIR, "cinder")
    assert is_chair(state, VOICED, "cinder")
    assert chairs_any_team(state, NOVA_CHAIR) and chairs_any_team(state, VOICED)
    assert not chairs_any_team(state, ALICE) and not chairs_any_team(state, ORGANIZER)


def test_who_may_change_a_team_is_who_the_chair_commands_allow(state: EventState) -> None:
    closed = replace(state, open_to_everyone=False)
    assert may_change_team(closed, NOVA_CHAIR, "nova") and may_change_team(
        closed, ORGANIZER, "cinder"
    )
    assert not may_change_team(closed, NOVA_CHAIR, "cinder")
    assert not may_change_team(closed, ALICE, "nova")
    assert may_change_team(replace(state, open_to_everyone=True), ALICE, "nova")


def test_roles_of_an_unproven_nick_do_not_count(state: EventState) -> None:
    assert not is_chair(state, UNPROVEN_CHAIR, "nova")
    assert not chairs_any_team(state, UNPROVEN_CHAIR)
    assert not is_organizer(state, Actor("olivia", frontend="irc", proven=False))


def test_an_unknown_team_is_not_found(state: EventState) -> None:
    assert require_team(state, "Nova").key == "nova"
    with pytest.raises(NotFound, match=r"Unknown team '#nvoa'. Send '~list' to see the teams."):
        require_team(state, "nvoa")


def test_the_organizer_refusal_names_the_action(state: EventState) -> None:
    require_organizer(state, ORGANIZER, "Planning")
    with pytest.raises(PermissionDenied) as error:
        require_organizer(state, NOVA_CHAIR, "Planning")
    assert error.value.message == "Planning needs an organizer; nchair is not one."


def test_the_chair_refusal_names_the_team_and_the_action(state: EventState) -> None:
    nova, cinder = state.teams["nova"], state.teams["cinder"]
    require_chair(state, NOVA_CHAIR, nova)
    require_chair(state, ORGANIZER, cinder)
    with pytest.raises(PermissionDenied) as error:
        require_chair(state, NOVA_CHAIR, cinder, "change its needs")
    assert error.value.message == (
        "Only a chair of cinder or an organizer can change its needs; nchair is neither."
    )


def test_a_refused_unproven_nick_with_roles_is_told_how_to_prove_it(state: EventState) -> None:
    with pytest.raises(PermissionDenied) as error:
        require_chair(state, UNPROVEN_CHAIR, state.teams["nova"])
    assert error.value.message == (
        "Only a chair of nova or an organizer can change it; nchair is neither. nchair has "
        "roles, but this connection has not proven it is nchair: send 'identify TOKEN' to "
        "the bot in private (or log in to the network) first."
    )
