"""Registering for an event (``store.attendees.registrations``), for the person signed in.

- ``GET /events/{slug}/register``: the form (role, teams of interest, onboarding, time
  zone, first time, acceptance of the code of conduct), filled with the person's answers
  when they have registered, with their state (registered, waiting and their place in
  line, cancelled) and a button to cancel. Nobody signed in: the same form with an email
  address, posted to ``web.register_mail`` (a mailed link signs in and registers).
- ``POST /events/{slug}/register``: register, or change the answers (keeping one's place or
  turn). Refused (400, the form again with the message and the answers given; nothing
  stored) without the code of conduct accepted, or with answers that are wrong.
- ``POST /events/{slug}/register/cancel``: cancel; the first person waiting gets the place.
- ``GET /events/{slug}/register/code-of-conduct``: the code, its version, and the button
  to accept it (``POST .../register/accept``): what a registrant whose acceptance is older
  than the current version is sent to (the notice on the event's pages,
  ``web.registration_notice``); until then their registration cannot be changed (409).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ptghub.core.errors import InvalidInput
from ptghub.core.model import EventState
from ptghub.store.registration_answers import (
    ROLES,
    WAITING,
    Answers,
    check_acceptance,
    check_answers,
    zone_names,
)
from ptghub.store.registrations import PlaceMail, Registrations
from ptghub.store.store import Store
from ptghub.web.contents import address
from ptghub.web.flash import Flash, forget_flash, read_flash, set_flash
from ptghub.web.form_pages import FORM_PAGE, SignInNeeded, page_refusals, refusal_page
from ptghub.web.pages import _page_context, render_page
from ptghub.web.session import browser_id, check_csrf, csrf_token, signed_in
from ptghub.web.signin_pages import site_url
from ptghub.web.templating import path_part

router = APIRouter(include_in_schema=False)

PAGE = "/events/{slug}/register"
ZONES = sorted(zone_names())

Field = Annotated[str, Form()]
Optional = Annotated[str | None, Form()]
Many = Annotated[list[str] | None, Form()]


def register_path(slug: str, rest: str = "") -> str:
    return f"/events/{path_part(slug)}/register{rest}"


def registrations_of(request: Request) -> Registrations:
    store: Store = request.app.state.store
    return store.attendees.registrations


def place_mail(request: Request, state: EventState) -> PlaceMail:
    """How the mail of a promoted person names the event and links to its page."""
    assert state.info is not None
    return PlaceMail(state.info.name, site_url(request) + register_path(state.info.slug))


def event_teams(state: EventState) -> dict[str, str]:
    return {key: team.name for key, team in state.teams.items()}


def answers_from(
    state: EventState,
    *,
    role: str,
    teams: list[str] | None,
    onboarding: str | None,
    time_zone: str,
    first_time: str | None,
) -> Answers:
    """The form's answers, checked (InvalidInput names the first wrong one)."""
    return check_answers(
        role=role,
        teams=teams or [],
        onboarding=bool(onboarding),
        time_zone=time_zone,
        first_time=bool(first_time),
        event_teams=event_teams(state),
    )


def form_page(
    request: Request,
    slug: str,
    *,
    status: int = 200,
    error: str = "",
    given: Answers | None = None,
    email: str = "",
) -> Response:
    """The registration page: the form (filled with ``given``, else the person's own
    answers), the person's state, and ``error`` when a form was refused."""
    ctx = _page_context(request, slug, None, "register", live=False)
    state: EventState = ctx["state"]
    assert state.info is not None
    regs = registrations_of(request)
    event_id = regs.event_id(slug)
    settings = regs.settings(event_id)
    found = signed_in(request)
    mine = None if found is None else regs.get(event_id, found.account.person_id)
    held = mine if mine is not None and mine.state != "cancelled" else None
    shown = given or (mine.answers if mine else None)
    coc_page = bool(state.info.page("code_of_conduct"))
    flash = read_flash(request)
    response = render_page(
        "register.html",
        status,
        **ctx,
        title="Register",
        body_class=FORM_PAGE,
        csrf=csrf_token(request),
        signed=found,
        mine=mine,
        held=held,
        line=regs.place_in_line(event_id, held.person_id) if held else None,
        outdated=held is not None and held.coc_version < settings.coc_version,
        settings=settings,
        taken=regs.taken(event_id),
        roles=ROLES,
        teams=sorted(state.teams.values(), key=lambda t: t.name.casefold()),
        zones=ZONES,
        answers=shown,
        default_zone=shown.time_zone if shown else ctx["zone"],
        coc_href=f"{ctx['event_path']}/{address('code_of_conduct')}" if coc_page else None,
        register_href=register_path(slug),
        error=error,
        email=email,
        flash=flash,
        waiting_state=WAITING,
    )
    browser_id(request, response)  # a signed-out form's link is bound to this browser
    forget_flash(request, response)
    response.headers["Cache-Control"] = "no-store"
    return response


def back_with(request: Request, slug: str, message: str, ok: bool = True) -> Response:
    response = RedirectResponse(register_path(slug), status_code=303)
    set_flash(request, response, Flash(message, ok))
    return response


def state_reply(registration_state: str, line: int | None) -> str:
    if registration_state == WAITING:
        return (
            f"The event is full: you are on the waiting list (number {line}). We will mail "
            "you when a place opens."
        )
    return "You are registered."


@router.get(PAGE)
@page_refusals()
def register_page(request: Request, slug: str) -> Response:
    return form_page(request, slug)


@router.post(PAGE)
@page_refusals()
def register(
    request: Request,
    slug: str,
    role: Field = "",
    teams: Many = None,
    onboarding: Optional = None,
    time_zone: Field = "",
    first_time: Optional = None,
    coc: Optional = None,
    coc_version: Optional = None,
    csrf: Optional = None,
) -> Response:
    found = signed_in(request)
    if found is None:
        raise SignInNeeded()
    check_csrf(request, csrf)
    store: Store = request.app.state.store
    state = store.state(slug)
    regs = registrations_of(request)
    event_id = regs.event_id(slug)
    person = found.account.person_id
    given: Answers | None = None
    try:
        given = answers_from(
            state,
            role=role,
            teams=teams,
            onboarding=onboarding,
            time_zone=time_zone,
            first_time=first_time,
        )
        version = check_acceptance(bool(coc), coc_version, regs.settings(event_id).coc_version)
        before = regs.get(event_id, person)
        done = regs.register(event_id, person, given, coc_version=version)
    except InvalidInput as error:
        return form_page(request, slug, status=400, error=error.message, given=given)
    if before is not None and before.state != "cancelled":
        return back_with(request, slug, "Your registration is changed.")
    return back_with(request, slug, state_reply(done.state, regs.place_in_line(event_id, person)))


@router.post(PAGE + "/cancel")
@page_refusals()
def cancel(request: Request, slug: str, csrf: Optional = None) -> Response:
    found = signed_in(request)
    if found is None:
        raise SignInNeeded()
    check_csrf(request, csrf)
    store: Store = request.app.state.store
    state = store.state(slug)
    regs = registrations_of(request)
    regs.cancel(regs.event_id(slug), found.account.person_id, mail=place_mail(request, state))
    return back_with(request, slug, "Your registration is cancelled. You can register again here.")


@router.get(PAGE + "/code-of-conduct")
@page_refusals()
def coc_page(request: Request, slug: str) -> Response:
    ctx = _page_context(request, slug, None, "register", live=False)
    state: EventState = ctx["state"]
    assert state.info is not None
    regs = registrations_of(request)
    event_id = regs.event_id(slug)
    found = signed_in(request)
    extra: dict[str, Any] = {
        "mine": None if found is None else regs.get(event_id, found.account.person_id),
        "outdated": found is not None and regs.coc_outdated(event_id, found.account.person_id),
    }
    response = render_page(
        "register_coc.html",
        **ctx,
        **extra,
        title="Code of conduct",
        body_class=FORM_PAGE,
        settings=regs.settings(event_id),
        text=state.info.page("code_of_conduct"),
        signed=found,
        csrf=csrf_token(request),
        register_href=register_path(slug),
        sign_in_href="/signin?" + urlencode({"next": register_path(slug, "/code-of-conduct")}),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post(PAGE + "/accept")
@page_refusals()
def accept(
    request: Request,
    slug: str,
    coc: Optional = None,
    coc_version: Optional = None,
    csrf: Optional = None,
) -> Response:
    found = signed_in(request)
    if found is None:
        raise SignInNeeded()
    check_csrf(request, csrf)
    regs = registrations_of(request)
    event_id = regs.event_id(slug)
    try:
        version = check_acceptance(bool(coc), coc_version, regs.settings(event_id).coc_version)
        regs.accept_coc(event_id, found.account.person_id, version=version)
    except InvalidInput as error:
        return refusal_page(
            400,
            "That did not work",
            error.message,
            back_href=register_path(slug, "/code-of-conduct"),
            back_text="Back to the code of conduct",
        )
    return back_with(
        request, slug, f"Thank you: you accepted version {version} of the code of conduct."
    )
