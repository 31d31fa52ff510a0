"""persist: each domain event written to the tables so that they hold what the core applied.

The specification is the round trip: after persisting events computed from a state, the
state read back from the tables (``load_state``) is the state ``core.apply`` makes of the
same events. One case per event type, each through its insert, update and delete where it
has them; every test runs on SQLite and, when configured, PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from ptghub.core import events as ev
from ptghub.core import model as m
from ptghub.core.apply import apply_all
from ptghub.core.team_needs import PlanRules, TeamNeeds
from ptghub.store import tables as t
from ptghub.store.load import load_state
from ptghub.store.persist import StaleWrite, persist
from ptghub.store.store import Store
from tests.support import ALICE, snapshot

Batch = Callable[[m.EventState], list[ev.DomainEvent]]

AT = datetime(2022, 4, 4, 13, 30, tzinfo=UTC)
OSLO = m.Team(
    "oslo",
    "Oslo",
    m.TeamKind.SIG,
    onboarding=True,
    color="#123456",
    etherpad="https://pad.example.org/oslo",
    video_url="https://meet.example.org/oslo",
    description="Fjords",
    onboarding_slot="Wed-A1",
    recording="https://videos.example.org/oslo",
)
DALLAS = m.Room(
    "Dallas",
    30,
    "https://meet.example.org/dallas",
    "Upstairs",
    bookable=False,
    capability="Videoprojection available",
    capability_icon="facetime-video",
    location="Second floor, by the elevators",
)
WED = m.Slot("Wed-A1", date(2022, 4, 6), time(13), time(14))
NOVA_NEEDS = TeamNeeds(
    "nova",
    120,
    max_minutes_per_day=60,
    preferred_days=frozenset({date(2022, 4, 5)}),
    windows=((time(13), time(15)),),
    avoid=frozenset({"cinder"}),
    rather_not=(("relmgt", 2),),
    room_size=20,
    onboarding=True,
)


def _info(s: m.EventState) -> m.EventInfo:
    assert s.info is not None
    return s.info


def _cell(room: str, slot: str, new: m.Cell) -> Batch:
    return lambda s: [ev.CellChanged(room, slot, s.cell(room, slot), new)]


def _topics(new: m.Topics) -> Batch:
    return lambda s: [ev.TopicsChanged("nova", s.topics_of("nova"), new)]


def _presence(new: m.Presence | None) -> Batch:
    return lambda s: [ev.PresenceChanged("alice", s.presence.get("alice"), new)]


def _subscription(new: m.Subscription | None) -> Batch:
    return lambda s: [ev.SubscriptionChanged("alice", s.subscriptions.get("alice"), new)]


def _needs(new: TeamNeeds | None) -> Batch:
    return lambda s: [ev.NeedsChanged("nova", s.needs.get("nova"), new)]


def _outcome(team: str, number: int, new: str | None) -> Batch:
    return lambda s: [ev.OutcomeChanged(team, number, s.outcomes.get((team, number)), new)]


def _pin(new: str | None) -> Batch:
    where = ("coiste bainisti", "tuea1")
    return lambda s: [ev.PinChanged(*where, s.pins.get(where), new)]


# Each event type (but EventCreated, below), in batches that take its rows through every
# kind of write it makes.
CASES: dict[type[ev.DomainEvent], list[Batch]] = {
    ev.EventInfoChanged: [
        lambda s: [
            ev.EventInfoChanged(
                _info(s), replace(_info(s), name="Renamed", links=(("Wiki", "https://w.example"),))
            )
        ]
    ],
    ev.OpenToEveryoneChanged: [lambda s: [ev.OpenToEveryoneChanged(True, False)]],
    ev.TeamAdded: [lambda s: [ev.TeamAdded(OSLO)]],
    ev.TeamChanged: [
        lambda s: [
            ev.TeamChanged(
                s.teams["cinder"],
                replace(s.teams["cinder"], name="Cinder Block", color="red", etherpad="x"),
            )
        ],
        lambda s: [
            ev.TeamChanged(
                s.teams["cinder"],
                replace(s.teams["cinder"], recording="https://videos.example.org/cinder"),
            )
        ],
    ],
    ev.TeamRemoved: [lambda s: [ev.TeamRemoved(s.teams["relmgt"])]],
    ev.RoomAdded: [lambda s: [ev.RoomAdded(DALLAS)]],  # after the others, in their order
    ev.RoomRemoved: [lambda s: [ev.RoomAdded(DALLAS)], lambda s: [ev.RoomRemoved(DALLAS)]],
    ev.SlotAdded: [lambda s: [ev.SlotAdded(WED)]],
    ev.SlotRemoved: [lambda s: [ev.SlotAdded(WED)], lambda s: [ev.SlotRemoved(WED)]],
    ev.RoomChanged: [
        lambda s: [
            ev.RoomChanged(
                s.rooms["bexar"], replace(DALLAS, name="BEXAR", capacity=None, video_url=None)
            )
        ]
    ],
    ev.RoomsReordered: [
        lambda s: [ev.RoomsReordered(tuple(s.rooms), ("coiste bainisti", "austin", "bexar"))]
    ],
    ev.SlotChanged: [
        lambda s: [
            ev.SlotChanged(s.slots["mona1"], m.Slot("MON-A1", date(2022, 4, 4), time(8), time(9)))
        ]
    ],
    ev.SlotsReordered: [
        lambda s: [ev.SlotsReordered(tuple(s.slots), tuple(reversed(s.slots)))],
        lambda s: [ev.SlotAdded(WED)],  # added after the renumbered ones
    ],
    ev.CellChanged: [
        _cell("coiste bainisti", "mona1", m.Cell(m.CellStatus.BOOKED, "cinder")),  # update
        _cell("coiste bainisti", "mona1", m.Cell(m.CellStatus.UNAVAILABLE)),  # delete
        _cell("coiste bainisti", "mona1", m.Cell(m.CellStatus.FREE)),  # insert
    ],
    ev.TopicsChanged: [
        _topics(m.Topics("Placement", ("Quotas", "Cells"), None)),
        _topics(m.Topics(None, ("Cells",), "Hallway")),
        _topics(m.Topics()),
    ],
    ev.MotdChanged: [
        lambda s: [
            ev.MotdChanged(s.motd, (m.Motd(m.MotdLevel.INFO, "A"), m.Motd(m.MotdLevel.DANGER, "B")))
        ],
        lambda s: [ev.MotdChanged(s.motd, (m.Motd(m.MotdLevel.WARNING, "C"),))],
        lambda s: [ev.MotdChanged(s.motd, ())],
    ],
    ev.PresenceChanged: [
        _presence(m.Presence("Alice", "#nova", AT)),
        _presence(m.Presence("Alice", "#nova", AT, AT.replace(hour=15))),
        _presence(None),
    ],
    ev.SubscriptionChanged: [
        _subscription(m.Subscription("Alice", "nova|cinder")),
        _subscription(m.Subscription("alice", "quotas")),
        _subscription(None),
    ],
    ev.RoleGranted: [
        lambda s: [
            ev.RoleGranted(m.Role("alice", m.RoleKind.CHAIR, "cinder")),
            ev.RoleGranted(m.Role("alice", m.RoleKind.ORGANIZER)),
        ]
    ],
    ev.RoleRevoked: [
        lambda s: [
            ev.RoleRevoked(m.Role("olivia", m.RoleKind.ORGANIZER)),
            ev.RoleRevoked(m.Role("nchair", m.RoleKind.CHAIR, "nova")),
        ]
    ],
    ev.NeedsChanged: [
        _needs(NOVA_NEEDS),
        _needs(replace(NOVA_NEEDS, minutes=180, avoid=frozenset())),
        _needs(None),
    ],
    ev.PlanRulesChanged: [
        lambda s: [
            ev.PlanRulesChanged(
                s.plan_rules, PlanRules(120, 450, frozenset({date(2022, 4, 4)}), 90)
            )
        ]
    ],
    ev.PinChanged: [_pin("nova"), _pin("cinder"), _pin(None)],
    ev.OutcomeChanged: [
        _outcome("nova", 2, "We agreed to split the API."),  # insert
        _outcome("cinder", 1, "Deferred."),  # another team's, read back in key order
        _outcome("nova", 1, "Quotas: no change."),  # before nova's 2 once read back
        _outcome("nova", 2, "We agreed to keep the API whole."),  # update
        _outcome("nova", 1, None),  # delete
    ],
}


def _event_id(conn: Connection) -> int:
    return int(conn.execute(select(t.events.c.id)).scalar_one())


def test_every_event_type_has_a_case() -> None:
    assert {*CASES, ev.EventCreated} == set(ev.EVENT_TYPES.values())


def test_event_created_writes_nothing_since_the_store_writes_the_events_rows_itself(
    store: Store,
) -> None:
    with store.engine.begin() as conn:
        event_id = _event_id(conn)
        before = load_state(conn, event_id)
        persist(conn, event_id, (ev.EventCreated(_info(before)),))
        assert snapshot(load_state(conn, event_id)) == snapshot(before)


@pytest.mark.parametrize("kind", CASES, ids=lambda kind: kind.__name__)
def test_persisted_events_read_back_as_the_state_the_core_applied(
    store: Store, kind: type[ev.DomainEvent]
) -> None:
    state = store.state()
    with store.engine.begin() as conn:
        event_id = _event_id(conn)
        for build in CASES[kind]:
            events = tuple(build(state))
            assert {type(e) for e in events} <= {kind, ev.RoomAdded, ev.SlotAdded}
            state = apply_all(state, events)
            persist(conn, event_id, events)
            assert snapshot(load_state(conn, event_id)) == snapshot(state)


def test_a_cell_change_computed_from_a_stale_state_is_refused(store: Store) -> None:
    # The state says Coiste Bainisti is free on Monday morning; another writer booked it.
    stale = store.state()
    store.run("#cinder book Coiste Bainisti-Mon-A1", ALICE)
    booked = m.Cell(m.CellStatus.BOOKED, "relmgt")
    event = ev.CellChanged(
        "coiste bainisti", "mona1", stale.cell("coiste bainisti", "mona1"), booked
    )
    with pytest.raises(StaleWrite), store.engine.begin() as conn:
        persist(conn, _event_id(conn), (event,))


def test_the_schema_refuses_a_team_in_two_rooms_at_once_whatever_the_core_said(
    store: Store,
) -> None:
    # nova is planned in Austin on Monday morning: a second room at that slot breaks a
    # constraint, even for a writer that skipped the core's check.
    free = m.Cell(m.CellStatus.FREE)
    event = ev.CellChanged("coiste bainisti", "mona1", free, m.Cell(m.CellStatus.BOOKED, "nova"))
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        persist(conn, _event_id(conn), (event,))
