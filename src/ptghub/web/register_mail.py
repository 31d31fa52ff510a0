"""Registering for an event without being signed in: by a mailed link.

- ``POST /events/{slug}/register/mail``: the registration form with an email address.
  The answers are checked first (a 400 page with the form again, nothing sent, when one is
  wrong or the code of conduct is not accepted); then a sign-in link
  (``store.links``: single use, 15 minutes, only in this browser; limited per address and
  per client like the sign-in page's) is mailed (kind ``registration-link``). The same
  answer whether the address has an account or not.
- ``GET /events/{slug}/register/link?token=...&role=...``: what the mail links to; the
  answers travel in the link itself (nothing is stored before the address is proven). It
  shows them and a button: a mail scanner following links uses nothing up.
- ``POST /events/{slug}/register/link``: uses the link, signs the person in (making their
  account when the address is new) and registers them with the answers and the version of
  the code of conduct they accepted. If the registration cannot be completed (the code
  changed meanwhile, a team was removed), they are signed in all the same and sent to the
  form, which says why: the registration resumes there.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ptghub.core.errors import InvalidInput, PtgError
from ptghub.core.model import EventState
from ptghub.store.accounts import check_address
from ptghub.store.registration_answers import ROLES, Answers, check_acceptance
from ptghub.store.sign_in_links import LinkRefused
from ptghub.store.store import Store
from ptghub.web.flash import Flash, set_flash
from ptghub.web.form_pages import FORM_PAGE, page_refusals
from ptghub.web.pages import render_page
from ptghub.web.register_pages import (
    PAGE,
    answers_from,
    form_page,
    register_path,
    registrations_of,
    state_reply,
)
from ptghub.web.session import (
    BROWSER_COOKIE,
    browser_id,
    check_csrf,
    csrf_token,
    set_session_cookie,
    signed_in,
)
from ptghub.web.signin_pages import MINUTES, limit_mail, link_refused, site_url

router = APIRouter(include_in_schema=False)

KIND = "registration-link"

Field = Annotated[str, Form()]
Optional = Annotated[str | None, Form()]
Many = Annotated[list[str] | None, Form()]


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"  # pages with a token or an address
    return response


def _state(request: Request, slug: str) -> EventState:
    store: Store = request.app.state.store
    return store.state(slug)


@router.post(PAGE + "/mail")
@page_refusals()
def register_by_mail(
    request: Request,
    slug: str,
    email: Field = "",
    role: Field = "",
    teams: Many = None,
    onboarding: Optional = None,
    time_zone: Field = "",
    first_time: Optional = None,
    coc: Optional = None,
    coc_version: Optional = None,
    csrf: Optional = None,
) -> Response:
    check_csrf(request, csrf)
    state = _state(request, slug)
    assert state.info is not None
    regs = registrations_of(request)
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
        version = check_acceptance(
            bool(coc), coc_version, regs.settings(regs.event_id(slug)).coc_version
        )
        address = check_address(email)
    except InvalidInput as error:
        return form_page(request, slug, status=400, error=error.message, given=given, email=email)
    limit_mail(request, address)
    store: Store = request.app.state.store
    token = store.links.create(address, browser=browser_id(request))
    query = [("token", token), *given.query(), ("coc_version", str(version))]
    link = f"{site_url(request)}{register_path(slug, '/link')}?{urlencode(query)}"
    store.outbox.enqueue(
        to=address,
        subject=f"Complete your registration for {state.info.name}",
        text=(
            f"Someone, hopefully you, asked to register for {state.info.name} on "
            f"{site_url(request)} with this address.\n\n"
            f"To sign in and complete the registration, open this link in the same browser, "
            f"within {MINUTES} minutes:\n\n{link}\n\n"
            "It works once. If you did not ask, ignore this mail: nothing happens without "
            "the link.\n"
        ),
        kind=KIND,
    )
    return _no_store(
        render_page(
            "register_sent.html",
            title="Check your mail",
            body_class=FORM_PAGE,
            email=address,
            minutes=MINUTES,
            register_href=register_path(slug),
        )
    )


def _refused(error: LinkRefused, slug: str) -> Response:
    return link_refused(
        error,
        register_path(slug),
        again=register_path(slug),
        again_text="Back to the registration form, to ask for a new link",
    )


@router.get(PAGE + "/link")
@page_refusals()
def registration_link(
    request: Request,
    slug: str,
    token: str = "",
    role: str = "",
    time_zone: str = "",
    onboarding: str | None = None,
    first_time: str | None = None,
    coc_version: str = "",
) -> Response:
    state = _state(request, slug)
    assert state.info is not None
    store: Store = request.app.state.store
    try:
        link = store.links.peek(token)
        if not link.asked_by(request.cookies.get(BROWSER_COOKIE)):
            raise LinkRefused("other-browser")
    except LinkRefused as error:
        return _refused(error, slug)
    teams = request.query_params.getlist("teams")
    answers = answers_from(
        state,
        role=role,
        teams=teams,
        onboarding=onboarding,
        time_zone=time_zone,
        first_time=first_time,
    )
    return _no_store(
        render_page(
            "register_link.html",
            title="Complete your registration",
            body_class=FORM_PAGE,
            event_name=state.info.name,
            email=link.address,
            token=token,
            fields=[*answers.query(), ("coc_version", coc_version)],
            answers=answers,
            role_name=ROLES[answers.role],
            team_names=[state.teams[key].name for key in answers.teams],
            coc_version=coc_version,
            action=register_path(slug, "/link"),
            csrf=csrf_token(request),
        )
    )


@router.post(PAGE + "/link")
@page_refusals()
def use_registration_link(
    request: Request,
    slug: str,
    token: Field = "",
    role: Field = "",
    teams: Many = None,
    onboarding: Optional = None,
    time_zone: Field = "",
    first_time: Optional = None,
    coc_version: Optional = None,
    csrf: Optional = None,
) -> Response:
    check_csrf(request, csrf)
    state = _state(request, slug)
    store: Store = request.app.state.store
    regs = registrations_of(request)
    event_id = regs.event_id(slug)
    try:
        link = store.links.redeem(token, browser=request.cookies.get(BROWSER_COOKIE))
    except LinkRefused as error:
        return _refused(error, slug)
    account = store.accounts.sign_up(link.address)
    previous = signed_in(request)
    if previous is not None:  # another person's session in this browser ends here
        store.accounts.end_session(previous.account.person_id, previous.session.id)
    secret = store.accounts.start_session(
        account.person_id, via="email", user_agent=request.headers.get("user-agent", "")
    )
    person = account.person_id
    try:
        answers = answers_from(
            state,
            role=role,
            teams=teams,
            onboarding=onboarding,
            time_zone=time_zone,
            first_time=first_time,
        )
        version = check_acceptance(True, coc_version, regs.settings(event_id).coc_version)
        done = regs.register(event_id, person, answers, coc_version=version)
        flash = Flash(state_reply(done.state, regs.place_in_line(event_id, person)))
    except PtgError as error:  # signed in all the same: the form says why, and resumes
        flash = Flash(f"You are signed in, but not registered yet: {error.message}", ok=False)
    response = RedirectResponse(register_path(slug), status_code=303)
    set_session_cookie(request, response, secret)
    set_flash(request, response, flash)
    return response
