"""Track requests, the requester's side: "my team is not on the list".

- ``GET /events/{slug}/tracks/request``: the form (team name, kind, contacts, purpose,
  hours, onboarding, preferred days among the event's days). A signed-out browser gets a
  page leading to sign-in and back; after the closing date the page says requests are
  closed. ``POST`` sends it: every problem is listed on the form again (400), nothing
  stored; after the closing date 409. Received: the requester is mailed.
- ``GET /events/{slug}/tracks/requests``: the signed-in person's requests and their state;
  ``.../requests/{number}``: one of them, its steps, a withdraw button while it waits and,
  when the organizers asked for changes, the form to edit and send it again
  (``POST .../requests/{number}``); ``POST .../requests/{number}/withdraw``.

The store side is ``store.attendees.tracks``; the organizers' queue ``organize_tracks``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, ParamSpec

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ptghub.commands.track_requests import KIND_LABELS, Proposal, check_proposal, proposal_problems
from ptghub.core.errors import Conflict, NotFound
from ptghub.core.model import EventState
from ptghub.core.needs import day_minutes, day_name
from ptghub.store.store import Store
from ptghub.store.track_request_rows import CHANGES_REQUESTED, OPEN, TrackRequest, not_editable
from ptghub.web.flash import Flash, forget_flash, read_flash, set_flash
from ptghub.web.form_pages import FORM_PAGE, SignInNeeded, page_refusals
from ptghub.web.organizer import sign_in_href
from ptghub.web.pages import _page_context, render_page
from ptghub.web.session import SignedIn, check_csrf, csrf_token, signed_in
from ptghub.web.signin_pages import site_url
from ptghub.web.templating import path_part

router = APIRouter(include_in_schema=False)

Field = Annotated[str, Form()]
Days = Annotated[list[str], Form()]


def tracks_path(slug: str, rest: str = "") -> str:
    return f"/events/{path_part(slug)}/tracks" + (f"/{rest}" if rest else "")


P = ParamSpec("P")


def _refusals(handler: Callable[P, Response]) -> Callable[P, Response]:
    """A refusal as a page (``form_pages.page_refusals``) leading back to the person's
    requests of this event."""

    @functools.wraps(handler)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
        back = tracks_path(str(kwargs["slug"]), "requests")
        return page_refusals(back, "Your track requests")(handler)(*args, **kwargs)

    return wrapper


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _posted(request: Request, csrf: str) -> SignedIn:
    person = signed_in(request)
    if person is None:
        raise SignInNeeded()
    check_csrf(request, csrf)
    return person


def _values(proposal: Proposal) -> dict[str, Any]:
    return {
        "team_name": proposal.team_name,
        "kind": proposal.kind,
        "contacts": proposal.contacts,
        "purpose": proposal.purpose,
        "hours": str(proposal.hours),
        "onboarding": proposal.onboarding,
        "days": [d.isoformat() for d in proposal.preferred_days],
    }


def _fields(
    team_name: str,
    kind: str,
    contacts: str,
    purpose: str,
    hours: str,
    onboarding: str,
    days: list[str],
) -> dict[str, str | list[str]]:
    return {
        "team_name": team_name,
        "kind": kind,
        "contacts": contacts,
        "purpose": purpose,
        "hours": hours,
        "onboarding": onboarding,
        "days": days,
    }


def _render(
    request: Request, slug: str, template: str, title: str, status: int = 200, **extra: Any
) -> Response:
    ctx = _page_context(request, slug, None, "tracks", live=False)
    state: EventState = ctx["state"]
    flash = read_flash(request)
    response = render_page(
        template,
        status,
        **ctx,
        title=title,
        body_class=FORM_PAGE,
        flash=flash,
        csrf=csrf_token(request),
        signed=signed_in(request),
        kinds=list(KIND_LABELS.items()),
        event_days=[(d.isoformat(), day_name(d)) for d in day_minutes(state)],
        tracks=tracks_path(slug),
        **extra,
    )
    response.headers["Cache-Control"] = "no-store"
    forget_flash(request, response)
    return response


def _form(
    request: Request,
    slug: str,
    *,
    values: Mapping[str, Any],
    problems: Sequence[tuple[str, str]] = (),
    status: int = 200,
) -> Response:
    tracks = _store(request).attendees.tracks
    return _render(
        request,
        slug,
        "track_request.html",
        "Ask for a track",
        status,
        values=values,
        problems=list(problems),
        by_field=dict(reversed(problems)),
        closes_at=tracks.closes_at(slug),
        closed=tracks.is_closed(slug),
        action=tracks_path(slug, "request"),
        sign_in=sign_in_href(tracks_path(slug, "request")),
        submit="Send the request",
    )


_EMPTY: dict[str, Any] = {
    **dict.fromkeys(("team_name", "contacts", "purpose", "hours"), ""),
    "kind": "project",
    "days": [],
    "onboarding": False,
}


@router.get("/events/{slug}/tracks/request", response_class=HTMLResponse)
@_refusals
def request_form(request: Request, slug: str) -> Response:
    return _form(request, slug, values=_EMPTY)


@router.post("/events/{slug}/tracks/request", response_class=HTMLResponse)
@_refusals
def send_request(
    request: Request,
    slug: str,
    team_name: Field = "",
    kind: Field = "",
    contacts: Field = "",
    purpose: Field = "",
    hours: Field = "",
    onboarding: Field = "",
    days: Days = [],  # noqa: B006 (FastAPI copies a default; none is shared)
    csrf: Field = "",
) -> Response:
    person = _posted(request, csrf)
    store = _store(request)
    fields = _fields(team_name, kind, contacts, purpose, hours, onboarding, days)
    state = store.state(slug)
    store.attendees.tracks.require_open(slug)  # after the closing date: 409, whatever was sent
    problems = proposal_problems(state, fields)
    if problems:
        return _form(request, slug, values=_shown(fields), problems=problems, status=400)
    made = store.attendees.tracks.submit(
        slug, person.account.person_id, check_proposal(state, fields), site=site_url(request)
    )
    return _done(
        request,
        slug,
        made,
        f"Your request #{made.id} for {made.proposal.team_name} is sent; we mailed you a copy.",
    )


def _shown(fields: Mapping[str, str | list[str]]) -> dict[str, Any]:
    return {**fields, "onboarding": fields.get("onboarding") in ("yes", "on", "true")}


def _done(request: Request, slug: str, made: TrackRequest, message: str) -> Response:
    response = RedirectResponse(tracks_path(slug, f"requests/{made.id}"), status_code=303)
    set_flash(request, response, Flash(message))
    return response


@router.get("/events/{slug}/tracks/requests", response_class=HTMLResponse)
@_refusals
def my_requests(request: Request, slug: str) -> Response:
    person = signed_in(request)
    if person is None:
        return _sign_in(request, slug)
    mine = _store(request).attendees.tracks.of_person(slug, person.account.person_id)
    return _render(request, slug, "track_requests_mine.html", "Your track requests", mine=mine)


def _sign_in(request: Request, slug: str) -> Response:
    return _render(
        request,
        slug,
        "track_request_sign_in.html",
        "Sign in to ask for a track",
        sign_in=sign_in_href(request.url.path),
    )


@router.get("/events/{slug}/tracks/requests/{number}", response_class=HTMLResponse)
@_refusals
def one_request(request: Request, slug: str, number: int) -> Response:
    person = signed_in(request)
    if person is None:
        return _sign_in(request, slug)
    found = _mine(request, slug, number, person)
    return _one(request, slug, found, values=_values(found.proposal))


def _mine(request: Request, slug: str, number: int, person: SignedIn) -> TrackRequest:
    found = _store(request).attendees.tracks.get(slug, number)
    if found.person_id != person.account.person_id:
        raise NotFound(f"You have no track request #{number} for this event.")
    return found


def _one(
    request: Request,
    slug: str,
    found: TrackRequest,
    *,
    values: Mapping[str, Any],
    problems: Sequence[tuple[str, str]] = (),
    status: int = 200,
) -> Response:
    state = _store(request).state(slug)
    team = state.teams.get(found.team_key or "")
    return _render(
        request,
        slug,
        "track_request_one.html",
        f"Track request #{found.id}",
        status,
        found=found,
        team=team,
        open=found.state in OPEN,
        editable=found.state == CHANGES_REQUESTED,
        values=values,
        problems=list(problems),
        by_field=dict(reversed(problems)),
        action=tracks_path(slug, f"requests/{found.id}"),
        submit="Send the request again",
        closed=False,
        closes_at=None,
        days_text=", ".join(day_name(d) for d in found.proposal.preferred_days) or "any",
        kind_label=KIND_LABELS.get(found.proposal.kind, found.proposal.kind),
    )


@router.post("/events/{slug}/tracks/requests/{number}", response_class=HTMLResponse)
@_refusals
def resend_request(
    request: Request,
    slug: str,
    number: int,
    team_name: Field = "",
    kind: Field = "",
    contacts: Field = "",
    purpose: Field = "",
    hours: Field = "",
    onboarding: Field = "",
    days: Days = [],  # noqa: B006
    csrf: Field = "",
) -> Response:
    person = _posted(request, csrf)
    store = _store(request)
    found = _mine(request, slug, number, person)
    fields = _fields(team_name, kind, contacts, purpose, hours, onboarding, days)
    if found.state != CHANGES_REQUESTED:
        raise Conflict(not_editable(found))
    state = store.state(slug)
    problems = proposal_problems(state, fields)
    if problems:
        return _one(request, slug, found, values=_shown(fields), problems=problems, status=400)
    proposal = check_proposal(state, fields)
    made = store.attendees.tracks.resubmit(
        slug, number, person.account.person_id, proposal, site=site_url(request)
    )
    return _done(request, slug, made, f"Your request #{made.id} is sent again; we mailed you.")


@router.post("/events/{slug}/tracks/requests/{number}/withdraw", response_class=HTMLResponse)
@_refusals
def withdraw_request(request: Request, slug: str, number: int, csrf: Field = "") -> Response:
    person = _posted(request, csrf)
    made = _store(request).attendees.tracks.withdraw(slug, number, person.account.person_id)
    return _done(request, slug, made, f"Your request #{made.id} is withdrawn.")
