"""What the pages of signed-in people share: who is signed in, and refusals as pages.

A page that needs a person sends a signed-out browser to sign in (``/signin?next=...``)
on GET; a POST from a signed-out browser gets a 401 page. A form posted here is answered
with a page, never with the API's JSON: its refusal (bad input 400, a missing CSRF token
or a role the person lacks 403, something not there 404, a conflict 409) is the page
again with the message, and nothing changed.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from ptghub.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, PtgError
from ptghub.web.form_pages import refusal_page
from ptghub.web.pages import PageError
from ptghub.web.session import SignedIn, signed_in

SIGN_IN = "/signin"
FORM_PAGE = "form-page"  # the body class of pages with forms (style.css)
_STATUS: tuple[tuple[type[PtgError], int], ...] = (
    (InvalidInput, 400),
    (PermissionDenied, 403),
    (NotFound, 404),
    (Conflict, 409),
)


def status_of(error: PtgError) -> int:
    """The HTTP status of a refusal shown on a page."""
    return next((code for kind, code in _STATUS if isinstance(error, kind)), 409)


def sign_in_first(request: Request) -> Response:
    """Send a signed-out browser to sign in, then back to this page."""
    return RedirectResponse(f"{SIGN_IN}?next={quote(request.url.path)}", status_code=303)


def person_or_401(request: Request) -> SignedIn:
    """The signed-in person a form needs; a 401 page for a signed-out browser."""
    person = signed_in(request)
    if person is None:
        raise PageError(401, "Sign in first", "Sign in to do this; nothing was changed.")
    return person


def error_page(error: PageError | PtgError, back_href: str, back_text: str) -> Response:
    """A refusal as an HTML page that says what to do next (never cached)."""
    if isinstance(error, PageError):
        status, title, message = error.status, error.title, error.message
    else:
        status, title, message = status_of(error), "That did not work", error.message
    return refusal_page(status, title, message, back_href=back_href, back_text=back_text)
