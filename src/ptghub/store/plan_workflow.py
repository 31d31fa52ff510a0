"""The organizers' planning workflow over the store: run, compare, pin, publish.

The front ends (CLI, API, web) call these and only render what they return, so each
step has one definition of who may do it and what it stores:

- ``run``: the event as it is now becomes an ``Instance`` (slots begun are frozen, chair
  bookings and pins fixed, the board's planned cells ``previous``), the planner solves
  it with the board as its hint, the checker judges the result, and a draft is stored
  with its report (hours per team, stages, unmet wishes, verdict, what would move).
- ``publish``: a draft goes on the board as one audited change (``Store.change``): the
  cells are re-checked under the write claim and the draft is marked published in the
  same transaction. ``Store.undo`` of that change takes it off the board again.
- ``pin``: an organizer fixes a team to a cell for the next run (a ``PinChanged``).

Only organizers run, publish and pin: the draft is the organizers' working copy, which
the chairs of the event's teams may read too (``may_read_drafts``); published versions
are public.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from ptghub import planner
from ptghub.commands.cells import cell_name, parse_cell
from ptghub.core.errors import Conflict, NotFound, Refused
from ptghub.core.events import DomainEvent, PinChanged
from ptghub.core.model import Actor, EventState
from ptghub.core.permissions import chairs_any_team, is_organizer, require_organizer, require_team
from ptghub.planner.checker import check
from ptghub.planner.diff import ScheduleDiff, diff
from ptghub.planner.explain import unmet
from ptghub.planner.from_state import build_instance, names_of
from ptghub.planner.publish import board_schedule, publish_events
from ptghub.planner.report import Finding, build_report, inputs_json
from ptghub.planner.validate import validate_fixed
from ptghub.store.people import People
from ptghub.store.plan_versions import PlanRecord, Plans, PlanStatus
from ptghub.store.results import Result
from ptghub.store.store import Store

DEFAULT_TIME_LIMIT = 30.0


def _with_aliases(store: Store, actor: Actor) -> Actor:
    with store.engine.connect() as conn:
        return People.actor(conn, actor)


def may_read_drafts(store: Store, actor: Actor | None, *, event: str | None = None) -> bool:
    """Whether ``actor`` (None: someone who did not say who they are) may read drafts:
    an organizer of the event, or a chair of any of its teams."""
    if actor is None:
        return False
    state = store.state(event)
    who = _with_aliases(store, actor)
    return is_organizer(state, who) or chairs_any_team(state, who)


def run(
    store: Store,
    actor: Actor,
    *,
    event: str | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    work_limit: float | None = None,
    seed: int = 0,
    at: datetime | None = None,
) -> PlanRecord:
    """Plan the event as it is now (or as it was or will be ``at``) and store the result
    as a new draft. Refused when every slot has begun: nothing is left to plan. The
    solver stops after ``time_limit`` seconds, or ``work_limit`` units of deterministic
    work instead when given (the same draft on any machine)."""
    version, state = store.versioned_state(event)
    require_organizer(state, _with_aliases(store, actor), "Planning")
    slug = state.info.slug if state.info is not None else event
    plans = Plans(store.engine)
    now = at if at is not None else store.clock()
    current = plans.current(slug)
    instance = build_instance(state, now, current.schedule if current else None)
    if instance.slots and len(instance.frozen_slots) == len(instance.slots):
        raise Refused(
            f"Every slot of {slug} has begun by {now:%Y-%m-%d %H:%M %Z}: there is nothing "
            "left to plan. To plan it as it was before, give a time before its first slot "
            "(the CLI's --at, e.g. --at 2022-04-01)."
        )
    names = names_of(state)
    validate_fixed(instance, names)  # refused in plain words before the solver starts
    board = board_schedule(state, instance, current.schedule if current else None)
    # The board as the hint: a re-plan starts from what teams have (fixed cells and all).
    hint = {**board, **instance.fixed} if board else None
    result = planner.plan(
        instance, time_limit=time_limit, work_limit=work_limit, hint=hint, seed=seed
    )
    # the wishes left unmet, in the words organizers use: teams by their display names
    result = replace(result, unmet=unmet(instance, result.schedule, names.teams))
    violations = tuple(
        Finding(v.rule, v.message, tuple(v.cells)) for v in check(instance, result.schedule, names)
    )
    report = build_report(
        instance,
        result,
        violations=violations,
        changes=diff(board, result.schedule, instance.slots),
        at=now,
        version=version,
    )
    return plans.add_draft(
        slug,
        schedule=dict(result.schedule),
        report=report,
        inputs=inputs_json(instance),
        created_by=actor.nick,
        at=now,
    )


def find(
    store: Store, number: int | None, *, event: str | None = None, drafts_only: bool = True
) -> PlanRecord:
    """Plan ``number``; else the latest draft, or (not ``drafts_only``) the newest plan
    when there is no draft (to look at what was published last)."""
    plans = Plans(store.engine)
    if number is not None:
        return plans.get(event, number)
    if drafts_only:
        return plans.latest_draft(event)
    records = plans.all(event)
    drafts = [r for r in records if r.status is PlanStatus.DRAFT]
    if not records:
        raise NotFound("There is no plan yet; 'ptghub plan run' makes one.")
    return (drafts or records)[-1]


def compare(
    store: Store, record: PlanRecord, against: int | None = None, *, event: str | None = None
) -> ScheduleDiff:
    """How ``record`` differs from version ``against``, or from the board as it is now."""
    state = store.state(event)
    current = Plans(store.engine).current(event)
    instance = build_instance(state, None, current.schedule if current else None)
    if against is not None:
        old = Plans(store.engine).get(event, against).schedule
    else:
        old = board_schedule(state, instance, current.schedule if current else None)
    return diff(old, record.schedule, instance.slots)


def publish(
    store: Store,
    actor: Actor,
    number: int | None = None,
    *,
    event: str | None = None,
    at: datetime | None = None,
) -> tuple[PlanRecord, Result]:
    """Put a draft (the latest by default) on the board, as one audited change.

    Slots that have begun by now (or by ``at``, an organizer's explicit choice) are not
    changed: a draft that would change them is refused."""
    # Who may publish is settled before any plan is looked up: someone who may not
    # learns nothing about the drafts (and a bad number cannot fail first). ``build``
    # checks again under the write claim, where the roles cannot change meanwhile.
    require_organizer(store.state(event), _with_aliases(store, actor), "Publishing a plan")
    record = find(store, number, event=event)
    if record.status is not PlanStatus.DRAFT:
        raise Conflict(
            f"Plan #{record.number} is {record.status.value}, not a draft; "
            "'ptghub plan run' makes a new draft."
        )
    now = at if at is not None else store.clock()
    published_at = store.clock()  # when it happened, whatever time it was planned as of
    current = Plans(store.engine).current(event)
    on_board = current.schedule if current else None

    def build(state: EventState, who: Actor) -> Sequence[DomainEvent]:
        require_organizer(state, who, "Publishing a plan")
        return publish_events(state, record.schedule, now, on_board)

    result = store.change(
        build,
        actor,
        f"plan publish {record.number}",
        event=event,
        then=lambda conn, event_id, audit_id: Plans.mark_published(
            conn, event_id, record.number, published_at, audit_id
        ),
    )
    if result.audit_id is None:  # the board shows the draft already: only the status changes
        Plans(store.engine).publish_unchanged(event, record.number, published_at)
    return find(store, record.number, event=event), result


def pin(
    store: Store, actor: Actor, cell: str, team: str | None, *, event: str | None = None
) -> Result:
    """Pin ``team`` to ``cell`` (ROOM-SLOT) for the next run; ``team`` None unpins."""
    text = f"plan pin {cell} {team}" if team is not None else f"plan unpin {cell}"

    def build(state: EventState, who: Actor) -> Sequence[DomainEvent]:
        require_organizer(state, who, "Pinning a cell")
        room, slot = parse_cell(state, cell)
        old = state.pins.get((room, slot))
        new = require_team(state, team).key if team is not None else None
        if old == new:
            name = cell_name(state, room, slot)
            raise Conflict(
                f"{name} is pinned to {old} already."
                if new is not None
                else f"{name} is not pinned; nothing to unpin."
            )
        return [PinChanged(room, slot, old, new)]

    return store.change(build, actor, text, event=event)
