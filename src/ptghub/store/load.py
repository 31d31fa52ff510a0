"""Reading an event's whole state from the tables (a few hundred rows for a PTG)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, Table, select

from ptghub.core.codec import decode
from ptghub.core.model import (
    Cell,
    CellStatus,
    EventInfo,
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
    TeamKind,
    Topics,
)
from ptghub.core.team_needs import PlanRules, TeamNeeds
from ptghub.store import tables as t


def load_state(conn: Connection, event_id: int) -> EventState:
    row = conn.execute(
        select(t.events.c.open_to_everyone, t.event_info.c.info, t.event_info.c.plan_rules)
        .join(t.event_info, t.event_info.c.event_id == t.events.c.id)
        .where(t.events.c.id == event_id)
    ).one()
    state = EventState(
        info=decode(EventInfo, row.info), open_to_everyone=bool(row.open_to_everyone)
    )
    if row.plan_rules is not None:
        state.plan_rules = decode(PlanRules, row.plan_rules)

    def rows(table: Table, *order: str) -> list[Row[Any]]:
        query = select(table).where(table.c.event_id == event_id)
        return list(conn.execute(query.order_by(*(table.c[o] for o in order))))

    for r in rows(t.rooms, "position"):
        state.rooms[r.key] = Room(
            r.name,
            r.capacity,
            r.video_url,
            r.description,
            r.bookable,
            r.capability,
            r.capability_icon,
            r.location,
        )
    for r in rows(t.slots, "position"):
        state.slots[r.key] = Slot(r.code, r.day, r.start, r.end)
    for r in rows(t.teams, "key"):
        state.teams[r.key] = Team(
            slug=r.slug,
            name=r.name,
            kind=TeamKind(r.kind),
            onboarding=r.onboarding,
            color=r.color,
            etherpad=r.etherpad,
            video_url=r.video_url,
            description=r.description,
            onboarding_slot=r.onboarding_slot,
            recording=r.recording,
        )
    for r in rows(t.cells, "room_key", "slot_key"):
        state.cells[(r.room_key, r.slot_key)] = Cell(CellStatus(r.status), r.team_key)
    for r in rows(t.topics, "team_key"):
        state.topics[r.team_key] = Topics(r.now, tuple(r.next), r.location)
    state.motd = tuple(Motd(MotdLevel(r.level), r.text) for r in rows(t.motd, "position"))
    for r in rows(t.presence, "nick_key"):
        state.presence[r.nick_key] = Presence(r.nick, r.location, r.checked_in, r.checked_out)
    for r in rows(t.subscriptions, "nick_key"):
        state.subscriptions[r.nick_key] = Subscription(r.nick, r.pattern)
    state.roles = {
        Role(r.nick_key, RoleKind(r.kind), r.team_key or None) for r in rows(t.roles, "nick_key")
    }
    for r in rows(t.team_needs, "team_key"):
        state.needs[r.team_key] = decode(TeamNeeds, r.needs)
    for r in rows(t.plan_pins, "room_key", "slot_key"):
        state.pins[(r.room_key, r.slot_key)] = r.team_key
    for r in rows(t.topic_outcomes, "team", "number"):
        state.outcomes[(r.team, r.number)] = r.text
    return state
