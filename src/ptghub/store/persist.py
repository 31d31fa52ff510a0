"""Writing domain events to the tables, one SQL statement or two per event.

The core has already checked each event against the state; the constraints in the
schema check the schedule invariants once more, against every other writer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, update

from ptghub.core.codec import encode
from ptghub.core.events import (
    CellChanged,
    DomainEvent,
    EventCreated,
    EventInfoChanged,
    MotdChanged,
    NeedsChanged,
    OpenToEveryoneChanged,
    OutcomeChanged,
    PinChanged,
    PlanRulesChanged,
    PresenceChanged,
    RoleGranted,
    RoleRevoked,
    RoomAdded,
    RoomChanged,
    RoomRemoved,
    RoomsReordered,
    SlotAdded,
    SlotChanged,
    SlotRemoved,
    SlotsReordered,
    SubscriptionChanged,
    TeamAdded,
    TeamChanged,
    TeamRemoved,
    TopicsChanged,
)
from ptghub.core.model import CellStatus, Role, Team
from ptghub.store import tables as t
from ptghub.store.driver_statements import DriverStatement
from ptghub.store.persist_grid import (
    room_added,
    room_changed,
    room_removed,
    rooms_reordered,
    slot_added,
    slot_changed,
    slot_removed,
    slots_reordered,
)


def _team_values(team: Team) -> dict[str, Any]:
    return {
        "slug": team.slug,
        "name": team.name,
        "kind": team.kind.value,
        "onboarding": team.onboarding,
        "color": team.color,
        "etherpad": team.etherpad,
        "video_url": team.video_url,
        "description": team.description,
        "onboarding_slot": team.onboarding_slot,
        "recording": team.recording,
    }


def _role_key(role: Role) -> dict[str, Any]:
    return {"nick_key": role.nick, "kind": role.kind.value, "team_key": role.team or ""}


def _event_info(conn: Connection, eid: int, e: EventInfoChanged) -> None:
    conn.execute(
        update(t.event_info).where(t.event_info.c.event_id == eid).values(info=encode(e.new))
    )


def _open(conn: Connection, eid: int, e: OpenToEveryoneChanged) -> None:
    conn.execute(update(t.events).where(t.events.c.id == eid).values(open_to_everyone=e.new))


def _team_added(conn: Connection, eid: int, e: TeamAdded) -> None:
    conn.execute(insert(t.teams).values(event_id=eid, key=e.team.key, **_team_values(e.team)))


def _team_removed(conn: Connection, eid: int, e: TeamRemoved) -> None:
    conn.execute(delete(t.teams).where(t.teams.c.event_id == eid, t.teams.c.key == e.team.key))


def _team_changed(conn: Connection, eid: int, e: TeamChanged) -> None:
    conn.execute(
        update(t.teams)
        .where(t.teams.c.event_id == eid, t.teams.c.key == e.new.key)
        .values(**_team_values(e.new))
    )


_CELL_WHERE = (
    (t.cells.c.event_id == bindparam("eid"))
    & (t.cells.c.room_key == bindparam("room"))
    & (t.cells.c.slot_key == bindparam("slot"))
)
_CELL_INSERT = DriverStatement(
    insert(t.cells), ("event_id", "room_key", "slot_key", "status", "team_key")
)
_CELL_DELETE = DriverStatement(delete(t.cells).where(_CELL_WHERE))
# The old status in the WHERE makes a change computed from stale state fail loudly.
_CELL_UPDATE = DriverStatement(
    update(t.cells)
    .where(_CELL_WHERE, t.cells.c.status == bindparam("old_status"))
    .values(status=bindparam("new_status"), team_key=bindparam("new_team"))
)
_TOPICS_WHERE = (t.topics.c.event_id == bindparam("eid")) & (
    t.topics.c.team_key == bindparam("team")
)
_TOPICS_INSERT = DriverStatement(
    insert(t.topics), ("event_id", "team_key", "now", "next", "location")
)
_TOPICS_DELETE = DriverStatement(delete(t.topics).where(_TOPICS_WHERE))
_TOPICS_UPDATE = DriverStatement(
    update(t.topics)
    .where(_TOPICS_WHERE)
    .values(now=bindparam("new_now"), next=bindparam("new_next"), location=bindparam("new_loc"))
)
_PRESENCE_WHERE = (t.presence.c.event_id == bindparam("eid")) & (
    t.presence.c.nick_key == bindparam("key")
)
_PRESENCE_INSERT = DriverStatement(
    insert(t.presence), ("event_id", "nick_key", "nick", "location", "checked_in", "checked_out")
)
_PRESENCE_DELETE = DriverStatement(delete(t.presence).where(_PRESENCE_WHERE))
_SUBSCRIPTION_INSERT = DriverStatement(
    insert(t.subscriptions), ("event_id", "nick_key", "nick", "pattern")
)
_SUBSCRIPTION_DELETE = DriverStatement(
    delete(t.subscriptions).where(
        (t.subscriptions.c.event_id == bindparam("eid"))
        & (t.subscriptions.c.nick_key == bindparam("key"))
    )
)
_MOTD_DELETE = delete(t.motd).where(t.motd.c.event_id == bindparam("eid"))
_MOTD_INSERT = insert(t.motd)


def _cell_changed(conn: Connection, eid: int, e: CellChanged) -> None:
    where = {"eid": eid, "room": e.room, "slot": e.slot}
    if e.new.status is CellStatus.UNAVAILABLE:
        _CELL_DELETE.execute(conn, where)
    elif e.old.status is CellStatus.UNAVAILABLE:
        _CELL_INSERT.execute(
            conn,
            {
                "event_id": eid,
                "room_key": e.room,
                "slot_key": e.slot,
                "status": e.new.status.value,
                "team_key": e.new.team,
            },
        )
    else:
        result = _CELL_UPDATE.execute(
            conn,
            {
                **where,
                "old_status": e.old.status.value,
                "new_status": e.new.status.value,
                "new_team": e.new.team,
            },
        )
        if result[0] != 1:
            raise StaleWrite(f"cell {e.room}-{e.slot}")


def _topics_changed(conn: Connection, eid: int, e: TopicsChanged) -> None:
    # The core checked ``old`` against the state, which matches the rows: an empty
    # Topics has no row.
    where = {"eid": eid, "team": e.team}
    if e.new.is_empty():
        _TOPICS_DELETE.execute(conn, where)
    elif e.old.is_empty():
        _TOPICS_INSERT.execute(
            conn,
            {
                "event_id": eid,
                "team_key": e.team,
                "now": e.new.now,
                "next": list(e.new.next),
                "location": e.new.location,
            },
        )
    else:
        _TOPICS_UPDATE.execute(
            conn,
            {
                **where,
                "new_now": e.new.now,
                "new_next": list(e.new.next),
                "new_loc": e.new.location,
            },
        )


def _motd_changed(conn: Connection, eid: int, e: MotdChanged) -> None:
    conn.execute(_MOTD_DELETE, {"eid": eid})
    if e.new:
        conn.execute(
            _MOTD_INSERT,
            [
                {"event_id": eid, "position": i, "level": m.level.value, "text": m.text}
                for i, m in enumerate(e.new, start=1)
            ],
        )


def _presence_changed(conn: Connection, eid: int, e: PresenceChanged) -> None:
    if e.old is not None:
        _PRESENCE_DELETE.execute(conn, {"eid": eid, "key": e.nick})
    if e.new is not None:
        p = e.new
        _PRESENCE_INSERT.execute(
            conn,
            {
                "event_id": eid,
                "nick_key": e.nick,
                "nick": p.nick,
                "location": p.location,
                "checked_in": p.checked_in,
                "checked_out": p.checked_out,
            },
        )


def _subscription_changed(conn: Connection, eid: int, e: SubscriptionChanged) -> None:
    if e.old is not None:
        _SUBSCRIPTION_DELETE.execute(conn, {"eid": eid, "key": e.nick})
    if e.new is not None:
        _SUBSCRIPTION_INSERT.execute(
            conn,
            {"event_id": eid, "nick_key": e.nick, "nick": e.new.nick, "pattern": e.new.pattern},
        )


def _role_granted(conn: Connection, eid: int, e: RoleGranted) -> None:
    conn.execute(insert(t.roles).values(event_id=eid, **_role_key(e.role)))


def _role_revoked(conn: Connection, eid: int, e: RoleRevoked) -> None:
    key = _role_key(e.role)
    conn.execute(
        delete(t.roles).where(
            t.roles.c.event_id == eid,
            t.roles.c.nick_key == key["nick_key"],
            t.roles.c.kind == key["kind"],
            t.roles.c.team_key == key["team_key"],
        )
    )


def _needs_changed(conn: Connection, eid: int, e: NeedsChanged) -> None:
    where = (t.team_needs.c.event_id == eid) & (t.team_needs.c.team_key == e.team)
    if e.new is None:
        conn.execute(delete(t.team_needs).where(where))
    elif e.old is None:
        conn.execute(
            insert(t.team_needs).values(event_id=eid, team_key=e.team, needs=encode(e.new))
        )
    else:
        conn.execute(update(t.team_needs).where(where).values(needs=encode(e.new)))


def _plan_rules_changed(conn: Connection, eid: int, e: PlanRulesChanged) -> None:
    conn.execute(
        update(t.event_info).where(t.event_info.c.event_id == eid).values(plan_rules=encode(e.new))
    )


def _pin_changed(conn: Connection, eid: int, e: PinChanged) -> None:
    pins = t.plan_pins.c
    where = (pins.event_id == eid) & (pins.room_key == e.room) & (pins.slot_key == e.slot)
    if e.new is None:
        conn.execute(delete(t.plan_pins).where(where))
    elif e.old is None:
        conn.execute(
            insert(t.plan_pins).values(
                event_id=eid, room_key=e.room, slot_key=e.slot, team_key=e.new
            )
        )
    else:
        conn.execute(update(t.plan_pins).where(where).values(team_key=e.new))


def _outcome_changed(conn: Connection, eid: int, e: OutcomeChanged) -> None:
    outcomes = t.topic_outcomes.c
    where = (outcomes.event_id == eid) & (outcomes.team == e.team) & (outcomes.number == e.number)
    if e.new is None:
        conn.execute(delete(t.topic_outcomes).where(where))
    elif e.old is None:
        conn.execute(
            insert(t.topic_outcomes).values(event_id=eid, team=e.team, number=e.number, text=e.new)
        )
    else:
        conn.execute(update(t.topic_outcomes).where(where).values(text=e.new))


class StaleWrite(Exception):
    """A row did not hold the value the change was computed from: another writer won."""


def _event_created(conn: Connection, eid: int, e: EventCreated) -> None:
    """Nothing to write: the store inserts the event's row before applying anything."""


_PERSIST: dict[type[DomainEvent], Callable[[Connection, int, Any], None]] = {
    EventCreated: _event_created,
    EventInfoChanged: _event_info,
    OpenToEveryoneChanged: _open,
    TeamAdded: _team_added,
    TeamRemoved: _team_removed,
    TeamChanged: _team_changed,
    RoomAdded: room_added,
    RoomRemoved: room_removed,
    RoomChanged: room_changed,
    RoomsReordered: rooms_reordered,
    SlotAdded: slot_added,
    SlotRemoved: slot_removed,
    SlotChanged: slot_changed,
    SlotsReordered: slots_reordered,
    CellChanged: _cell_changed,
    TopicsChanged: _topics_changed,
    MotdChanged: _motd_changed,
    PresenceChanged: _presence_changed,
    SubscriptionChanged: _subscription_changed,
    RoleGranted: _role_granted,
    RoleRevoked: _role_revoked,
    NeedsChanged: _needs_changed,
    PlanRulesChanged: _plan_rules_changed,
    PinChanged: _pin_changed,
    OutcomeChanged: _outcome_changed,
}


def persist(conn: Connection, event_id: int, events: tuple[DomainEvent, ...]) -> None:
    for event in events:
        _PERSIST[type(event)](conn, event_id, event)
