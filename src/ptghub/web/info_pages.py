"""The event's information pages, each at its own address, and its calendar feeds.

``/events/SLUG/about``, ``/who-should-attend``, ``/who-should-not-attend``, ``/faq``,
``/code-of-conduct`` and ``/ptg-vs-forum`` show the event file's ``pages`` (a page the
file leaves out is a 404 saying which pages the event has); ``/socials`` lists the
socials; ``/calendars`` lists every feed: the whole event's, each team's and each
room's. The event's home links them all from its table of contents (``web.contents``).
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ptghub.core.model import EventInfo, EventState
from ptghub.web.calendars import room_feed, team_feed
from ptghub.web.contents import PAGE_HEADINGS, address, contents
from ptghub.web.pages import PageError, _page_context, html_errors, render_page
from ptghub.web.templating import path_part

router = APIRouter(include_in_schema=False)


def _info_page(name: str, heading: str) -> Callable[..., Response]:
    def page(request: Request, slug: str, tz: str | None = None) -> Response:
        ctx = _page_context(request, slug, tz, "info", live=False)
        info: EventInfo = ctx["info"]
        if not info.page(name).strip():
            have = [h for n, h in PAGE_HEADINGS.items() if info.page(n).strip()]
            raise PageError(
                404,
                "Page not found",
                f"{info.name} has no page '{heading}'; "
                f"it has {', '.join(have) or 'no information pages'}.",
            )
        return render_page(
            "info_page.html",
            **ctx,
            title=heading,
            heading=heading,
            page_name=name,
            contents=contents(info, ctx["event_path"], address(name)),
        )

    page.__name__ = f"{name}_page"
    return html_errors(page)


for _name, _heading in PAGE_HEADINGS.items():
    router.add_api_route(
        f"/events/{{slug}}/{address(_name)}",
        _info_page(_name, _heading),
        methods=["GET"],
        response_class=HTMLResponse,
    )


@router.get("/events/{slug}/socials", response_class=HTMLResponse)
@html_errors
def socials_page(request: Request, slug: str, tz: str | None = None) -> Response:
    ctx = _page_context(request, slug, tz, "info", live=False)
    return render_page(
        "socials.html",
        **ctx,
        title="Socials",
        contents=contents(ctx["info"], ctx["event_path"], "socials"),
    )


@router.get("/events/{slug}/calendars", response_class=HTMLResponse)
@html_errors
def calendars_page(request: Request, slug: str, tz: str | None = None) -> Response:
    ctx = _page_context(request, slug, tz, "info", live=False)
    state: EventState = ctx["state"]
    assert state.info is not None
    path, event = ctx["event_path"], state.info.slug
    teams = sorted(state.teams.values(), key=lambda t: t.name.casefold())
    return render_page(
        "calendars.html",
        **ctx,
        title="Calendar feeds",
        team_feeds=[
            (
                t.name,
                f"{path}/teams/{path_part(t.slug)}",
                team_feed(request, event, t.slug, t.name),
            )
            for t in teams
        ],
        room_feeds=[
            (
                r.name,
                f"{path}/rooms/{path_part(r.name)}",
                room_feed(request, event, r.name),
            )
            for r in state.rooms.values()
        ],
        contents=contents(ctx["info"], path, "calendars"),
    )
