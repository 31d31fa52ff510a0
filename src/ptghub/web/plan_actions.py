"""The plan page's buttons: run the planner, compare a plan, publish a draft.

For an organizer signed in on the browser (``web.session``), where the JSON API
(``plan_api``) takes a bearer token: the same store functions (``store.plan_workflow``
``run``, ``compare`` and ``publish``), the same permission checks, audited with front
end ``web`` and the person's web nick. The two changes are forms (``web.organizer.act``:
CSRF, 303 back to the plan page with the reply shown once, JSON for a script):

- ``POST /events/{slug}/plan/run`` (``seconds``: the solver's time limit; or ``work``:
  units of deterministic work, the same draft on any machine) makes a draft and opens it;
- ``POST /events/{slug}/plan/{n}/publish`` puts draft ``n`` on the board (``plan publish
  N`` in the audit log, undone like any change).

``GET /events/{slug}/plan/diff?n=N&against=published|M`` shows what plan ``n`` changes,
per team, against the board or another plan: reading, for whoever may read the plans
(drafts: the organizers and the chairs, by session or bearer token).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ptghub.core.errors import InvalidInput, NotFound
from ptghub.core.model import Actor
from ptghub.planner.diff import render
from ptghub.planner.publish import cell_namer
from ptghub.store import plan_workflow
from ptghub.store.plan_versions import Plans
from ptghub.store.results import Result
from ptghub.store.store import Store
from ptghub.web.organizer import Fields, act
from ptghub.web.pages import PageError, _page_context, html_errors, render_page
from ptghub.web.plan_api import MAX_TIME_LIMIT
from ptghub.web.plan_pages import _number, _readable, _who
from ptghub.web.templating import path_part

router = APIRouter(include_in_schema=False)


def plan_path(slug: str, number: int | None = None) -> str:
    return f"/events/{path_part(slug)}/plan" + (f"?n={number}" if number is not None else "")


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _limit(text: str, what: str) -> float | None:
    """A limit of the solver as the form gives it; None when left empty."""
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= MAX_TIME_LIMIT:  # also refuses nan and inf
        raise InvalidInput(
            f"The {what} '{text[:20]}' is not a number above 0 and at most {MAX_TIME_LIMIT:g}."
        )
    return value


@router.post("/events/{slug}/plan/run")
async def run_plan(request: Request, slug: str) -> Response:
    store = _store(request)
    made: list[int] = []

    def run(actor: Actor, fields: Fields) -> Result:
        seconds = _limit(fields.get("seconds", ""), "time limit")
        record = plan_workflow.run(
            store,
            actor,
            event=slug,
            time_limit=seconds or plan_workflow.DEFAULT_TIME_LIMIT,
            work_limit=_limit(fields.get("work", ""), "work limit"),
        )
        made.append(record.number)
        verdict = (
            f"publish it with the button below ('ptghub plan publish {record.number}')."
            if record.report.clash_free
            else "it cannot be published as it is: it breaks hard rules (listed below)."
        )
        return Result(f"OK, plan #{record.number} is drafted; {verdict}")

    return await act(request, lambda: plan_path(slug, made[0] if made else None), run)


@router.post("/events/{slug}/plan/{number}/publish")
async def publish_plan(request: Request, slug: str, number: str) -> Response:
    store = _store(request)

    def publish(actor: Actor, fields: Fields) -> Result:
        record, result = plan_workflow.publish(store, actor, _number(number), event=slug)
        if result.audit_id is None:
            return Result(f"OK, plan #{record.number} is published; the board showed it already.")
        return Result(
            f"OK, plan #{record.number} is published: {len(result.events)} cell change(s), "
            f"recorded as change #{result.audit_id} ('ptghub undo {result.audit_id}' "
            "takes it back).",
            result.events,
            (),
            result.audit_id,
        )

    back = plan_path(slug, int(number) if number.isascii() and number.isdigit() else None)
    return await act(request, back, publish)


@router.get("/events/{slug}/plan/diff", response_class=HTMLResponse)
@html_errors
def diff_page(
    request: Request, slug: str, n: str | None = None, against: str = "published"
) -> Response:
    ctx = _page_context(request, slug, None, "plan", live=False)
    store = _store(request)
    number = _number(n)
    if number is None:
        raise InvalidInput("n must name the plan to compare, such as n=3.")
    if against == "published":
        other = None
    elif against.isascii() and against.isdigit():
        other = int(against)
    else:
        raise InvalidInput(
            f"against='{against[:40]}' is not a plan: expected 'published' or a plan's number."
        )
    who = _who(request)
    plans = Plans(store.engine)
    try:
        record = plans.get(slug, number)
        compared = plans.get(slug, other) if other is not None else None
    except NotFound as error:
        raise PageError(404, "Plan not found", error.message) from None
    _readable(store, slug, record, who)
    if compared is not None:
        _readable(store, slug, compared, who)
    state = ctx["state"]
    changes = plan_workflow.compare(store, record, other, event=slug)

    def team_name(key: str) -> str:
        team = state.teams.get(key)
        return team.slug if team else key

    return render_page(
        "plan_diff.html",
        **ctx,
        title=f"Plan #{record.number} compared",
        record=record,
        against=f"plan #{other}" if other is not None else "the board",
        changes_text=render(changes, cell_name=cell_namer(state), team_name=team_name),
    )
