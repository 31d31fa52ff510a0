"""The personal page, ``/me``: my name, my addresses, my chat identities, my API tokens,
my sessions; and the forms that change my name and end sessions. (Addresses and tokens
are changed in ``me_forms``.)

Only a signed-in person sees it: anyone else is sent to the sign-in page, coming back
here afterwards; a form posted without a session is refused (401) and changes nothing.
Every form carries the CSRF token and is checked (``session.check_csrf``). A form's
result is shown after a redirect (``?done=CODE``, one of ``NOTICES``), so a reload
repeats nothing.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ptghub.core.errors import NotFound
from ptghub.store.store import Store
from ptghub.web.form_pages import FORM_PAGE, SignInNeeded, page_refusals
from ptghub.web.pages import render_page
from ptghub.web.session import (
    SignedIn,
    check_csrf,
    clear_session_cookie,
    csrf_token,
    signed_in,
)

router = APIRouter(include_in_schema=False)

ME = "/me"
CHAT = "/me/chat"  # linking a chat identity: the "chat link" pages
NOTICES = {
    "name": "Your name is saved.",
    "address-added": "The address is added: you can sign in with it too.",
    "address-removed": "The address is removed.",
    "token-revoked": "The token is revoked: it no longer works.",
    "session-ended": "The session is ended: that browser is signed out.",
}

Field = Annotated[str, Form()]
Optional = Annotated[str | None, Form()]


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def me_or_refuse(request: Request, csrf: str | None) -> SignedIn:
    """The signed-in person posting a personal form with its CSRF token; refused for
    anyone else (401 without a session, 403 without the token)."""
    found = signed_in(request)
    if found is None:
        raise SignInNeeded()
    check_csrf(request, csrf)
    return found


def sign_in_first(request: Request) -> Response:
    """To the sign-in page, coming back to this page (with its query) afterwards."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse("/signin?" + urlencode({"next": here}), status_code=303)


def done(code: str) -> Response:
    return RedirectResponse(f"{ME}?done={code}", status_code=303)


def no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"  # a person's own data, and form tokens
    return response


@router.get(ME)
@page_refusals(ME, "Back to your page")
def me_page(request: Request, done: str | None = None) -> Response:
    found = signed_in(request)
    if found is None:
        return sign_in_first(request)
    store = store_of(request)
    person = found.account.person_id
    account = store.accounts.account(person)
    return no_store(
        render_page(
            "me.html",
            title="Your account",
            body_class=FORM_PAGE,
            account=account,
            notice=NOTICES.get(done or ""),
            csrf=csrf_token(request),
            nicks=store.profiles.nicks(person),
            tokens=store.profiles.tokens_of(person),
            sessions=store.accounts.sessions(person),
            this_session=found.session.id,
            chat_href=CHAT,
            now=store.clock(),
        )
    )


@router.post(f"{ME}/name")
@page_refusals(ME, "Back to your page")
def me_rename(
    request: Request, name: Annotated[str, Form()] = "", csrf: Optional = None
) -> Response:
    found = me_or_refuse(request, csrf)
    store_of(request).profiles.rename(found.account.person_id, name)
    return done("name")


@router.post(f"{ME}/sessions/{{session_id:int}}/end")
@page_refusals(ME, "Back to your page")
def end_session(request: Request, session_id: int, csrf: Optional = None) -> Response:
    found = me_or_refuse(request, csrf)
    person = found.account.person_id
    if not store_of(request).accounts.end_session(person, session_id):
        raise NotFound(f"You have no open session #{session_id}: it has ended already.")
    if session_id == found.session.id:  # this browser's own: it is signed out now
        response = RedirectResponse("/events/", status_code=303)
        clear_session_cookie(request, response)
        return response
    return done("session-ended")


@router.post(f"{ME}/sessions/signout-everywhere")
@page_refusals(ME, "Back to your page")
def sign_out_everywhere(request: Request, csrf: Optional = None) -> Response:
    found = me_or_refuse(request, csrf)
    store_of(request).accounts.end_sessions(found.account.person_id)
    response = RedirectResponse("/signin?signed_out=everywhere", status_code=303)
    clear_session_cookie(request, response)
    return response
