"""The planner in the JSON API: run, list, show, compare and publish plans.

Under ``/api/v1/events/{slug}/plans``, with the API's conventions (web/api.py): reads of
published versions are public, drafts need the bearer token of an organizer or a chair
of the event (web/drafts.py), writes an organizer's, errors are ``{"error": MESSAGE}``.
Running the planner answers when the solver is done (at most ``time_limit`` seconds and
a little): the draft and its report. Publishing is the one change to the board, audited
as ``plan publish N`` and undone like any other change.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from ptghub.core.codec import encode
from ptghub.core.errors import InvalidInput
from ptghub.store import plan_workflow
from ptghub.store.plan_versions import MAX_PLAN_NUMBER, PlanRecord, Plans
from ptghub.store.store import Store
from ptghub.web import drafts
from ptghub.web.api import _ERRORS, _WRITE_ERRORS, PREFIX, Slug
from ptghub.web.api_inputs import STRICT, Integral
from ptghub.web.api_models import ErrorOut
from ptghub.web.api_route import ApiRoute
from ptghub.web.auth import Writer
from ptghub.web.drafts import Reader
from ptghub.web.from_domain import Moment

router = APIRouter(prefix=PREFIX, route_class=ApiRoute, tags=["plans"])

MAX_TIME_LIMIT = 600.0
MAX_SEED = 2**31 - 1  # CP-SAT's random_seed is a 32-bit integer

# A number beyond the range is no plan: the store answers 404 for it (and checks roles
# before that), so the range is shown in the schema rather than enforced here as a 422.
Number = Annotated[
    int,
    Path(
        description="The plan's number.",
        json_schema_extra={"minimum": 1, "maximum": MAX_PLAN_NUMBER},
    ),
]


class PlanRunIn(BaseModel):
    model_config = STRICT

    time_limit: float = Field(
        default=plan_workflow.DEFAULT_TIME_LIMIT,
        gt=0,
        le=MAX_TIME_LIMIT,
        description="Seconds the solver may take.",
    )
    work_limit: float | None = Field(
        default=None,
        gt=0,
        le=MAX_TIME_LIMIT,
        description="Instead of time_limit: units of the solver's deterministic work (about "
        "a second each on one core); the same plan on any machine, however loaded.",
    )
    seed: Annotated[int, Field(ge=0, le=MAX_SEED), Integral] = Field(
        default=0, description="Random seed of the solver."
    )


class PlacementOut(BaseModel):
    room: str = Field(description="Room key.")
    slot: str = Field(description="Slot key.")
    team: str = Field(description="The host team's key.")
    guests: list[str] = Field(description="Guest teams' keys of a joint session.")


class StageOut(BaseModel):
    name: str = Field(examples=["hours"])
    objective: int
    bound: int = Field(description="The best bound the solver proved.")
    optimal: bool
    seconds: float


class TeamHoursOut(BaseModel):
    team: str
    placed: int = Field(description="Minutes the team hosts (own and joint sessions).")
    wanted: int = Field(description="Minutes it asked for (joint sessions it hosts included).")


class FindingOut(BaseModel):
    rule: str = Field(examples=["one-room"])
    message: str
    cells: list[tuple[str, str]] = Field(description="(room key, slot key) of each cell.")


class MoveOut(BaseModel):
    kind: str = Field(description="added, removed, room (same slot) or slot (another slot).")
    old: tuple[str, str] | None
    new: tuple[str, str] | None


class TeamDiffOut(BaseModel):
    team: str
    moves: list[MoveOut]
    moved_minutes: int
    published_minutes: int
    added_minutes: int


class DiffOut(BaseModel):
    teams: list[TeamDiffOut] = Field(description="Teams with a change.")
    moved_minutes: int = Field(description="Published team-minutes no longer where they were.")
    published_minutes: int
    added_minutes: int
    share: float = Field(description="moved_minutes / published_minutes (0 when none).")


class ReportOut(BaseModel):
    method: str = Field(examples=["cp-sat"])
    seconds: float
    at: Moment = Field(description="The instant planned at: slots begun by then were kept.")
    version: int = Field(description="The event's version the run read.")
    stages: list[StageOut]
    hours: list[TeamHoursOut]
    unmet: list[str] = Field(description="One sentence per team with a wish not granted.")
    violations: list[FindingOut] = Field(description="Hard rules broken (empty: clash-free).")
    changes: DiffOut = Field(description="What the draft changes on the board of ``at``.")


class PlanSummaryOut(BaseModel):
    number: int
    status: str = Field(description="draft, published or superseded.")
    created_at: Moment
    created_by: str
    published_at: Moment | None
    published_audit_id: int | None
    undone_by: int | None = Field(description="The change that undid the publish, if any.")
    on_board: bool = Field(description="The version the board shows now.")
    report: ReportOut


class PlanOut(PlanSummaryOut):
    schedule: list[PlacementOut]


class PlanListOut(BaseModel):
    plans: list[PlanSummaryOut]
    current: int | None = Field(description="The published version on the board, if any.")


class PublishOut(BaseModel):
    plan: PlanSummaryOut
    changed: bool = Field(description="False when the board showed the draft already.")
    audit_id: int | None = Field(description="The audit entry of the publish, if any.")


def _diff_out(changes: Any) -> DiffOut:
    return DiffOut(**encode(changes), share=changes.share)


def _summary(record: PlanRecord, current: PlanRecord | None) -> dict[str, Any]:
    data = record.to_json()
    data.pop("schedule")
    report = data.pop("report")
    return {
        **data,
        "created_at": record.created_at,
        "published_at": record.published_at,
        "on_board": current is not None and current.number == record.number,
        "report": ReportOut(
            **{**report, "at": record.report.at, "changes": _diff_out(record.report.changes)}
        ),
    }


def _plan_out(store: Store, slug: str, record: PlanRecord) -> PlanOut:
    schedule = [PlacementOut(**item) for item in record.to_json()["schedule"]]
    current = Plans(store.engine).current(slug)
    return PlanOut(**_summary(record, current), schedule=schedule)


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


@router.post("/events/{slug}/plans", response_model=PlanOut, responses=_WRITE_ERRORS)
def run_plan(request: Request, slug: Slug, body: PlanRunIn, actor: Writer) -> PlanOut:
    """Run the planner on the event as it is now and store a draft (organizers only).

    The board does not change; ``POST .../plans/{number}/publish`` puts the draft on it.
    """
    record = plan_workflow.run(
        _store(request),
        actor,
        event=slug,
        time_limit=body.time_limit,
        work_limit=body.work_limit,
        seed=body.seed,
    )
    return _plan_out(_store(request), slug, record)


# Reads of plans: a draft needs the token of an organizer or a chair (web/drafts.py).
_PLAN_READ: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    401: {"model": ErrorOut, "description": "A draft, and no token (or an unknown one)."},
    403: {"model": ErrorOut, "description": "A draft, and the token's person may not read it."},
}


@router.get("/events/{slug}/plans", response_model=PlanListOut, responses=_PLAN_READ)
def list_plans(request: Request, slug: Slug, who: Reader) -> PlanListOut:
    """Every published version, oldest first (their reports, not their cells); the drafts
    too for an organizer or a chair of the event (their bearer token)."""
    store = _store(request)
    plans = Plans(store.engine)
    records = drafts.visible(store, plans.all(slug), who, event=slug)
    current = plans.current(slug)
    return PlanListOut(
        plans=[PlanSummaryOut(**_summary(r, current)) for r in records],
        current=current.number if current else None,
    )


@router.get("/events/{slug}/plans/{number}", response_model=PlanOut, responses=_PLAN_READ)
def get_plan(request: Request, slug: Slug, number: Number, who: Reader) -> PlanOut:
    """One plan with its cells (a draft: for an organizer or a chair of the event)."""
    store = _store(request)
    record = Plans(store.engine).get(slug, number)
    drafts.require_readable(store, record, who, event=slug)
    return _plan_out(store, slug, record)


_AGAINST_ERROR: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "against is neither 'published' nor a number."}
}


@router.get(
    "/events/{slug}/plans/{number}/diff",
    response_model=DiffOut,
    responses={**_PLAN_READ, **_AGAINST_ERROR},
)
def diff_plan(
    request: Request,
    slug: Slug,
    number: Number,
    who: Reader,
    against: Annotated[
        str,
        Query(
            description="'published' (the board as it is now) or another plan's number.",
            json_schema_extra={"pattern": "^(published|[0-9]+)$"},
        ),
    ] = "published",
) -> DiffOut:
    """What the plan changes, per team, against the board or another plan (drafts: for an
    organizer or a chair of the event)."""
    if against == "published":
        other = None
    elif against.isascii() and against.isdigit():  # isdigit alone accepts '²'
        other = int(against)
    else:
        raise InvalidInput(
            f"against='{against[:40]}' is not a plan: expected 'published' or a plan's number."
        )
    store = _store(request)
    plans = Plans(store.engine)
    record = plans.get(slug, number)
    drafts.require_readable(store, record, who, event=slug)
    if other is not None:
        drafts.require_readable(store, plans.get(slug, other), who, event=slug)
    return _diff_out(plan_workflow.compare(store, record, other, event=slug))


@router.post(
    "/events/{slug}/plans/{number}/publish", response_model=PublishOut, responses=_WRITE_ERRORS
)
def publish_plan(request: Request, slug: Slug, number: Number, actor: Writer) -> PublishOut:
    """Put a draft on the board (organizers only): one audited change, undone like any."""
    store = _store(request)
    record, result = plan_workflow.publish(store, actor, number, event=slug)
    return PublishOut(
        plan=PlanSummaryOut(**_summary(record, Plans(store.engine).current(slug))),
        changed=result.audit_id is not None,
        audit_id=result.audit_id,
    )
