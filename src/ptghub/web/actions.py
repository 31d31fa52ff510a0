"""Commands from the web pages: one route, the command language, the bot's replies.

``POST /events/{slug}/commands`` runs one command as the person signed in on this
browser (``web.session``; the store adds the roles of all their nicks), through
``Store.run`` like every other front end, written in the audit log with front end
``web``. The form gives either ``text`` (a line of the command language, exactly as one
sends it to the bot in private) or a ``verb`` with its fields (``web.command_forms``),
and the reply or refusal is the bot's own text.

In order: nobody signed in gets 401 (with where to sign in), a request without this
browser's CSRF token or from another site 403 (``check_csrf``), nothing changed either
way; a person past the write rate of a token (``PTGHUB_WEB_WRITES_PER_TOKEN``) 429 with
``Retry-After``. Then:

- a page's form posted without JavaScript is answered ``303 See Other`` back to the
  page it came from (``back``: a path of this site; anything else goes to the board),
  with the reply kept in the signed flash cookie (``web.flash``) that the page shows
  once; never in the address. A refusal is an error page with the status below and the
  bot's message, linking back.
- JavaScript asks for JSON (``Accept: application/json``, or the token in the
  ``X-CSRF-Token`` header): ``{"command", "reply",
  "changed"}``, or ``{"error"}`` with the status of ``web.statuses`` (400 bad input, 403
  not allowed, 404 unknown, 409 the state forbids it). Every viewer sees the change on
  the live stream anyway.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ptghub.core.errors import InvalidInput, PtgError
from ptghub.core.ratelimit import retry_after_seconds, too_many
from ptghub.store.store import Store
from ptghub.web.chair_panel import sign_in_href
from ptghub.web.command_forms import CommandForm, command_text
from ptghub.web.flash import Flash, set_flash
from ptghub.web.pages import render_page
from ptghub.web.session import CSRF_HEADER, CsrfRefused, check_csrf, signed_in
from ptghub.web.statuses import status_for
from ptghub.web.templating import path_part

router = APIRouter(include_in_schema=False)

NOT_SIGNED_IN = "Only a person who is signed in can change the event; sign in first."
MAX_BACK = 2000
_TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    429: "Too many changes",
}

# No length limit here: the guard limits the body (max_command_body), and each field's
# check says how long it may be, in the words of the command.
Field = Annotated[str, Form()]


def wants_json(request: Request) -> bool:
    """Whether the page's JavaScript sent the request: it asks for JSON, or sends the
    token in a header (a form cannot)."""
    headers = request.headers
    return "application/json" in headers.get("accept", "") or CSRF_HEADER in headers


def safe_back(back: str, slug: str) -> str:
    """``back`` when it is a path of this site; else the event's board. A path only: an
    address of another site (``//evil.example``, ``https://...``, ``/\\evil``) could turn
    the redirect into a way off the site."""
    fine = (
        back.startswith("/")
        and not back.startswith(("//", "/\\"))
        and len(back) <= MAX_BACK
        and back.isprintable()
        and not any(c.isspace() or c == "\\" for c in back)
    )
    return back if fine else f"/events/{path_part(slug)}/board"


@router.post("/events/{slug}/commands", response_class=Response)
def run_from_page(
    request: Request,
    slug: str,
    csrf: Field = "",
    back: Field = "",
    text: Field = "",
    verb: Field = "",
    team: Field = "",
    topic: Field = "",
    location: Field = "",
    url: Field = "",
    color: Field = "",
    cell: Field = "",
    number: Field = "",
    outcome: Field = "",
) -> Response:
    """Run a page's form as the signed-in person (see the module's docstring)."""
    back = safe_back(back, slug)
    signed = signed_in(request)
    if signed is None:
        return _refusal(request, 401, NOT_SIGNED_IN, back, sign_in=sign_in_href(back))
    try:
        check_csrf(request, csrf or None)
    except CsrfRefused as error:
        return _refusal(request, 403, error.message, back)
    # A person's writes from the pages are limited like a token's (PTGHUB_WEB_WRITES_PER_TOKEN).
    wait = request.app.state.tallies.writes.hit(f"person:{signed.account.person_id}")
    if wait > 0:
        refused = _refusal(request, 429, too_many("changes from your account", wait), back)
        refused.headers["Retry-After"] = str(retry_after_seconds(wait))
        return refused
    store: Store = request.app.state.store
    form = CommandForm(text, verb, team, topic, location, url, color, cell, number, outcome)
    try:
        line = command_text(form)
        result = store.run(line, signed.actor(), event=slug, private=True)
        if result is None:  # private text is always a command; kept for the type's sake
            raise InvalidInput("Empty command. Send 'help' for the list of commands.")
    except PtgError as error:
        return _refusal(request, status_for(error), error.message, back)
    changed = result.audit_id is not None
    if wants_json(request):
        return JSONResponse({"command": line, "reply": result.reply, "changed": changed})
    response = RedirectResponse(back, status_code=303)
    set_flash(request, response, Flash(result.reply))
    return response


def _refusal(
    request: Request, status: int, message: str, back: str, *, sign_in: str | None = None
) -> Response:
    """The refusal as JSON for the page's JavaScript, else as an error page."""
    if wants_json(request):
        body = {"error": message} | ({"sign_in": sign_in} if sign_in else {})
        return JSONResponse(body, status_code=status)
    return render_page(
        "error.html",
        status,
        title=_TITLES.get(status, "Refused"),
        message=message,
        back_href=sign_in or back,
        back_text="Sign in" if sign_in else "Back to the page",
    )
