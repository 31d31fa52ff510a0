"""What every organizers' page and form shares: who may see them, how a form answers.

The pages under ``/events/{slug}/organize`` are for the event's organizers, signed in on
this browser (``web.session``): anyone else gets a page saying why, 401 with a link to
sign in when nobody is signed in, 403 for a person who does not organize the event (their
roles count under every nick of theirs: ``Store.preview`` gives the actor its aliases).

A form posts to the page's own address plus an action. ``act`` runs it: signed in (else
401), the CSRF token right and the request from this site (else 403,
``web.session.check_csrf``), then the action itself, which goes through the one write path
(``Store.run`` for the command language, ``Store.change`` for the builders of
``commands.organize``) as the person's web nick with front end ``web``, so that the audit
log names them and the store checks their permission exactly as for the bots. Its answer:

- to a page's script (``Accept: application/json``): ``{"reply", "changed", "audit_id"}``,
  or ``{"error"}`` with the status of the refusal (403, 400, 404, 409);
- to a form posted without JavaScript: ``303 See Other`` back to the page, the reply (or
  the refusal of an organizer's bad input) shown there once (``web.flash``); a refusal of
  permission is a 403 page, like the pages' own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec
from urllib.parse import quote

import anyio.to_thread
from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import ImmutableMultiDict

from ptghub.core.errors import NotFound, PtgError
from ptghub.core.model import Actor
from ptghub.core.permissions import is_organizer
from ptghub.store.results import Result
from ptghub.store.store import Store
from ptghub.web.flash import Flash, forget_flash, read_flash, set_flash
from ptghub.web.pages import PageError, render_page
from ptghub.web.session import SignedIn, check_csrf, csrf_token, signed_in
from ptghub.web.statuses import status_for

# Where a person signs in (the sign-in page, web.signin_pages); ``next`` brings them back.
SIGN_IN = "/signin"


class SignInNeeded(PageError):
    """Nobody is signed in on this browser: 401, with a link to sign in and come back."""

    def __init__(self, request: Request) -> None:
        super().__init__(
            401,
            "Sign in to organize",
            "The organizers' pages are for the event's organizers: sign in first.",
        )
        self.next = request.url.path


def sign_in_href(next_path: str) -> str:
    return f"{SIGN_IN}?next={quote(next_path, safe='/')}"


@dataclass(frozen=True, slots=True)
class Organizer:
    """A signed-in organizer of the event, on one of its pages."""

    signed: SignedIn
    actor: Actor  # the web nick, front end "web": what the store audits


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def require_organizer_page(request: Request, slug: str) -> Organizer:
    """The signed-in organizer looking at an organizers' page of ``slug``, else a PageError
    (401 nobody signed in, 403 not an organizer of this event, 404 no such event)."""
    signed = signed_in(request)
    if signed is None:
        raise SignInNeeded(request)
    store = _store(request)
    actor = signed.actor()
    try:
        allowed = store.preview(is_organizer, actor, event=slug)
    except NotFound:
        raise PageError(404, "Event not found", f"There is no event '{slug}'.") from None
    if not allowed:
        raise PageError(
            403,
            "Organizers only",
            f"The organizers' pages of {slug} are for its organizers; "
            f"{signed.account.display_name} ({actor.nick}) is not one. An organizer can "
            "grant you the role from the event's people page.",
        )
    return Organizer(signed, actor)


def _error_page(request: Request, failure: PageError) -> Response:
    if wants_json(request):  # a page's script: the API's shape of a refusal
        return JSONResponse(
            {"error": failure.message}, status_code=failure.status, headers=failure.headers
        )
    if isinstance(failure, SignInNeeded):
        back_href, back_text = sign_in_href(failure.next), "Sign in"
    else:
        back_href, back_text = "/events/", "See the list of events"
    response = render_page(
        "error.html",
        failure.status,
        title=failure.title,
        message=failure.message,
        back_href=back_href,
        back_text=back_text,
    )
    response.headers.update(failure.headers)
    return response


P = ParamSpec("P")


def organizer_errors(handler: Callable[P, Response]) -> Callable[P, Response]:
    """Render a PageError of an organizers' page as an HTML page (the sign-in link for a
    401); a PtgError as the page of its status; ``{"error"}`` for a script asking JSON."""

    @functools.wraps(handler)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
        request = next(a for a in [*args, *kwargs.values()] if isinstance(a, Request))
        try:
            return handler(*args, **kwargs)
        except PageError as error:
            return _error_page(request, error)
        except PtgError as error:
            return _error_page(request, PageError(_status(error), "Refused", error.message))

    return wrapper


def page_extras(request: Request, organizer: Organizer) -> dict[str, Any]:
    """What every organizers' page shows besides its own: the reply of the form posted
    last (once), the CSRF token of its forms, who is signed in."""
    return {
        "flash": read_flash(request),
        "csrf": csrf_token(request),
        "signed": organizer.signed,
        "organize": True,  # base.html: the organizers' stylesheet and script
    }


def shown(request: Request, response: Response) -> Response:
    """``response`` of a page that showed the waiting reply: the reply is not shown again."""
    forget_flash(request, response)
    return response


def _status(error: PtgError) -> int:
    return status_for(error)


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _refusal(request: Request, back: str, status: int, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    if status == 401:
        needed = SignInNeeded(request)
        needed.next = back  # after signing in, the page the form was on
        return _error_page(request, needed)
    if status in (403, 404):  # not theirs to do, or nothing there: a page saying so
        return _error_page(request, PageError(status, "Refused", message))
    # An organizer's bad input: back to the page, which says what was wrong.
    response = RedirectResponse(back, status_code=303)
    set_flash(request, response, Flash(message, ok=False))
    return response


# A form's fields, text only (a file posted in their place is ignored): ``.get(name, "")``,
# ``.getlist(name)`` for a field given several times (the rooms ticked in a slot's row).
Fields = ImmutableMultiDict[str, str]
FormAction = Callable[[Actor, Fields], Result]


async def act(request: Request, back: str | Callable[[], str], action: FormAction) -> Response:
    """Run a form's ``action(actor, fields)`` for the person signed in, and answer.

    ``action`` returns the store's Result and raises a PtgError to refuse; ``back`` is the
    page to return to (or a function saying it once the action has run). It runs in a
    worker thread, as the sync endpoints do: the store blocks, and running the planner
    takes seconds.
    """
    form = await request.form()
    fields = Fields([(k, v) for k, v in form.multi_items() if isinstance(v, str)])
    answer: Response = await anyio.to_thread.run_sync(_answer, request, back, action, fields)
    return answer


def _answer(
    request: Request, to: str | Callable[[], str], action: FormAction, fields: Fields
) -> Response:
    def back() -> str:
        return to if isinstance(to, str) else to()

    signed = signed_in(request)
    if signed is None:
        return _refusal(request, back(), 401, "Sign in first: these forms are for organizers.")
    try:
        check_csrf(request, fields.get("csrf"))
        result = action(signed.actor(), fields)
    except PtgError as error:
        return _refusal(request, back(), _status(error), error.message)
    if wants_json(request):
        return JSONResponse(
            {
                "reply": result.reply,
                "changed": result.audit_id is not None,
                "audit_id": result.audit_id,
            }
        )
    response = RedirectResponse(back(), status_code=303)
    set_flash(request, response, Flash(result.reply))
    return response
