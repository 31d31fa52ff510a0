"""Drafts and published versions of plans, numbered per event, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection

from ptghub.core.errors import Conflict, NotFound
from ptghub.core.events import CellChanged, DomainEvent, EventCreated
from ptghub.core.model import FREE, Actor, Cell, CellStatus, EventState
from ptghub.planner.diff import diff
from ptghub.planner.instance import Cell as PlanCell
from ptghub.planner.instance import Placement, PlanSlot, Stage
from ptghub.planner.report import Finding, Report, TeamHours
from ptghub.store.plan_versions import Plans, PlanStatus
from ptghub.store.store import Store
from tests.support import small_event

AT = datetime(2022, 4, 1, 9, 0, tzinfo=UTC)
OPERATOR = Actor("op", operator=True)
SCHEDULE = {
    ("austin", "mona1"): Placement("nova"),
    ("coiste bainisti", "mona1"): Placement("cinder", ("relmgt",)),
}


def report(**changes: object) -> Report:
    slots = (PlanSlot("mona1", AT.date(), AT.time(), AT.time().replace(hour=10)),)
    base = Report(
        method="cp-sat",
        seconds=1.25,
        at=AT,
        version=7,
        stages=(Stage("hours", 120, 120, True, 0.5), Stage("soft", 3, 1, False, 0.75)),
        hours=(TeamHours("cinder", 60, 120), TeamHours("nova", 60, 60)),
        unmet=("Cinder got 1 of 2 hours: no room free on Monday.",),
        violations=(Finding("one-room", "nova twice at mona1", (("austin", "mona1"),)),),
        changes=diff({("austin", "mona2"): Placement("nova")}, SCHEDULE, slots),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def add(
    plans: Plans, event: str | None = None, schedule: dict[PlanCell, Placement] | None = None
) -> int:
    record = plans.add_draft(
        event,
        schedule=SCHEDULE if schedule is None else schedule,
        report=report(),
        inputs={"needs": {"nova": {"minutes": 60}}},
        created_by="olivia",
        at=AT,
    )
    return record.number


def publish(store: Store, number: int) -> int | None:
    """Publish through Store.change, as the workflow does (one cell, to have a change)."""

    def mark(conn: Connection, event_id: int, audit_id: int) -> None:
        Plans.mark_published(conn, event_id, number, AT, audit_id)

    def toggle(state: EventState, actor: Actor) -> list[DomainEvent]:
        old = state.cell("coiste bainisti", "tuea1")
        new = FREE if old.team else Cell(CellStatus.PLANNED, "cinder")
        return [CellChanged("coiste bainisti", "tuea1", old, new)]

    result = store.change(
        toggle,
        OPERATOR,
        f"plan publish {number}",
        then=mark,
    )
    return result.audit_id


def test_a_draft_is_stored_and_read_back_whole(store: Store) -> None:
    plans = Plans(store.engine)
    assert add(plans) == 1
    record = plans.get(None, 1)
    assert record.status is PlanStatus.DRAFT
    assert record.schedule == SCHEDULE
    assert record.report == report()
    assert record.inputs == {"needs": {"nova": {"minutes": 60}}}
    assert (record.created_by, record.created_at) == ("olivia", AT)
    assert (record.published_at, record.published_audit_id, record.undone_by) == (None, None, None)
    assert plans.current(None) is None


def test_numbers_count_per_event(store: Store) -> None:
    other = small_event()
    assert isinstance(other[0], EventCreated)
    other[0] = EventCreated(replace(other[0].info, slug="other-ptg"))
    store.create_event(other, OPERATOR, "second event")
    plans = Plans(store.engine)
    assert [add(plans), add(plans), add(plans, "other-ptg"), add(plans)] == [1, 2, 1, 3]
    assert [p.number for p in plans.all("test-ptg")] == [1, 2, 3]
    assert plans.latest_draft("other-ptg").number == 1


def test_unknown_numbers_and_events_are_named(store: Store) -> None:
    plans = Plans(store.engine)
    with pytest.raises(
        NotFound, match=re.escape("There is no plan #4; 'ptghub plan versions' lists them.")
    ):
        plans.get(None, 4)
    with pytest.raises(
        NotFound, match=re.escape("There is no draft yet; 'ptghub plan run' makes one.")
    ):
        plans.latest_draft(None)
    with pytest.raises(NotFound, match="Unknown event 'nope'"):
        add(plans, "nope")


def test_publishing_supersedes_the_previous_version(store: Store) -> None:
    plans = Plans(store.engine)
    add(plans), add(plans), add(plans)
    first = publish(store, 1)
    assert plans.current(None) == plans.get(None, 1)
    second = publish(store, 2)
    assert [(p.number, p.status, p.published_audit_id) for p in plans.all(None)] == [
        (1, PlanStatus.SUPERSEDED, first),
        (2, PlanStatus.PUBLISHED, second),
        (3, PlanStatus.DRAFT, None),
    ]
    assert [p.number for p in plans.published(None)] == [1, 2]
    assert plans.latest_draft(None).number == 3
    current = plans.current(None)
    assert current is not None and current.number == 2 and current.published_at == AT


def test_a_plan_is_published_once_and_the_change_rolls_back_otherwise(store: Store) -> None:
    plans = Plans(store.engine)
    add(plans)
    publish(store, 1)
    audit_before = len(store.audit())
    with pytest.raises(Conflict, match="Plan #1 is no longer a draft"):
        publish(store, 1)
    assert len(store.audit()) == audit_before
    assert store.state().cell("coiste bainisti", "tuea1") == Cell(CellStatus.PLANNED, "cinder")


def test_an_undone_publish_is_listed_with_its_undo(store: Store) -> None:
    plans = Plans(store.engine)
    add(plans), add(plans)
    first = publish(store, 1)
    second = publish(store, 2)
    assert second is not None and first is not None
    undo = store.undo(second, OPERATOR)
    record = plans.get(None, 2)
    assert (record.status, record.undone_by) == (PlanStatus.PUBLISHED, undo.audit_id)
    current = plans.current(None)
    assert current is not None and current.number == 1
    assert undo.audit_id is not None
    store.undo(undo.audit_id, OPERATOR)  # the undo undone: version 2 is back
    assert plans.get(None, 2).undone_by is None
    current = plans.current(None)
    assert current is not None and current.number == 2


def test_publishing_an_unchanged_board_records_the_version(store: Store) -> None:
    plans = Plans(store.engine)
    add(plans)
    plans.publish_unchanged(None, 1, AT)
    record = plans.get(None, 1)
    assert (record.status, record.published_audit_id) == (PlanStatus.PUBLISHED, None)
    assert plans.current(None) == record


def test_report_json_round_trips() -> None:
    plain = report(violations=(), unmet=())
    assert Report.from_json(plain.to_json()) == plain
    assert plain.clash_free and not report().clash_free
