"""Planner drafts and published versions, numbered per event.

A run of the planner stores a *draft* (number 1, 2, ... per event). Publishing a draft
puts it on the board through ``Store.change`` and, in the same transaction
(``mark_published``), makes it a *published* version; the version published before it
becomes *superseded*. Nothing is deleted: every version can be shown and compared. An
undone publish stays in the list, with the change that undid it (``undone_by``): the
board, not this table, says what is planned now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ptghub.core.errors import Conflict, NotFound
from ptghub.planner.instance import Cell, Placement
from ptghub.planner.report import Report, schedule_from_json, schedule_json
from ptghub.store import tables as t
from ptghub.store.engine import writing

# The number column is an INTEGER: 32 bits on PostgreSQL (64 on SQLite). A larger number
# names no plan, and is answered as such rather than reaching the database, where it
# would overflow (a 500).
MAX_PLAN_NUMBER = 2**31 - 1


class PlanStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"  # published, then replaced by a later version


@dataclass(frozen=True)
class PlanRecord:
    number: int
    created_at: datetime
    created_by: str
    status: PlanStatus
    schedule: dict[Cell, Placement]
    report: Report
    inputs: dict[str, Any]
    published_at: datetime | None
    published_audit_id: int | None
    undone_by: int | None  # the change that undid the publish (and was not undone)

    def to_json(self) -> dict[str, Any]:
        """The record as the API and ``--json`` show it."""
        return {
            "number": self.number,
            "status": self.status.value,
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "published_audit_id": self.published_audit_id,
            "undone_by": self.undone_by,
            "report": self.report.to_json(),
            "schedule": schedule_json(self.schedule),
        }


def _event_id(conn: Connection, event: str | None) -> int:
    query = select(t.events.c.id)
    query = (
        query.where(t.events.c.is_current.is_(True))
        if event is None
        else query.where(t.events.c.slug == event)
    )
    found = conn.execute(query).scalar()
    if found is None:
        if event is None:
            raise NotFound(
                "There is no current event; load one with 'ptghub event load FILE' "
                "or 'ptghub demo'."
            )
        raise NotFound(f"Unknown event '{event}'; 'ptghub event list' shows the events.")
    return int(found)


# A publish is off the board when its change was undone, unless that undo was undone too.
_UNDO = t.audit.alias("undo")
_SELECT = (
    select(t.plans, t.audit.c.undone_by, _UNDO.c.undone_by.label("redone_by"))
    .outerjoin(t.audit, t.audit.c.id == t.plans.c.published_audit_id)
    .outerjoin(_UNDO, _UNDO.c.id == t.audit.c.undone_by)
)


def _record(row: Row[Any]) -> PlanRecord:
    return PlanRecord(
        number=row.number,
        created_at=row.created_at,
        created_by=row.created_by,
        status=PlanStatus(row.status),
        schedule=schedule_from_json(row.schedule),
        report=Report.from_json(row.report),
        inputs=row.inputs,
        published_at=row.published_at,
        published_audit_id=row.published_audit_id,
        undone_by=row.undone_by if row.redone_by is None else None,
    )


class Plans:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add_draft(
        self,
        event: str | None,
        *,
        schedule: dict[Cell, Placement],
        report: Report,
        inputs: dict[str, Any],
        created_by: str,
        at: datetime,
    ) -> PlanRecord:
        """Store a new draft under the event's next number."""
        values = {
            "created_at": at,
            "created_by": created_by,
            "status": PlanStatus.DRAFT.value,
            "schedule": schedule_json(schedule),
            "report": report.to_json(),
            "inputs": inputs,
        }
        # The number is taken in the INSERT itself; two runs finishing at once on
        # PostgreSQL may still take the same one: the unique key refuses one, which
        # takes the next.
        for attempt in range(5):
            try:
                with writing(self.engine) as conn:
                    event_id = _event_id(conn, event)
                    number = (
                        select(func.coalesce(func.max(t.plans.c.number), 0) + 1)
                        .where(t.plans.c.event_id == event_id)
                        .scalar_subquery()
                    )
                    taken = conn.execute(
                        insert(t.plans)
                        .values(event_id=event_id, number=number, **values)
                        .returning(t.plans.c.number)
                    ).scalar_one()
                break
            except IntegrityError:
                if attempt == 4:
                    raise Conflict(
                        "Another draft was stored at the same moment; try again."
                    ) from None
        return self.get(event, int(taken))

    def get(self, event: str | None, number: int) -> PlanRecord:
        with self.engine.connect() as conn:
            event_id = _event_id(conn, event)
            row = (
                conn.execute(
                    _SELECT.where(t.plans.c.event_id == event_id, t.plans.c.number == number)
                ).first()
                if 1 <= number <= MAX_PLAN_NUMBER
                else None
            )
        if row is None:
            raise NotFound(f"There is no plan #{number}; 'ptghub plan versions' lists them.")
        return _record(row)

    def all(self, event: str | None) -> list[PlanRecord]:
        """Every draft and version of the event, oldest first."""
        with self.engine.connect() as conn:
            event_id = _event_id(conn, event)
            rows = conn.execute(
                _SELECT.where(t.plans.c.event_id == event_id).order_by(t.plans.c.number)
            ).all()
        return [_record(row) for row in rows]

    def latest_draft(self, event: str | None) -> PlanRecord:
        drafts = [p for p in self.all(event) if p.status is PlanStatus.DRAFT]
        if not drafts:
            raise NotFound("There is no draft yet; 'ptghub plan run' makes one.")
        return drafts[-1]

    def published(self, event: str | None) -> list[PlanRecord]:
        """The published versions, oldest first (superseded and undone ones included)."""
        return [p for p in self.all(event) if p.status is not PlanStatus.DRAFT]

    def current(self, event: str | None) -> PlanRecord | None:
        """The version on the board: the published one; when its publish was undone, the
        newest earlier version whose publish stands (its cells are back)."""
        live = [p for p in self.published(event) if p.undone_by is None]
        if not live:
            return None
        return max(
            live,
            key=lambda p: (
                p.status is PlanStatus.PUBLISHED,
                p.published_at or p.created_at,
                p.published_audit_id or 0,
            ),
        )

    @staticmethod
    def mark_published(
        conn: Connection, event_id: int, number: int, at: datetime, audit_id: int | None
    ) -> None:
        """Make draft ``number`` the published version (in the caller's transaction)."""
        conn.execute(
            update(t.plans)
            .where(t.plans.c.event_id == event_id, t.plans.c.status == PlanStatus.PUBLISHED.value)
            .values(status=PlanStatus.SUPERSEDED.value)
        )
        done = conn.execute(
            update(t.plans)
            .where(
                t.plans.c.event_id == event_id,
                t.plans.c.number == number,
                t.plans.c.status == PlanStatus.DRAFT.value,
            )
            .values(status=PlanStatus.PUBLISHED.value, published_at=at, published_audit_id=audit_id)
        )
        if done.rowcount != 1:
            raise Conflict(f"Plan #{number} is no longer a draft: it was published meanwhile.")

    def publish_unchanged(self, event: str | None, number: int, at: datetime) -> None:
        """Mark a draft published that the board already shows (no change to record)."""
        with writing(self.engine) as conn:
            self.mark_published(conn, _event_id(conn, event), number, at, None)
