"""The organizers' page of a plan: ``/events/{slug}/plan`` (the latest draft, else the
newest plan; ``?n=N`` for another).

The page says one thing first: the draft can be published (and the command that does
it), or it breaks hard rules now, which, in plain words, and no publish command. Then the
draft's room x slot grid, one day at a time like the board (day tabs, ``?day=`` so that
it works without JavaScript; by default the first day with a cell that breaks a rule,
today's when it has one, else today, else the first day), in the board's markup and
styles, each cell showing its team's badge (and the guests of a joint session). Marked,
in words as well as colour: cells that break a hard rule *now* (the checker runs against
the event as it is, not as it was when the draft was made), and cells that differ from
the board (changed, or freed). Below: the changes, the wishes left unmet, hours per team,
the stages' figures. The page is linked from nowhere: organizers open it from ``ptghub
plan run``'s output.

Published versions are public; a draft is shown to an organizer or a chair of the event
only, signed in on the browser (``web.session``) or saying who they are with the API's
``Authorization: Bearer TOKEN`` header. Anyone else gets the newest published version, or
a 401 (403 with someone else's token) page saying how to see drafts (``ptghub plan
show``). A signed-in organizer also gets the run, compare and publish buttons
(``plan_buttons``, posting to ``plan_actions``), and, while there is no plan yet, a page
with the button that runs the planner instead of the 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ptghub.core.errors import InvalidInput, NotFound, PermissionDenied
from ptghub.core.model import Actor, EventState
from ptghub.core.needs import hours
from ptghub.planner.checker import check
from ptghub.planner.diff import diff, render
from ptghub.planner.from_state import build_instance, names_of
from ptghub.planner.instance import Cell, Placement
from ptghub.planner.publish import begun_slots, board_schedule, cell_namer
from ptghub.store.plan_versions import PlanRecord, Plans, PlanStatus
from ptghub.store.store import Store
from ptghub.web import drafts
from ptghub.web.auth import Unauthorized
from ptghub.web.flash import forget_flash
from ptghub.web.fragments import Badge, SlotView, badge
from ptghub.web.pages import PageError, _page_context, _selected_day, html_errors, render_page
from ptghub.web.plan_buttons import buttons, session_actor
from ptghub.web.templating import slot_bounds

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True, slots=True)
class PlanCell:
    code: str
    team: Badge | None
    guests: tuple[Badge, ...]
    available: bool
    broken: tuple[str, ...]  # messages of the hard rules it breaks
    change: str  # "", "changed" or "freed"
    was: Badge | None  # the board's team where the draft changes or frees the cell


@dataclass(frozen=True, slots=True)
class PlanDay:
    day: date
    slots: tuple[SlotView, ...]
    rows: tuple[tuple[str, tuple[PlanCell, ...]], ...]

    @property
    def key(self) -> str:
        return f"plan-{self.day.isoformat()}"

    @property
    def broken(self) -> int:
        """How many of the day's cells break a hard rule."""
        return sum(1 for _, cells in self.rows for cell in cells if cell.broken)


def _number(n: str | None) -> int | None:
    if n is None:
        return None
    # isascii: str.isdigit also accepts superscripts ('²'), which int() refuses.
    if not (n.isascii() and n.isdigit()):
        raise InvalidInput(f"n must be a plan's number such as 3, not '{n[:40]}'.")
    return int(n)


def _record(store: Store, slug: str, number: int | None, who: Actor | None) -> PlanRecord:
    """Plan ``number``; else the latest draft ``who`` may read, else the newest plan."""
    plans = Plans(store.engine)
    try:
        if number is not None:
            return plans.get(slug, number)
        records = plans.all(slug)
    except NotFound as error:
        raise PageError(404, "Plan not found", error.message) from None
    if not records:
        raise PageError(404, "Plan not found", "There is no plan yet; 'ptghub plan run' makes one.")
    shown = drafts.visible(store, records, who, event=slug)
    drafts_shown = [r for r in shown if r.status is PlanStatus.DRAFT]
    # Nothing shown: the drafts are all there is, and the refusal says how to see them.
    return (drafts_shown or shown or records)[-1]


def _who(request: Request) -> Actor | None:
    """Who reads the page: the API's bearer token, else the person signed in here."""
    try:
        who = drafts.reader(request)
    except Unauthorized as error:
        challenge = {"WWW-Authenticate": error.challenge}
        raise PageError(401, "Unknown token", error.message, challenge) from None
    return who if who is not None else session_actor(request)


def _readable(store: Store, slug: str, record: PlanRecord, who: Actor | None) -> None:
    try:
        drafts.require_readable(store, record, who, event=slug)
    except Unauthorized as error:
        challenge = {"WWW-Authenticate": error.challenge}
        raise PageError(401, "This plan is a draft", error.message, challenge) from None
    except PermissionDenied as error:
        raise PageError(403, "This plan is a draft", error.message) from None


def _days(
    state: EventState,
    schedule: dict[Cell, Placement],
    board: dict[Cell, Placement],
    broken: dict[Cell, list[str]],
) -> tuple[PlanDay, ...]:
    assert state.info is not None
    tz = state.info.timezone
    rooms = [key for key, room in state.rooms.items() if room.bookable]
    by_day: dict[date, list[str]] = {}
    for key, slot in state.slots.items():
        by_day.setdefault(slot.day, []).append(key)
    name = cell_namer(state)
    days = []
    for day, slots in by_day.items():
        views = tuple(
            SlotView(state.slots[k].code, *slot_bounds(state.slots[k], tz), False) for k in slots
        )
        rows = []
        for room in rooms:
            cells = []
            for key in slots:
                where = (room, key)
                placed, held = schedule.get(where), board.get(where)
                change = ""
                if placed is not None and placed != held:
                    change = "changed"
                elif placed is None and held is not None:
                    change = "freed"
                cells.append(
                    PlanCell(
                        code=name(where),
                        team=badge(state, placed.team) if placed else None,
                        guests=tuple(badge(state, g) for g in placed.guests) if placed else (),
                        available=where in state.cells,
                        broken=tuple(broken.get(where, ())),
                        change=change,
                        was=badge(state, held.team) if held and change else None,
                    )
                )
            rows.append((state.rooms[room].name, tuple(cells)))
        days.append(PlanDay(day, views, tuple(rows)))
    return tuple(days)


@router.get("/events/{slug}/plan", response_class=HTMLResponse)
@html_errors
def plan_page(
    request: Request,
    slug: str,
    n: str | None = None,
    tz: str | None = None,
    day: str | None = None,
) -> Response:
    ctx = _page_context(request, slug, tz, "plan", live=False)
    state: EventState = ctx["state"]
    store: Store = request.app.state.store
    who = _who(request)
    number = _number(n)
    if number is None and not Plans(store.engine).all(slug):
        found = buttons(request, slug, None, [])
        if found is not None:  # an organizer: the button that makes the first plan
            response = render_page(
                "plan_none.html", **ctx, title="Plan", buttons=found, record=None, organize=True
            )
            forget_flash(request, response)
            return response
    record = _record(store, slug, number, who)
    _readable(store, slug, record, who)
    current = Plans(request.app.state.store.engine).current(slug)
    instance = build_instance(state, ctx["at"], current.schedule if current else None)
    board = board_schedule(state, instance, current.schedule if current else None)
    names = names_of(state)
    violations = check(instance, record.schedule, names)
    # slots begun since the draft was made: one sentence, not one per cell
    begun = begun_slots(instance, record.schedule)
    others = [
        v
        for v in violations
        if not (v.rule in ("fixed", "frozen") and all(c[1] in begun for c in v.cells))
    ]
    broken: dict[Cell, list[str]] = {}
    for violation in violations:
        for cell in violation.cells:
            broken.setdefault(cell, []).append(violation.message)
    changes = diff(board, record.schedule, instance.slots)
    plan_days = _days(state, record.schedule, board, broken)
    selected = _selected_day(ctx, day)
    if day is None and selected not in {d.day for d in plan_days if d.broken}:
        # what needs fixing first: the first day with a broken cell, if any
        selected = next((d.day for d in plan_days if d.broken), selected)

    def day_query(value: date) -> str:
        asked = {"n": n} if n is not None else {}
        return urlencode({**asked, "day": value.isoformat(), **({"tz": tz} if tz else {})})

    teams = {key: team.slug for key, team in state.teams.items()}

    def team_slug(key: str) -> str:
        return teams.get(key, key)

    numbers = [r.number for r in Plans(store.engine).all(slug)]
    shown_buttons = buttons(request, slug, record, numbers)
    response = render_page(
        "plan.html",
        **ctx,
        title=f"Plan #{record.number}",
        record=record,
        on_board=current is not None and current.number == record.number,
        report=record.report,
        plan_days=plan_days,
        selected_day=selected,
        day_query=day_query,
        violations=violations,
        begun=[names.slot(key) for key in begun],
        others=others,
        changes=changes,
        changes_text=render(changes, cell_name=cell_namer(state), team_name=team_slug),
        team_badge=lambda key: badge(state, team_slug(key)),
        hours=hours,
        buttons=shown_buttons,
        organize=shown_buttons is not None,  # base.html: the buttons' stylesheet
    )
    forget_flash(request, response)  # the reply of the button pressed last, shown once
    return response
