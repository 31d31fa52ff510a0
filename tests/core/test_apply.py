"""apply: every event checks the state still holds its old value, and the schedule invariants."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from ptghub.core.apply import apply, apply_all, copy_state
from ptghub.core.errors import Conflict
from ptghub.core.events import (
    CellChanged,
    DomainEvent,
    EventCreated,
    EventInfoChanged,
    MotdChanged,
    OpenToEveryoneChanged,
    OutcomeChanged,
    PresenceChanged,
    RoleGranted,
    RoleRevoked,
    RoomAdded,
    RoomRemoved,
    SlotAdded,
    SlotRemoved,
    SubscriptionChanged,
    TeamAdded,
    TeamChanged,
    TeamRemoved,
    TopicsChanged,
)
from ptghub.core.model import (
    FREE,
    Cell,
    CellStatus,
    EventState,
    Motd,
    MotdLevel,
    Presence,
    Role,
    RoleKind,
    Room,
    Slot,
    Subscription,
    Team,
    Topics,
)
from tests.support import small_event, snapshot

UNAVAILABLE = Cell(CellStatus.UNAVAILABLE)
MONDAY = datetime(2022, 4, 4, 13, 30, tzinfo=UTC)


@pytest.fixture
def state() -> EventState:
    return apply_all(EventState(), small_event())


def _conflict(state: EventState, *events: DomainEvent) -> str:
    """Apply ``events`` expecting a Conflict; check ``state`` was left as it was."""
    before = snapshot(state)
    with pytest.raises(Conflict) as error:
        apply_all(state, events)
    assert snapshot(state) == before
    return error.value.message


def test_small_event_builds_the_described_state(state: EventState) -> None:
    assert list(state.rooms) == ["austin", "bexar", "coiste bainisti"]
    assert list(state.slots)[:2] == ["mona1", "mona2"]
    assert state.slots["tuep2"] == Slot("Tue-P2", date(2022, 4, 5), time(16), time(17))
    assert len(state.cells) == 23 and state.cell("austin", "tuep2") == UNAVAILABLE
    assert state.team_cells("nova") == [("austin", "mona1"), ("austin", "mona2")]


def test_apply_all_leaves_the_input_state_unchanged(state: EventState) -> None:
    before = snapshot(state)
    new = apply_all(state, [TopicsChanged("nova", Topics(), Topics(now="x"))])
    assert snapshot(state) == before
    assert new.topics == {"nova": Topics(now="x")}


def test_apply_all_is_all_or_nothing(state: EventState) -> None:
    good = TopicsChanged("nova", Topics(), Topics(now="x"))
    stale = TopicsChanged("nova", Topics(), Topics(now="y"))
    message = _conflict(state, good, stale)
    assert message == "The topics of nova has changed since the command was read; try again."


def test_copy_state_is_independent(state: EventState) -> None:
    copied = copy_state(state)
    copied.teams.pop("nova")
    copied.roles.clear()
    copied.cells.clear()
    assert ("nova" in state.teams, len(state.roles), len(state.cells)) == (True, 2, 23)


# -- stale old values -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (OpenToEveryoneChanged(False, True), "Who may change teams"),
        (TopicsChanged("nova", Topics(now="stale"), Topics()), "The topics of nova"),
        (MotdChanged((Motd(MotdLevel.INFO, "stale"),), ()), "The messages of the day"),
        (PresenceChanged("alice", Presence("alice", "x", MONDAY), None), "Where alice is"),
        (SubscriptionChanged("alice", Subscription("alice", "x"), None),
         "The subscription of alice"),
        (CellChanged("austin", "mona1", FREE, Cell(CellStatus.BOOKED, "cinder")),
         "Cell Austin-Mon-A1"),
        (TeamChanged(Team("nova", "Stale"), Team("nova", "New")), "Team 'nova'"),
        (TeamRemoved(Team("cinder", "Stale")), "Team 'cinder'"),
        (RoomRemoved(Room("Bexar")), "Room 'Bexar'"),
        (SlotRemoved(Slot("Mon-A1", date(2022, 4, 5), time(13), time(14))), "Slot 'Mon-A1'"),
        (OutcomeChanged("nova", 2, "stale", None), "The outcome of topic 2 of nova"),
    ],
    ids=["open", "topics", "motd", "presence", "subscription", "cell", "team-changed",
         "team-removed", "room-removed", "slot-removed", "outcome"],
)  # fmt: skip
def test_apply_refuses_stale_old_value(state: EventState, event: DomainEvent, message: str) -> None:
    assert (
        _conflict(state, event) == f"{message} has changed since the command was read; try again."
    )


def test_apply_event_info_changed_refuses_stale_old_value(state: EventState) -> None:
    assert state.info is not None
    stale = replace(state.info, name="Stale")
    event = EventInfoChanged(stale, replace(state.info, name="New"))
    assert _conflict(state, event) == (
        "The event's details has changed since the command was read; try again."
    )


def test_apply_inverse_of_an_overtaken_change_is_refused(state: EventState) -> None:
    first = TopicsChanged("nova", Topics(), Topics(now="a"))
    second = TopicsChanged("nova", Topics(now="a"), Topics(now="b"))
    later = apply_all(state, [first, second])
    inverse = first.inverse()
    assert _conflict(later, inverse) == (
        "The topics of nova has changed since the command was read; try again."
    )


def test_apply_inverse_restores_the_state(state: EventState) -> None:
    events: list[DomainEvent] = [
        CellChanged("coiste bainisti", "mona1", FREE, Cell(CellStatus.BOOKED, "cinder")),
        TopicsChanged("nova", Topics(), Topics("now", ("next",), "loc")),
        TeamAdded(Team("manila", "Manila")),
        RoleGranted(Role("bob", RoleKind.CHAIR, "manila")),
        MotdChanged((), (Motd(MotdLevel.INFO, "hi"),)),
        OpenToEveryoneChanged(True, False),
        OutcomeChanged("manila", 1, None, "Agreed."),
        OutcomeChanged("manila", 1, "Agreed.", "Agreed, with a spec first."),
    ]
    changed = apply_all(state, events)
    inverses = [e.inverse() for e in reversed(events)]
    assert all(e is not None for e in inverses)
    restored = apply_all(changed, [e for e in inverses if e is not None])
    assert snapshot(restored) == snapshot(state)


# -- schedule invariants --------------------------------------------------------------


def test_apply_refuses_a_second_team_in_a_cell(state: EventState) -> None:
    # The cell's old value says FREE, but nova holds it: one team per cell.
    event = CellChanged("austin", "mona1", FREE, Cell(CellStatus.BOOKED, "cinder"))
    assert _conflict(state, event) == (
        "Cell Austin-Mon-A1 has changed since the command was read; try again."
    )


def test_apply_refuses_a_team_in_two_rooms_in_one_slot(state: EventState) -> None:
    event = CellChanged("coiste bainisti", "mona1", FREE, Cell(CellStatus.BOOKED, "nova"))
    assert _conflict(state, event) == (
        "nova is already in Austin at Mon-A1; a team is in one room at a time."
    )


def test_apply_refuses_two_rooms_in_one_slot_within_one_batch(state: EventState) -> None:
    first = CellChanged("austin", "tuea1", FREE, Cell(CellStatus.BOOKED, "cinder"))
    second = CellChanged("coiste bainisti", "tuea1", FREE, Cell(CellStatus.PLANNED, "cinder"))
    assert _conflict(state, first, second) == (
        "cinder is already in Austin at Tue-A1; a team is in one room at a time."
    )


def test_apply_allows_a_team_in_one_room_in_many_slots(state: EventState) -> None:
    new = apply_all(
        state,
        [
            CellChanged("coiste bainisti", "monp1", FREE, Cell(CellStatus.BOOKED, "nova")),
            CellChanged("austin", "monp2", FREE, Cell(CellStatus.BOOKED, "nova")),
        ],
    )
    assert new.team_cells("nova") == [
        ("austin", "mona1"),
        ("austin", "mona2"),
        ("coiste bainisti", "monp1"),
        ("austin", "monp2"),
    ]


def test_apply_moving_a_team_within_a_slot_in_order_is_allowed(state: EventState) -> None:
    new = apply_all(
        state,
        [
            CellChanged("austin", "mona1", Cell(CellStatus.PLANNED, "nova"), FREE),
            CellChanged("coiste bainisti", "mona1", FREE, Cell(CellStatus.BOOKED, "nova")),
        ],
    )
    assert new.team_cells("nova")[0] == ("coiste bainisti", "mona1")


@pytest.mark.parametrize(
    "new",
    [Cell(CellStatus.BOOKED), Cell(CellStatus.PLANNED), Cell(CellStatus.FREE, "cinder"),
     Cell(CellStatus.UNAVAILABLE, "cinder")],
    ids=["booked-without-team", "planned-without-team", "free-with-team", "unavailable-with-team"],
)  # fmt: skip
def test_apply_refuses_a_cell_status_that_does_not_fit_its_team(
    state: EventState, new: Cell
) -> None:
    event = CellChanged("austin", "monp1", FREE, new)
    assert _conflict(state, event) == (
        "Cell Austin-Mon-P1: a team goes with planned or booked, only."
    )


def test_apply_refuses_a_cell_for_an_unknown_team(state: EventState) -> None:
    event = CellChanged("austin", "monp1", FREE, Cell(CellStatus.BOOKED, "manila"))
    assert _conflict(state, event) == "Team 'manila' does not exist."


def test_apply_refuses_a_cell_outside_the_grid(state: EventState) -> None:
    event = CellChanged("nowhere", "mona1", FREE, FREE)
    assert _conflict(state, event) == "Cell nowhere-mona1 is not in the grid."


def test_apply_cell_made_unavailable_leaves_the_grid(state: EventState) -> None:
    new = apply_all(state, [CellChanged("austin", "monp1", FREE, UNAVAILABLE)])
    assert (("austin", "monp1") in new.cells, new.cell("austin", "monp1")) == (False, UNAVAILABLE)


# -- teams, rooms, slots, roles -------------------------------------------------------


def test_apply_refuses_adding_an_existing_team_in_any_case(state: EventState) -> None:
    assert _conflict(state, TeamAdded(Team("NOVA", "Nova"))) == "Team 'nova' already exists."


def test_apply_refuses_removing_a_team_that_holds_cells(state: EventState) -> None:
    event = TeamRemoved(state.teams["nova"])
    assert _conflict(state, event) == "Team 'nova' still holds slots in the schedule."


def test_apply_refuses_removing_a_team_with_topics(state: EventState) -> None:
    events = [
        TopicsChanged("cinder", Topics(), Topics(now="x")),
        TeamRemoved(state.teams["cinder"]),
    ]
    assert _conflict(state, *events) == "Team 'cinder' still has topics set."


def test_apply_refuses_removing_a_team_with_chairs(state: EventState) -> None:
    events = [
        RoleGranted(Role("bob", RoleKind.CHAIR, "cinder")),
        TeamRemoved(state.teams["cinder"]),
    ]
    assert _conflict(state, *events) == "Team 'cinder' still has chairs."


def test_apply_refuses_removing_a_team_with_outcomes(state: EventState) -> None:
    events = [
        OutcomeChanged("cinder", 1, None, "Agreed."),
        TeamRemoved(state.teams["cinder"]),
    ]
    assert _conflict(state, *events) == "Team 'cinder' still has outcomes of its topics recorded."


def test_apply_removes_a_free_team(state: EventState) -> None:
    new = apply_all(state, [TeamRemoved(state.teams["cinder"])])
    assert list(new.teams) == ["first-contact", "nova", "relmgt"]


def test_apply_refuses_changing_a_teams_slug(state: EventState) -> None:
    event = TeamChanged(state.teams["cinder"], Team("manila", "Cinder"))
    assert _conflict(state, event) == "A team's slug cannot change; add a new team instead."


def test_apply_refuses_topics_of_an_unknown_team(state: EventState) -> None:
    event = TopicsChanged("manila", Topics(), Topics(now="x"))
    assert _conflict(state, event) == "Team 'manila' does not exist."


def test_apply_empty_topics_are_not_stored(state: EventState) -> None:
    new = apply_all(
        state,
        [
            TopicsChanged("nova", Topics(), Topics(now="x")),
            TopicsChanged("nova", Topics(now="x"), Topics()),
        ],
    )
    assert new.topics == {}


def test_apply_refuses_removing_a_room_with_cells(state: EventState) -> None:
    event = RoomRemoved(state.rooms["bexar"])
    assert _conflict(state, event) == "Room 'Bexar' still has cells in the schedule."


def test_apply_refuses_removing_a_slot_with_cells(state: EventState) -> None:
    event = SlotRemoved(state.slots["mona1"])
    assert _conflict(state, event) == "Slot 'Mon-A1' still has cells in the schedule."


def test_apply_refuses_adding_an_existing_room_or_slot(state: EventState) -> None:
    assert _conflict(state, RoomAdded(Room("AUSTIN"))) == "Room 'Austin' already exists."
    slot = Slot("mon-a1", date(2022, 4, 4), time(13), time(14))
    assert _conflict(state, SlotAdded(slot)) == "Slot 'Mon-A1' already exists."


def test_apply_refuses_a_second_event_creation(state: EventState) -> None:
    assert state.info is not None
    assert _conflict(state, EventCreated(state.info)) == "Event 'test-ptg' already exists."


def test_apply_refuses_granting_a_role_twice(state: EventState) -> None:
    event = RoleGranted(Role("nchair", RoleKind.CHAIR, "nova"))
    assert _conflict(state, event) == "nchair already has that role."


def test_apply_refuses_chair_of_an_unknown_team(state: EventState) -> None:
    event = RoleGranted(Role("bob", RoleKind.CHAIR, "manila"))
    assert _conflict(state, event) == "Team 'manila' does not exist."


def test_apply_refuses_revoking_a_missing_role(state: EventState) -> None:
    event = RoleRevoked(Role("bob", RoleKind.ORGANIZER))
    assert _conflict(state, event) == "bob does not have that role."


def test_apply_presence_and_subscription_none_removes_the_entry(state: EventState) -> None:
    here = Presence("Alice", "#nova", MONDAY)
    sub = Subscription("Alice", "nova")
    new = apply_all(
        state,
        [
            PresenceChanged("alice", None, here),
            SubscriptionChanged("alice", None, sub),
        ],
    )
    assert (new.presence, new.subscriptions) == ({"alice": here}, {"alice": sub})
    apply(new, PresenceChanged("alice", here, None))
    apply(new, SubscriptionChanged("alice", sub, None))
    assert (new.presence, new.subscriptions) == ({}, {})


def test_copy_state_shares_subscriptions_until_either_state_changes_them() -> None:
    """Thousands of subscriptions are not copied per command, yet never leak across."""
    alice = Subscription("alice", "nova")
    base = apply_all(EventState(), [SubscriptionChanged("alice", None, alice)])
    copied = apply_all(base, [])
    assert copied.subscriptions is base.subscriptions
    assert copied.subscriptions_tag == base.subscriptions_tag
    bob = Subscription("bob", "cinder")
    apply(copied, SubscriptionChanged("bob", None, bob))
    apply(base, SubscriptionChanged("alice", alice, None))
    assert (base.subscriptions, copied.subscriptions) == (
        {},
        {"alice": alice, "bob": bob},
    )
    assert len({base.subscriptions_tag, copied.subscriptions_tag}) == 2


# -- topics' outcomes -------------------------------------------------------------------


def test_apply_outcomes_are_kept_by_team_and_number_whatever_the_order_written(
    state: EventState,
) -> None:
    new = apply_all(
        state,
        [
            OutcomeChanged("nova", 12, None, "Twelve."),
            OutcomeChanged("cinder", 3, None, "Three."),
            OutcomeChanged("nova", 2, None, "Two."),
            OutcomeChanged("nova", 12, "Twelve.", "Twelve, again."),
        ],
    )
    assert list(new.outcomes.items()) == [
        (("cinder", 3), "Three."),
        (("nova", 2), "Two."),
        (("nova", 12), "Twelve, again."),
    ]
    assert list(new.outcomes_of("nova").items()) == [(2, "Two."), (12, "Twelve, again.")]
    assert state.outcomes == {}


def test_apply_outcome_none_removes_it(state: EventState) -> None:
    new = apply_all(
        state,
        [
            OutcomeChanged("nova", 1, None, "One."),
            OutcomeChanged("nova", 2, None, "Two."),
            OutcomeChanged("nova", 1, "One.", None),
        ],
    )
    assert new.outcomes == {("nova", 2): "Two."}


def test_apply_refuses_an_outcome_of_an_unknown_team(state: EventState) -> None:
    event = OutcomeChanged("manila", 1, None, "Agreed.")
    assert _conflict(state, event) == "Team 'manila' does not exist."


def test_apply_refuses_an_outcome_of_topic_zero(state: EventState) -> None:
    event = OutcomeChanged("nova", 0, None, "Agreed.")
    assert _conflict(state, event) == "Topic 0 does not exist: topics are numbered from 1."
