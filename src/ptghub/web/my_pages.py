"""A signed-in person's "My PTG" page at an event, and their personal calendar feed.

``GET /events/SLUG/my``: the followed teams' sessions, what they discuss now and next,
their clashes (``web.my_ptg``), the topic patterns followed and what they match now, and
the forms of ``web.follow_forms`` (teams, patterns, time zone, notification channels,
calendar feed). Times are in ``?tz=`` when given, else the person's own zone
(``person_settings``), else the event's. A signed-out browser is sent to sign in and
comes back.

``GET /events/SLUG/my/SECRET.ics``: the feed, built like the team feeds (``exports.ics``)
from the teams the feed's owner follows now; a revoked or unknown secret is a 404. Its
ETag names the event's version and the teams followed, so following another team is a
new answer, not a 304.
"""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ptghub import __version__
from ptghub.core.errors import NotFound
from ptghub.core.model import EventState
from ptghub.exports import ics
from ptghub.store.store import Store
from ptghub.web import follow_forms
from ptghub.web.export_routes import ICS, ICS_TYPE, etag_matches, revisions_of
from ptghub.web.flash import forget_flash, read_flash
from ptghub.web.follow_box import follow_box
from ptghub.web.form_pages import FORM_PAGE
from ptghub.web.me_pages import no_store, sign_in_first
from ptghub.web.my_ptg import my_view
from ptghub.web.pages import _page_context, html_errors, render_page
from ptghub.web.session import signed_in

router = APIRouter(include_in_schema=False)
router.include_router(follow_forms.router)  # the page's forms: one router for the app


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


@router.get("/events/{slug}/my", response_class=HTMLResponse)
@html_errors
def my_page(request: Request, slug: str, tz: str | None = None) -> Response:
    found = signed_in(request)
    if found is None:
        return sign_in_first(request)
    person = found.account.person_id
    ctx = _page_context(request, slug, tz, "my", live=False)
    state: EventState = ctx["state"]
    assert state.info is not None
    follows = _store(request).attendees.follows
    settings = follows.settings.of(person)
    if tz is None:  # the person's own zone beats a zone another page left in the cookie
        ctx["zone"] = settings.time_zone or state.info.timezone
    followed = follows.of(person, state.info.slug)
    response = no_store(
        render_page(
            "my.html",
            **ctx,
            title="My PTG",
            body_class=FORM_PAGE + " my-ptg",
            flash=read_flash(request),
            view=my_view(state, ctx["at"], ctx["zone"], followed.teams, followed.patterns),
            box=follow_box(request, state),
            settings=settings,
            feed=follows.feeds.active(person, state.info.slug),
        )
    )
    forget_flash(request, response)
    return response


@router.get("/events/{slug}/my/{secret}.ics", response_class=Response, responses=ICS)
def my_calendar(request: Request, slug: str, secret: str) -> Response:
    """A person's own feed: the sessions of the teams they follow."""
    store = _store(request)
    follows = store.attendees.follows
    owner = follows.feeds.owner(slug, secret)
    if owner is None:
        raise NotFound(
            "There is no such calendar feed: its address is wrong, or it was revoked. "
            "Make a new one on your My PTG page."
        )
    teams = sorted(follows.of(owner, slug).teams)
    version, state = store.versioned_state(slug)
    assert state.info is not None
    followed = hashlib.sha256("\n".join(teams).encode()).hexdigest()[:16]
    etag = f'"{state.info.slug}-{version}-{__version__}-{followed}"'
    # A secret address: no shared cache may keep a copy.
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    body = ics.teams_calendar(
        state,
        teams,
        f"{state.info.name}: My PTG",
        revisions_of(request, state.info.slug),
        generated=store.clock(),
    )
    headers["Content-Disposition"] = 'inline; filename="my-ptg.ics"'
    return Response(body, media_type=ICS_TYPE, headers=headers)
