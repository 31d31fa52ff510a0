"""~del and ~emptydb take a team's planner needs and pins with it, in the same change;
other teams' clashes and joint sessions with a deleted team are dropped; undo restores."""

from __future__ import annotations

from collections.abc import Sequence

from ptghub.core.events import DomainEvent, NeedsChanged, PinChanged, TeamRemoved
from ptghub.core.model import Actor, EventState
from ptghub.core.team_needs import TeamNeeds
from ptghub.store.store import Store
from tests.support import ORGANIZER, snapshot

NEEDS = {
    "nova": TeamNeeds("nova", 120, avoid=frozenset({"relmgt"}), rather_not=(("cinder", 2),)),
    "relmgt": TeamNeeds("relmgt", 60, joint=(("nova", 60),)),
    "cinder": TeamNeeds("cinder", 60, avoid=frozenset({"relmgt"})),
}


def _set_up(state: EventState, actor: Actor) -> Sequence[DomainEvent]:
    return [
        *(NeedsChanged(key, None, needs) for key, needs in NEEDS.items()),
        PinChanged("austin", "tuea1", None, "relmgt"),
        PinChanged("austin", "tuea2", None, "cinder"),
    ]


def test_del_removes_needs_pins_and_mentions_in_one_change(store: Store) -> None:
    store.change(_set_up, ORGANIZER, "needs load")
    before = snapshot(store.state())
    result = store.run("~del relmgt", ORGANIZER)
    assert result is not None and result.audit_id is not None
    state = store.state()
    assert "relmgt" not in state.teams
    assert state.needs == {
        "nova": TeamNeeds("nova", 120, rather_not=(("cinder", 2),)),
        "cinder": TeamNeeds("cinder", 60),
    }
    assert state.pins == {("austin", "tuea2"): "cinder"}
    entry = store.audit()[-1]
    assert entry.id == result.audit_id
    assert isinstance(entry.events[-1], TeamRemoved)
    store.undo(result.audit_id, ORGANIZER)
    assert snapshot(store.state()) == before
    assert snapshot(store.replay()) == before


def test_del_of_several_teams_strips_each_mention_once(store: Store) -> None:
    store.change(_set_up, ORGANIZER, "needs load")
    store.run("~del relmgt cinder", ORGANIZER)
    assert store.state().needs == {"nova": TeamNeeds("nova", 120)}
    assert store.state().pins == {}
    assert snapshot(store.replay()) == snapshot(store.state())


def test_emptydb_clears_needs_and_pins_and_undo_restores_them(store: Store) -> None:
    store.change(_set_up, ORGANIZER, "needs load")
    before = snapshot(store.state())
    result = store.run("~emptydb", ORGANIZER)
    assert result is not None and result.audit_id is not None
    assert store.state().needs == {} and store.state().pins == {}
    store.undo(result.audit_id, ORGANIZER)
    assert snapshot(store.state()) == before
    assert snapshot(store.replay()) == before
