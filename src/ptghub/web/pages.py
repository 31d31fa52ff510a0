"""The server-rendered HTML pages of an event: home, live board, etherpads, signage.

The team pages are in ``team_pages``, the rooms' in ``room_pages``, the information
pages (about, FAQ, ..., socials, calendar feeds) in ``info_pages``.

Every page is complete without JavaScript: ``?tz=ZONE`` renders its times in another
IANA zone (``?tz=event``: the event's), remembered in a cookie for the next pages, and
the board's days then split at that zone's midnight (``zones``); ``?day=YYYY-MM-DD``
(a date of the zone shown) opens the board on another day, ``?room=NAME`` narrows
the signage to one room, shown as a kiosk (no menu or zone switch, a large clock),
``?q=TEXT`` shows only the board's and the team list's teams whose name or topic holds
TEXT (``search``). ``time.js``, ``live.js`` and ``filter.js``
only improve on that (the viewer's own zone in the zone menu; live regions, see
``fragments``; filtering as one types). An unknown event, team, room or
page gives a 404 page and a malformed parameter a 400 page, each saying what was wrong.
``/`` and the old bot's ``/index.html`` and ``/etherpads.html`` lead to the current
event. Responses carry a Content-Security-Policy that allows scripts from this site only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ParamSpec
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from ptghub.core.errors import InvalidInput, NotFound
from ptghub.core.model import EventFormat, EventState, TeamKind, room_key
from ptghub.store.store import Store
from ptghub.web.calendars import event_feed
from ptghub.web.chair_panel import own_part
from ptghub.web.contents import contents
from ptghub.web.flash import forget_flash
from ptghub.web.follow_box import follow_box
from ptghub.web.fragments import (
    Badge,
    badge,
    context,
    fragments_of,
    next_reload,
    room_signs,
)
from ptghub.web.headers import PAGE_CSP
from ptghub.web.registration_notice import coc_notice
from ptghub.web.search import matches, query_of, search_text
from ptghub.web.templating import ENV, path_part, slot_bounds, zone
from ptghub.web.zones import chosen_zone, remember

router = APIRouter(include_in_schema=False)

KIND_LABELS = {
    TeamKind.PROJECT_TEAM: "Project teams",
    TeamKind.SIG: "Special interest groups",
    TeamKind.WORKING_GROUP: "Working groups",
    TeamKind.POPUP_TEAM: "Pop-up teams",
    TeamKind.COMMITTEE: "Committees",
    TeamKind.OTHER: "Other teams",
}
KIND_NAMES = {
    TeamKind.PROJECT_TEAM: "Project team",
    TeamKind.SIG: "Special interest group",
    TeamKind.WORKING_GROUP: "Working group",
    TeamKind.POPUP_TEAM: "Pop-up team",
    TeamKind.COMMITTEE: "Committee",
    TeamKind.OTHER: "Team",
}
FORMAT_LABELS = {
    EventFormat.VIRTUAL: "Virtual: every room is a video call",
    EventFormat.IN_PERSON: "In person",
    EventFormat.HYBRID: "Hybrid: in person, with video calls for remote participants",
}


class PageError(Exception):
    """A page that cannot be shown: rendered as an HTML error page with this status (and
    ``headers``, e.g. the WWW-Authenticate of a 401)."""

    def __init__(
        self, status: int, title: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.title, self.message = status, title, message
        self.headers = headers or {}


_PAGE_DEFAULTS: dict[str, Any] = {
    "info": None,
    "live": False,
    "current": "",
    "body_class": "",
    "reload_at": None,
    "keep_query": [],
    "find": None,  # the search box's state (Find), on the pages that have one
    "remember_zone": None,
    "flash": None,  # a form's reply, shown once (web.flash)
    "panel": None,  # the signed-in person's forms (web.chair_panel)
    "sign_in": None,  # where to sign in, on pages that offer forms to people signed in
}


def render_page(name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    html = ENV.get_template(name).render({**_PAGE_DEFAULTS, **ctx})
    response = HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": PAGE_CSP})
    if ctx.get("remember_zone"):
        remember(response, ctx["remember_zone"])
    return response


P = ParamSpec("P")


def html_errors(handler: Callable[P, Response]) -> Callable[P, Response]:
    """Turn PageError and bad input into HTML error pages (the app maps them to JSON)."""

    @functools.wraps(handler)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
        try:
            return handler(*args, **kwargs)
        except PageError as error:
            failure = error
        except InvalidInput as error:
            failure = PageError(400, "Bad request", error.message)
        response = render_page(
            "error.html",
            failure.status,
            title=failure.title,
            message=failure.message,
            back_href="/events/",
            back_text="See the list of events",
        )
        response.headers.update(failure.headers)
        return response

    return wrapper


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _load(request: Request, slug: str) -> tuple[int, EventState, datetime]:
    store = _store(request)
    try:
        version, state = store.versioned_state(slug)
    except NotFound:
        raise PageError(404, "Event not found", f"There is no event '{slug}'.") from None
    return version, state, store.clock()


def _live(ctx: dict[str, Any], *keys: str) -> dict[str, Markup]:
    """Live regions' HTML, trusted: the fragment templates escape what they show."""
    return {key: Markup(html) for key, html in fragments_of(ctx, keys or None).items()}


@dataclass(frozen=True, slots=True)
class Find:
    """The search box of a page: the parameters it keeps, how many teams it shows of
    how many (``web.search``)."""

    keep: list[tuple[str, str]]
    shown: int
    total: int


def _find(request: Request, query: str, texts: list[str]) -> Find:
    keep = [(k, v) for k, v in request.query_params.multi_items() if k != "q"]
    return Find(keep, sum(matches(query, text) for text in texts), len(texts))


def _page_context(
    request: Request, slug: str, tz: str | None, current: str, *, live: bool
) -> dict[str, Any]:
    """The context shared by an event's pages: state, fragments' data, navigation."""
    version, state, at = _load(request, slug)
    assert state.info is not None
    # An unknown ?tz= raises InvalidInput, shown as a 400 page.
    ctx = context(state, at, chosen_zone(request, tz, state.info.timezone))
    ctx.update(
        current=current,
        live=live,
        version=version,
        calendar=event_feed(request, state.info.slug),
        # A day of one zone need not be a day of another: a new zone opens on its today.
        keep_query=[
            (k, v) for k, v in request.query_params.multi_items() if k not in ("tz", "day")
        ],
        remember_zone=tz,
        coc_notice=coc_notice(request, slug),
    )
    return ctx


@router.get("/", response_class=HTMLResponse)
@html_errors
def root(request: Request) -> Response:
    """The current event's home."""
    for event in _store(request).events():
        if event.current:
            return RedirectResponse(f"/events/{path_part(event.slug)}/", status_code=302)
    raise PageError(404, "No current event", "There is no current event yet.")


@router.get("/index.html", response_class=HTMLResponse)
def old_index(request: Request) -> Response:
    """The old bot's address of its board."""
    return RedirectResponse("/", status_code=301)


@router.get("/etherpads.html", response_class=HTMLResponse)
@html_errors
def old_etherpads(request: Request) -> Response:
    """The old bot's address of its etherpad list: the current event's."""
    for event in _store(request).events():
        if event.current:
            return RedirectResponse(f"/events/{path_part(event.slug)}/etherpads", 302)
    raise PageError(404, "No current event", "There is no current event yet.")


@router.get("/events/", response_class=HTMLResponse)
def event_list(request: Request) -> Response:
    return render_page("events.html", title="Events", events=_store(request).events())


@router.get("/events/{slug}", response_class=HTMLResponse)
def event_no_slash(slug: str) -> Response:
    return RedirectResponse(f"/events/{path_part(slug)}/", status_code=301)


@router.get("/events/{slug}/", response_class=HTMLResponse)
@html_errors
def event_home(
    request: Request, slug: str, tz: str | None = None, q: str | None = None
) -> Response:
    ctx = _page_context(request, slug, tz, "home", live=False)
    state: EventState = ctx["state"]
    info = ctx["info"]
    ctx["query"] = query = query_of(q)
    bounds = [b for s in state.slots.values() for b in slot_bounds(s, info.timezone)]
    groups: dict[TeamKind, list[tuple[Badge, str, str]]] = {}
    for team in sorted(state.teams.values(), key=lambda t: t.name.casefold()):
        topics = state.topics_of(team.key)
        text = search_text(team.name, team.slug, team.description, topics.now, *topics.next)
        groups.setdefault(team.kind, []).append((badge(state, team.slug), team.description, text))
    texts = [text for teams in groups.values() for _, _, text in teams]
    return render_page(
        "home.html",
        **ctx,
        title="Home",
        first_start=min(bounds, default=None),
        last_end=max(bounds, default=None),
        format_label=FORMAT_LABELS.get(info.format, str(info.format)),
        contents=contents(info, ctx["event_path"]),
        groups=[
            (KIND_LABELS[k], groups[k], any(matches(query, t) for _, _, t in groups[k]))
            for k in TeamKind
            if k in groups
        ],
        find=_find(request, query, texts),
    )


def _selected_day(ctx: dict[str, Any], day: str | None) -> date | None:
    days = [d.day for d in ctx["days"]]
    if day is not None:
        try:
            wanted = date.fromisoformat(day)
        except ValueError:
            raise InvalidInput(
                "The day must be a date such as 2022-04-04; "
                f"this event has {', '.join(d.isoformat() for d in days) or 'no days'}."
            ) from None
        if wanted not in days:
            raise PageError(
                404,
                "Day not found",
                f"The schedule has no slot on {wanted.isoformat()}; it has "
                f"{', '.join(d.isoformat() for d in days) or 'no days yet'}.",
            )
        return wanted
    today = ctx["at"].astimezone(zone(ctx["zone"])).date()
    return today if today in days else (days[0] if days else None)


@router.get("/events/{slug}/board", response_class=HTMLResponse)
@html_errors
def board_page(
    request: Request,
    slug: str,
    tz: str | None = None,
    day: str | None = None,
    q: str | None = None,
    act: str | None = None,
) -> Response:
    ctx = _page_context(request, slug, tz, "board", live=True)
    selected = _selected_day(ctx, day)
    own = own_part(request, ctx, chosen=act)
    ctx["query"] = query = query_of(q)

    def day_query(value: date) -> str:
        return urlencode(
            {"day": value.isoformat(), **({"tz": tz} if tz else {}), **({"q": q} if q else {})}
        )

    response = render_page(
        "board.html",
        **ctx,
        **own,
        title="Live board",
        follow=follow_box(request, ctx["state"]),
        fragments=_live(ctx),
        selected_day=selected,
        day_query=day_query,
        find=_find(request, query, [ctx["line_text"](line) for line in ctx["active"]]),
    )
    forget_flash(request, response)
    return response


@router.get("/events/{slug}/etherpads", response_class=HTMLResponse)
@html_errors
def etherpads_page(request: Request, slug: str, tz: str | None = None) -> Response:
    ctx = _page_context(request, slug, tz, "etherpads", live=False)
    state: EventState = ctx["state"]
    teams = sorted(state.teams.values(), key=lambda t: t.name.casefold())
    rows = [(badge(state, t.slug), state.etherpad_url(t)) for t in teams]
    return render_page("etherpads.html", **ctx, title="Etherpads", rows=rows)


@router.get("/events/{slug}/signage", response_class=HTMLResponse)
@html_errors
def signage_page(
    request: Request, slug: str, tz: str | None = None, room: str | None = None
) -> Response:
    ctx = _page_context(request, slug, tz, "signage", live=True)
    state: EventState = ctx["state"]
    region, heading = "signage", "Now and next in every room"
    if room is not None:
        signs = {room_key(s.room): s for s in room_signs(state, ctx["at"])}
        sign = signs.get(room_key(room))
        if sign is None:
            known = ", ".join(r.name for r in state.rooms.values()) or "none yet"
            raise PageError(
                404, "Room not found", f"There is no room '{room}' at {slug}; rooms: {known}."
            )
        region, heading = sign.region, f"Now and next in {sign.room}"
    return render_page(
        "signage.html",
        **ctx,
        title=heading,
        heading=heading,
        region=region,
        # One room's screen is a kiosk: no menu or zone switch, a large clock.
        kiosk=room is not None,
        body_class="signage kiosk" if room is not None else "signage",
        reload_at=next_reload(state, ctx["at"]),
        fragments=_live(ctx, "motd", region),
    )


@router.get("/events/{slug}/{rest:path}", response_class=HTMLResponse)
@html_errors
def unknown_page(request: Request, slug: str, rest: str) -> Response:
    """Anything else under an event: say what was not found (after the other routers)."""
    _load(request, slug)  # an unknown event is named as such
    raise PageError(404, "Page not found", f"There is no page '{rest}' at {slug}.")
