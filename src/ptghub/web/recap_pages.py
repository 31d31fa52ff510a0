"""A team's recap page: ``GET /events/{slug}/teams/{team}/recap``, public like team pages.

The recap (``history.recap``) is as of ``?at=`` (ISO 8601; without an offset, a time of
the zone the page is shown in), else the store's clock, and never after the end of the
event. ``?format=md`` answers the Markdown to mail as a download (``text/markdown``),
``?format=json`` the same content as JSON; both show times as the page does (the
viewer's zone, ``web.zones``) — the JSON's are UTC. An unknown team is a 404 page, a
malformed ``at`` or ``format`` a 400 page.

For a person who may change the team (its chairs, the organizers), each topic carries a
form recording its outcome: ``#TEAM outcome N TEXT``, posted to ``web.actions`` like the
team page's forms (CSRF, the reply shown once after the redirect back).

``recap_html`` renders the same body as a document of its own, for ``ptghub recap``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ptghub.core.errors import InvalidInput, NotFound
from ptghub.core.model import EventState, team_key
from ptghub.core.permissions import may_change_team
from ptghub.history.recap import TeamRecap, parse_at, recap_until, team_recap
from ptghub.history.recap_text import LINK_LABELS, duration, recap_json, recap_markdown
from ptghub.store.history import event_history
from ptghub.store.store import Store
from ptghub.web.chair_panel import back_of
from ptghub.web.flash import forget_flash, read_flash
from ptghub.web.pages import PageError, _page_context, html_errors, render_page
from ptghub.web.session import csrf_token, signed_in
from ptghub.web.templating import ENV, path_part

router = APIRouter(include_in_schema=False)

FORMATS = ("html", "md", "json")


@dataclass(frozen=True, slots=True)
class OutcomeForms:
    """What each topic's outcome form posts: where, the CSRF token, the page to come
    back to, the team's slug."""

    action: str
    csrf: str
    back: str
    team: str


def recap_html(recap: TeamRecap, zone: str) -> str:
    """The recap as an HTML document of its own (no scripts, no styles, no forms)."""
    return ENV.get_template("recap_document.html").render(
        recap=recap, zone=zone, duration=duration, link_labels=LINK_LABELS
    )


@router.get("/events/{slug}/teams/{team}/recap", response_class=HTMLResponse)
@html_errors
def recap_page(
    request: Request,
    slug: str,
    team: str,
    tz: str | None = None,
    at: str | None = None,
    format: str = "html",
) -> Response:
    if format not in FORMATS:
        raise InvalidInput(f"Unknown format '{format[:20]}'; use one of {', '.join(FORMATS)}.")
    ctx = _page_context(request, slug, tz, "team", live=False)
    state: EventState = ctx["state"]
    assert state.info is not None
    zone: str = ctx["zone"]
    store: Store = request.app.state.store
    moment = parse_at(at, ZoneInfo(zone)) if at else None
    timeline = event_history(store, state.info.slug, recap_until(state, ctx["at"], moment))
    try:
        recap = team_recap(timeline, state, team)
    except NotFound:
        raise PageError(404, "Team not found", f"There is no team '{team}' at {slug}.") from None
    if format == "md":
        name = f"{state.info.slug}-{recap.team_slug}-recap.md"
        return Response(
            recap_markdown(recap, ZoneInfo(zone)),
            media_type="text/markdown; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    if format == "json":
        return JSONResponse(recap_json(recap))
    team_href = f"{ctx['event_path']}/teams/{path_part(recap.team_slug)}"
    keep = {"at": at} if at else {}
    response = render_page(
        "recap.html",
        **ctx,
        title=f"Recap: {recap.team_name}",
        recap=recap,
        flash=read_flash(request),
        forms=_forms(request, state, recap.team_slug),
        team_href=team_href,
        markdown_href=f"{team_href}/recap?{urlencode({'format': 'md', **keep})}",
        json_href=f"{team_href}/recap?{urlencode({'format': 'json', **keep})}",
        at_text=at or "",
        at_example=_example(recap.until, zone),
        duration=duration,
        link_labels=LINK_LABELS,
    )
    forget_flash(request, response)
    return response


def _forms(request: Request, state: EventState, team: str) -> OutcomeForms | None:
    """The outcome forms' data, for a signed-in person who may change the team (and who
    sees it in the current state: a team removed since has no commands left)."""
    signed = signed_in(request)
    if signed is None or team_key(team) not in state.teams:
        return None
    assert state.info is not None
    store: Store = request.app.state.store
    actor = store.people.with_aliases(signed.actor())
    if not may_change_team(state, actor, team_key(team)):
        return None
    return OutcomeForms(
        action=f"/events/{path_part(state.info.slug)}/commands",
        csrf=csrf_token(request),
        back=back_of(request),
        team=team,
    )


def _example(until: datetime, zone: str) -> str:
    """The recap's own moment as one types it in the form: 2022-04-05T15:00."""
    return f"{until.astimezone(ZoneInfo(zone)):%Y-%m-%dT%H:%M}"
