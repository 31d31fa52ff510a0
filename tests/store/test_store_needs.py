"""Needs, planning rules and pins are stored, read back, replayed and undone like the rest."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, time

import pytest

from ptghub.core.errors import Conflict
from ptghub.core.events import DomainEvent, NeedsChanged, PinChanged, PlanRulesChanged
from ptghub.core.model import Actor, EventState
from ptghub.core.team_needs import PlanRules, TeamNeeds
from ptghub.store.store import Store
from tests.support import ORGANIZER, snapshot

NOVA = TeamNeeds(
    "nova",
    150,
    max_minutes_per_day=120,
    preferred_days=frozenset({date(2022, 4, 4), date(2022, 4, 5)}),
    windows=((time(13), time(15, 30)),),
    avoid=frozenset({"relmgt"}),
    rather_not=(("first-contact", 3),),
    joint=(("cinder", 45),),
    room_size=30,
    onboarding=True,
)
RULES = PlanRules(240, 420, frozenset({date(2022, 4, 5)}), 30)


def _events(*events: DomainEvent) -> Callable[[EventState, Actor], Sequence[DomainEvent]]:
    def build(state: EventState, actor: Actor) -> Sequence[DomainEvent]:
        return events

    return build


def _reopened(database_url: str) -> EventState:
    other = Store.open(database_url)
    try:
        return other.state()
    finally:
        other.close()


def test_needs_rules_and_pins_survive_a_reopen_and_a_replay(
    store: Store, database_url: str
) -> None:
    store.change(
        _events(
            NeedsChanged("nova", None, NOVA),
            NeedsChanged("cinder", None, TeamNeeds("cinder", 60)),
            PlanRulesChanged(PlanRules(), RULES),
            PinChanged("austin", "tuea1", None, "cinder"),
        ),
        ORGANIZER,
        "needs load",
    )
    changed = TeamNeeds("cinder", 120, cross_project=True)
    store.change(
        _events(
            NeedsChanged("cinder", TeamNeeds("cinder", 60), changed),
            PinChanged("austin", "tuea1", "cinder", "relmgt"),
            PinChanged("coiste bainisti", "tuep2", None, "nova"),
        ),
        ORGANIZER,
        "needs set",
    )
    stored = _reopened(database_url)
    assert stored.needs == {"cinder": changed, "nova": NOVA}
    assert stored.plan_rules == RULES
    assert stored.pins == {("austin", "tuea1"): "relmgt", ("coiste bainisti", "tuep2"): "nova"}
    assert snapshot(store.replay()) == snapshot(stored) == snapshot(store.state())


def test_undo_restores_needs_rules_and_pins(store: Store, database_url: str) -> None:
    before = snapshot(store.state())
    result = store.change(
        _events(
            NeedsChanged("nova", None, NOVA),
            PlanRulesChanged(PlanRules(), RULES),
            PinChanged("austin", "tuea1", None, "cinder"),
        ),
        ORGANIZER,
        "needs load",
    )
    assert result.audit_id is not None
    store.undo(result.audit_id, ORGANIZER)
    assert snapshot(store.state()) == before == snapshot(_reopened(database_url))
    assert snapshot(store.replay()) == before


def test_an_invalid_change_writes_nothing(store: Store) -> None:
    version = store.version()
    with pytest.raises(Conflict, match="more than the event has"):
        store.change(
            _events(NeedsChanged("nova", None, TeamNeeds("nova", 6000))),
            ORGANIZER,
            "needs set",
        )
    assert store.version() == version and store.state().needs == {}
