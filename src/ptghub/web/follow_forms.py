"""The forms of "My PTG": follow and unfollow a team (from the board and the team pages),
add and remove topic patterns, the time zone, the notification channels, the personal
calendar feed. Each changes only the signed-in person's own rows
(``store.attendees.follows``), never the event, so nothing here is audited.

Like the board's command forms (``web.actions``): nobody signed in gets 401 (with where to
sign in), a form without this browser's CSRF token or from another site 403, a person
past the pages' write rate (``PTGHUB_WEB_WRITES_PER_TOKEN``) 429; nothing changes then.
Bad input (an unknown team, a pattern RE2 refuses, an unknown zone) is a 400 or 404 that
says what was wrong. Without JavaScript a form is answered ``303 See Other`` back to its
page (``back``, a path of this site) with the reply shown once (``web.flash``); the
page's JavaScript (``static/follow.js``) asks for JSON and gets ``{"reply"}`` or
``{"error"}``. Following and unfollowing are idempotent: a second press says so and
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ptghub.core.errors import PtgError
from ptghub.core.model import team_key
from ptghub.core.ratelimit import retry_after_seconds, too_many
from ptghub.core.validate import shorten
from ptghub.store.follows import Follows
from ptghub.store.store import Store
from ptghub.web.actions import safe_back, wants_json
from ptghub.web.chair_panel import sign_in_href
from ptghub.web.flash import Flash, set_flash
from ptghub.web.form_pages import FORM_PAGE, refusal_page
from ptghub.web.pages import render_page
from ptghub.web.session import CsrfRefused, SignedIn, check_csrf, signed_in
from ptghub.web.signin_pages import site_url
from ptghub.web.statuses import status_for
from ptghub.web.templating import path_part

router = APIRouter(include_in_schema=False)

Field = Annotated[str, Form()]
NOT_SIGNED_IN = "Only a person who is signed in can follow teams and topics; sign in first."
_TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    429: "Too many changes",
}


def my_path(slug: str) -> str:
    return f"/events/{path_part(slug)}/my"


def _refusal(
    request: Request, status: int, message: str, back: str, sign_in: str | None = None
) -> Response:
    """The refusal as JSON for the page's JavaScript, else as an error page."""
    if wants_json(request):
        body = {"error": message} | ({"sign_in": sign_in} if sign_in else {})
        return JSONResponse(body, status_code=status)
    return refusal_page(
        status,
        _TITLES.get(status, "That did not work"),
        message,
        back_href=sign_in or back,
        back_text="Sign in" if sign_in else "Back to the page",
    )


def _person(request: Request, csrf: str, back: str) -> SignedIn | Response:
    """The signed-in person posting with this browser's token, within the write rate;
    else the refusal to answer (see the module's docstring)."""
    signed = signed_in(request)
    if signed is None:
        return _refusal(request, 401, NOT_SIGNED_IN, back, sign_in_href(back))
    try:
        check_csrf(request, csrf or None)
    except CsrfRefused as error:
        return _refusal(request, 403, error.message, back)
    wait = request.app.state.tallies.writes.hit(f"person:{signed.account.person_id}")
    if wait > 0:
        refused = _refusal(request, 429, too_many("changes from your account", wait), back)
        refused.headers["Retry-After"] = str(retry_after_seconds(wait))
        return refused
    return signed


def _back(slug: str, back: str) -> str:
    """``back`` when it is a path of this site, else the person's My PTG page."""
    return back if back and safe_back(back, slug) == back else my_path(slug)


def _act(
    request: Request, slug: str, csrf: str, back: str, change: Callable[[Follows, int], str]
) -> Response:
    """Run ``change`` (given the person's id; it returns the reply) as the signed-in
    person, and answer as the module's docstring says."""
    back = _back(slug, back)
    signed = _person(request, csrf, back)
    if isinstance(signed, Response):
        return signed
    try:
        reply = change(_follows(request), signed.account.person_id)
    except PtgError as error:
        return _refusal(request, status_for(error), error.message, back)
    if wants_json(request):
        return JSONResponse({"reply": reply})
    response = RedirectResponse(back, status_code=303)
    set_flash(request, response, Flash(reply))
    return response


def _follows(request: Request) -> Follows:
    store: Store = request.app.state.store
    return store.attendees.follows


def _team_name(request: Request, slug: str, team: str) -> str:
    store: Store = request.app.state.store
    found = store.state(slug).teams.get(team_key(team))
    return found.name if found else shorten(team, 60)


@router.post("/events/{slug}/follow", response_class=Response)
def follow(
    request: Request, slug: str, team: Field = "", csrf: Field = "", back: Field = ""
) -> Response:
    def change(follows: Follows, person: int) -> str:
        new = follows.follow_team(person, slug, team)
        name = _team_name(request, slug, team)
        if not new:
            return f"You already follow {name}."
        return f"You follow {name} now: its sessions are on My PTG."

    return _act(request, slug, csrf, back, change)


@router.post("/events/{slug}/unfollow", response_class=Response)
def unfollow(
    request: Request, slug: str, team: Field = "", csrf: Field = "", back: Field = ""
) -> Response:
    def change(follows: Follows, person: int) -> str:
        done = follows.unfollow_team(person, slug, team)
        name = _team_name(request, slug, team)
        return f"You no longer follow {name}." if done else f"You did not follow {name}."

    return _act(request, slug, csrf, back, change)


@router.post("/events/{slug}/my/patterns", response_class=Response)
def add_pattern(
    request: Request, slug: str, pattern: Field = "", csrf: Field = "", back: Field = ""
) -> Response:
    def change(follows: Follows, person: int) -> str:
        new = follows.add_pattern(person, slug, pattern)
        shown = pattern.strip()
        return f"You follow the pattern {shown} now." if new else f"You already follow {shown}."

    return _act(request, slug, csrf, back, change)


@router.post("/events/{slug}/my/patterns/remove", response_class=Response)
def remove_pattern(
    request: Request, slug: str, pattern: Field = "", csrf: Field = "", back: Field = ""
) -> Response:
    def change(follows: Follows, person: int) -> str:
        done = follows.remove_pattern(person, slug, pattern)
        shown = shorten(pattern.strip(), 200)
        return f"You no longer follow {shown}." if done else f"You did not follow {shown}."

    return _act(request, slug, csrf, back, change)


@router.post("/events/{slug}/my/zone", response_class=Response)
def set_zone(
    request: Request, slug: str, time_zone: Field = "", csrf: Field = "", back: Field = ""
) -> Response:
    def change(follows: Follows, person: int) -> str:
        settings = follows.settings.set_time_zone(person, time_zone)
        if settings.time_zone is None:
            return "My PTG shows times in the event's time zone."
        return f"My PTG shows times in {settings.time_zone}."

    return _act(request, slug, csrf, back, change)


@router.post("/events/{slug}/my/channels", response_class=Response)
def set_channels(
    request: Request,
    slug: str,
    chat: Field = "",
    email: Field = "",
    browser: Field = "",
    csrf: Field = "",
    back: Field = "",
) -> Response:
    chosen = {name for name, on in (("chat", chat), ("email", email), ("browser", browser)) if on}

    def change(follows: Follows, person: int) -> str:
        settings = follows.settings.set_channels(person, chosen)
        if not settings.channels:
            return "You will not be told when what you follow goes now or next."
        return f"You will be told by {' and '.join(settings.channels)}."

    return _act(request, slug, csrf, back, change)


@router.post("/events/{slug}/my/calendar", response_class=Response)
def make_feed(request: Request, slug: str, csrf: Field = "", back: Field = "") -> Response:
    """A new feed address, shown once on the answer page (never again); the person's
    previous feed of the event stops working."""
    back = _back(slug, back)
    signed = _person(request, csrf, back)
    if isinstance(signed, Response):
        return signed
    try:
        secret = _follows(request).feeds.create(signed.account.person_id, slug)
    except PtgError as error:
        return _refusal(request, status_for(error), error.message, back)
    url = site_url(request) + f"{my_path(slug)}/{secret}.ics"  # PTGHUB_PUBLIC_URL when set
    if wants_json(request):
        return JSONResponse({"reply": "Your calendar feed is made.", "url": url})
    response = render_page(
        "feed_created.html",
        title="Your calendar feed",
        body_class=FORM_PAGE,
        url=url,
        webcal="webcal://" + url.split("://", 1)[1],
        my_href=my_path(slug),
    )
    response.headers["Cache-Control"] = "no-store"  # the secret is shown this once
    return response


@router.post("/events/{slug}/my/calendar/revoke", response_class=Response)
def revoke_feed(request: Request, slug: str, csrf: Field = "", back: Field = "") -> Response:
    def change(follows: Follows, person: int) -> str:
        if follows.feeds.revoke(person, slug):
            return "Your calendar feed is revoked: its address no longer works."
        return "You have no calendar feed to revoke."

    return _act(request, slug, csrf, back, change)
