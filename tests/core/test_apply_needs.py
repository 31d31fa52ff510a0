"""apply of needs, planning rules and pins: old values checked, the checks of core.needs
enforced, and a team with needs, pins or mentions cannot be removed behind their back."""

from __future__ import annotations

from datetime import date

import pytest

from ptghub.core.apply import apply_all, copy_state
from ptghub.core.errors import Conflict
from ptghub.core.events import (
    CellChanged,
    DomainEvent,
    NeedsChanged,
    PinChanged,
    PlanRulesChanged,
    TeamRemoved,
)
from ptghub.core.model import Cell, CellStatus, EventState
from ptghub.core.team_needs import PlanRules, TeamNeeds
from tests.support import small_event, snapshot

NOVA = TeamNeeds("nova", 180, avoid=frozenset({"cinder"}))


@pytest.fixture
def state() -> EventState:
    return apply_all(EventState(), small_event())


def _conflict(state: EventState, *events: DomainEvent) -> str:
    before = snapshot(state)
    with pytest.raises(Conflict) as error:
        apply_all(state, events)
    assert snapshot(state) == before
    return error.value.message


def test_needs_are_set_changed_and_cleared(state: EventState) -> None:
    state = apply_all(state, [NeedsChanged("nova", None, NOVA)])
    assert state.needs == {"nova": NOVA}
    more = TeamNeeds("nova", 240)
    state = apply_all(state, [NeedsChanged("nova", NOVA, more)])
    assert state.needs["nova"] == more
    state = apply_all(state, [NeedsChanged("nova", more, None)])
    assert state.needs == {}


def test_needs_computed_from_a_stale_state_are_refused(state: EventState) -> None:
    state = apply_all(state, [NeedsChanged("nova", None, NOVA)])
    message = _conflict(state, NeedsChanged("nova", None, TeamNeeds("nova", 60)))
    assert message == "The needs of nova has changed since the command was read; try again."


def test_invalid_needs_are_refused_with_what_is_wrong(state: EventState) -> None:
    bad = TeamNeeds("nova", 600, avoid=frozenset({"nova"}))
    message = _conflict(state, NeedsChanged("nova", None, bad))
    assert message == (
        "The needs of nova: hours: 10 h is more than the event has in all its slots (8 h); "
        "avoid: a team cannot name itself in avoid."
    )
    assert "does not exist" in _conflict(state, NeedsChanged("swift", None, TeamNeeds("swift", 60)))
    assert "name another team" in _conflict(
        state, NeedsChanged("nova", None, TeamNeeds("cinder", 60))
    )


def test_rules_are_checked(state: EventState) -> None:
    rules = PlanRules(max_minutes_per_day=240, cross_project_days=frozenset({date(2022, 4, 4)}))
    state = apply_all(state, [PlanRulesChanged(PlanRules(), rules)])
    assert state.plan_rules == rules
    message = _conflict(state, PlanRulesChanged(rules, PlanRules(max_minutes_total=600)))
    assert message == (
        "The planning rules: max_hours: 10 h is more than the event has in all its slots (8 h)."
    )
    assert "has changed" in _conflict(state, PlanRulesChanged(PlanRules(), rules))


def test_pins_are_set_and_checked(state: EventState) -> None:
    state = apply_all(state, [PinChanged("austin", "tuea1", None, "cinder")])
    assert state.pins == {("austin", "tuea1"): "cinder"}
    message = _conflict(state, PinChanged("austin", "tuep2", None, "cinder"))
    assert message == "Cannot pin 'cinder' to austin-tuep2: cell Austin-Tue-P2 is not available."
    assert "has changed" in _conflict(state, PinChanged("austin", "tuea1", None, "nova"))
    state = apply_all(state, [PinChanged("austin", "tuea1", "cinder", None)])
    assert state.pins == {}


def test_a_pinned_cell_cannot_be_made_unavailable(state: EventState) -> None:
    state = apply_all(state, [PinChanged("austin", "tuea1", None, "cinder")])
    message = _conflict(
        state, CellChanged("austin", "tuea1", Cell(CellStatus.FREE), Cell(CellStatus.UNAVAILABLE))
    )
    assert message == "Cell Austin-Tue-A1 is pinned for the planner; unpin it first."


def test_a_team_with_needs_pins_or_mentions_cannot_be_removed(state: EventState) -> None:
    relmgt = state.teams["relmgt"]
    with_needs = apply_all(state, [NeedsChanged("relmgt", None, TeamNeeds("relmgt", 60))])
    assert "still has needs" in _conflict(with_needs, TeamRemoved(relmgt))
    mentioned = apply_all(
        state, [NeedsChanged("nova", None, TeamNeeds("nova", 60, joint=(("relmgt", 60),)))]
    )
    assert _conflict(mentioned, TeamRemoved(relmgt)) == (
        "Team 'relmgt' is still named in the needs of nova."
    )
    pinned = apply_all(state, [PinChanged("austin", "tuea1", None, "relmgt")])
    assert "still pinned" in _conflict(pinned, TeamRemoved(relmgt))


def test_inverses_undo_each_change(state: EventState) -> None:
    events: list[DomainEvent] = [
        NeedsChanged("nova", None, NOVA),
        PlanRulesChanged(PlanRules(), PlanRules(max_minutes_total=480)),
        PinChanged("austin", "tuea1", None, "cinder"),
    ]
    after = apply_all(state, events)
    inverses = [e.inverse() for e in reversed(events)]
    restored = apply_all(after, [e for e in inverses if e is not None])
    assert snapshot(restored) == snapshot(state)


def test_copies_do_not_share_needs_or_pins(state: EventState) -> None:
    copy = copy_state(state)
    copy.needs["nova"] = NOVA
    copy.pins[("austin", "tuea1")] = "nova"
    assert state.needs == {} and state.pins == {}
