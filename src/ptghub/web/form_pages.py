"""What the pages' forms share: refusals as HTML pages, and where to go afterwards.

A POST from a page is answered with a page, never with the API's JSON: bad input is a 400
page saying what was wrong, a form without its CSRF token or from another site a 403 page,
a form that needs a signed-in person, posted by nobody, a 401 page leading to the sign-in
page, something that is not there a 404, a conflict a 409, a rate limit a 429 page with
``Retry-After``. Each says what to do next and changes nothing.

``safe_next`` keeps a "come back here afterwards" address to this site's own pages: an
address that leads elsewhere (``https://...``, ``//host``, ``/\\host``) is refused rather
than followed, so no link of this site can send a person to another one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec
from urllib.parse import urlencode, urlsplit

from fastapi.responses import Response

from ptghub.core.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    PtgError,
    RateLimited,
)
from ptghub.core.ratelimit import retry_after_seconds
from ptghub.core.validate import shorten
from ptghub.web.pages import PageError, render_page

P = ParamSpec("P")
FORM_PAGE = "form-page"  # the body class of pages with forms (style.css)


class SignInNeeded(PermissionDenied):
    """A form only a signed-in person may post, posted by a browser that is not (401)."""

    def __init__(self) -> None:
        super().__init__(
            "You are not signed in (or your session has ended), so nothing was changed; "
            "sign in and try again."
        )


_REFUSALS: tuple[tuple[type[PtgError], int, str], ...] = (
    (SignInNeeded, 401, "Sign in first"),
    (RateLimited, 429, "Too many requests"),
    (InvalidInput, 400, "That did not work"),
    (PermissionDenied, 403, "Refused"),
    (NotFound, 404, "Not found"),
    (Conflict, 409, "That did not work"),
)


def refusal_page(
    status: int,
    title: str,
    message: str,
    *,
    back_href: str = "/events/",
    back_text: str = "See the list of events",
    headers: dict[str, str] | None = None,
) -> Response:
    response = render_page(
        "error.html",
        status,
        title=title,
        message=message,
        back_href=back_href,
        back_text=back_text,
    )
    response.headers.update(headers or {})
    response.headers["Cache-Control"] = "no-store"
    return response


def page_refusals(
    back_href: str = "/events/", back_text: str = "See the list of events"
) -> Callable[[Callable[P, Response]], Callable[P, Response]]:
    """Turn the refusals of a form's handler into HTML pages (see the module's text)."""

    def decorate(handler: Callable[P, Response]) -> Callable[P, Response]:
        @functools.wraps(handler)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
            try:
                return handler(*args, **kwargs)
            except PageError as error:
                return refusal_page(
                    error.status,
                    error.title,
                    error.message,
                    back_href=back_href,
                    back_text=back_text,
                    headers=error.headers,
                )
            except PtgError as error:
                status, title = next(
                    ((code, name) for kind, code, name in _REFUSALS if isinstance(error, kind)),
                    (409, "That did not work"),  # any other refusal: the state forbids it
                )
                headers = {}
                back = (back_href, back_text)
                if isinstance(error, RateLimited):
                    headers["Retry-After"] = str(retry_after_seconds(error.retry_after))
                if isinstance(error, SignInNeeded):
                    back = (f"/signin?{urlencode({'next': back_href})}", "Sign in")
                return refusal_page(
                    status,
                    title,
                    error.message,
                    back_href=back[0],
                    back_text=back[1],
                    headers=headers,
                )

        return wrapper

    return decorate


def safe_next(value: str | None, default: str) -> str:
    """A same-site path to go to afterwards: ``value`` when it is one, ``default`` when
    there is none; InvalidInput for an address that would leave the site."""
    if not value:
        return default
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if (
        parts is None
        or not value.startswith("/")
        or value.startswith(("//", "/\\"))
        or "\\" in value
        or parts.scheme
        or parts.netloc
        or not value.isprintable()
        or len(value) > 2000
    ):
        raise InvalidInput(
            f"'{shorten(value, 80)}' is not a page of this site; after signing in you can only "
            "be sent to a page here (an address starting with a single /)."
        )
    return value
