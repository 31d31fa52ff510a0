"""The pure side of track requests (commands/track_requests.py): the slug a name makes,
the form's checks against the event, and the approval's events."""

from __future__ import annotations

from datetime import date

import pytest

from ptghub.commands.track_requests import (
    Proposal,
    approve,
    check_proposal,
    proposal_problems,
    team_slug,
)
from ptghub.core.apply import apply_all
from ptghub.core.errors import Conflict, InvalidInput, PermissionDenied
from ptghub.core.events import NeedsChanged, RoleGranted, TeamAdded
from ptghub.core.model import EventState, Role, RoleKind, Team, TeamKind
from ptghub.core.team_needs import TeamNeeds
from tests.support import ALICE, ORGANIZER, small_event

FIELDS: dict[str, str | list[str]] = {
    "team_name": "First Contact Pop-up",
    "kind": "working-group",
    "contacts": "fc on OFTC",
    "purpose": "Welcome newcomers.",
    "hours": "4",
    "onboarding": "yes",
    "days": ["2022-04-05", "2022-04-04"],
}


def _state() -> EventState:
    return apply_all(EventState(), small_event())


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("First Contact SIG", "first-contact-sig"),
        ("  Oslo / Eventlet  ", "oslo-eventlet"),
        ("ironic_ui.v2", "ironic_ui.v2"),
        ("Ünïcode only ☃", "n-code-only"),
        ("☃☃", ""),
        ("x" * 50, "x" * 40),
    ],
)
def test_team_slug_is_made_from_the_name(name: str, slug: str) -> None:
    assert team_slug(name) == slug


def test_a_good_request_is_checked_into_a_proposal() -> None:
    assert check_proposal(_state(), FIELDS) == Proposal(
        "First Contact Pop-up",
        "working-group",
        "fc on OFTC",
        "Welcome newcomers.",
        4,
        True,
        (date(2022, 4, 4), date(2022, 4, 5)),
    )


def test_every_problem_is_reported_at_once_with_its_field() -> None:
    bad = {**FIELDS, "team_name": "help", "kind": "", "hours": "99", "days": ["Mon"]}
    assert [field for field, _ in proposal_problems(_state(), bad)] == [
        "team_name",
        "kind",
        "hours",
        "days",
    ]
    with pytest.raises(InvalidInput) as refused:
        check_proposal(_state(), bad)
    assert refused.value.message.splitlines()[1] == "Missing kind of team: choose one."


def test_approval_makes_the_team_its_chair_and_its_needs() -> None:
    proposal = check_proposal(_state(), FIELDS)
    events = approve(proposal, "Tess")(_state(), ORGANIZER)
    team = Team(
        "first-contact-pop-up",
        "First Contact Pop-up",
        TeamKind.WORKING_GROUP,
        onboarding=True,
        description="Welcome newcomers.",
    )
    needs = TeamNeeds(
        "first-contact-pop-up",
        240,
        preferred_days=frozenset({date(2022, 4, 4), date(2022, 4, 5)}),
        onboarding=True,
    )
    assert list(events) == [
        TeamAdded(team),
        RoleGranted(Role("tess", RoleKind.CHAIR, "first-contact-pop-up")),
        NeedsChanged("first-contact-pop-up", None, needs),
    ]


def test_approval_is_refused_to_a_non_organizer_and_for_a_name_taken_since() -> None:
    proposal = check_proposal(_state(), {**FIELDS, "team_name": "Oslo"})
    with pytest.raises(PermissionDenied):
        approve(proposal, "tess")(_state(), ALICE)
    with pytest.raises(Conflict) as refused:
        approve(proposal, "tess")(
            apply_all(_state(), [TeamAdded(Team("oslo2", "Oslo"))]), ORGANIZER
        )
    assert refused.value.message.startswith("There is already a team 'Oslo' (#oslo2)")
