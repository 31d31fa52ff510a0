"""A team's page: now and next, its sessions as blocks, its onboarding session, chairs,
links and calendar feeds.

A session is a run of the team's consecutive cells in one room (``exports.sessions``,
the rule the calendar feeds use): "Mon 13:00–17:00, Essex", not four one-hour rows.
Each is marked past, now or next by the store's clock (simulated in the demo), never by
the wall clock, so the page agrees with the board.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ptghub.core.model import EventState, RoleKind, Team, slot_key, team_key
from ptghub.exports.sessions import sessions
from ptghub.store.store import Store
from ptghub.web.calendars import event_feed, team_feed
from ptghub.web.chair_panel import own_part
from ptghub.web.flash import forget_flash
from ptghub.web.follow_box import follow_box
from ptghub.web.fragments import badge
from ptghub.web.pages import KIND_NAMES, PageError, _live, _page_context, html_errors, render_page
from ptghub.web.registration_notice import team_numbers
from ptghub.web.templating import path_part, slot_bounds

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True, slots=True)
class Block:
    """One session of a team on its page; ``when`` is "past", "now", "next" or ""."""

    starts: datetime
    ends: datetime
    room: str
    room_href: str
    codes: str  # "Austin-Mon-A1" or "Austin-Mon-A1 to Mon-A2"
    status: str  # planned or booked
    when: str


def blocks(state: EventState, team: str, at: datetime, event_path: str) -> list[Block]:
    """The team's sessions by start, marked by ``at``: past ones, the one running now,
    and the first one after now as next."""
    found: list[Block] = []
    next_marked = False
    for session in sessions(state):
        if session.team.key != team:
            continue
        first, last = session.slots[0], session.slots[-1]
        codes = f"{session.room.name}-{first.code}"
        if len(session.slots) > 1:
            codes += f" to {last.code}"
        if session.ends <= at:
            when = "past"
        elif session.starts <= at:
            when = "now"
        elif not next_marked:
            when, next_marked = "next", True
        else:
            when = ""
        found.append(
            Block(
                session.starts,
                session.ends,
                session.room.name,
                f"{event_path}/rooms/{path_part(session.room.name)}",
                codes,
                session.status.value,
                when,
            )
        )
    return found


def chairs(store: Store, state: EventState, team: str) -> list[tuple[str | None, str]]:
    """(display name if the person is known, nicks) of the team's chairs, by nick."""
    nicks = sorted(r.nick for r in state.roles if r.kind is RoleKind.CHAIR and r.team == team)
    result: list[tuple[str | None, str]] = []
    for nick in nicks:
        person = store.people.find(nick)
        if person is None:
            result.append((None, nick))
        else:
            result.append((person.display_name, ", ".join(person.nicks)))
    return result


def onboarding(state: EventState, team: Team) -> dict[str, object] | None:
    """When and where the team's onboarding session is, if the team names its slot."""
    if team.onboarding_slot is None:
        return None
    assert state.info is not None
    key = slot_key(team.onboarding_slot)
    slot = state.slots.get(key)
    if slot is None:
        return None
    starts, ends = slot_bounds(slot, state.info.timezone)
    rooms = [state.rooms[r].name for r, s in state.team_cells(team.key) if s == key]
    return {"starts": starts, "ends": ends, "code": slot.code, "room": rooms[0] if rooms else None}


@router.get("/events/{slug}/teams/{team}", response_class=HTMLResponse)
@html_errors
def team_page(request: Request, slug: str, team: str, tz: str | None = None) -> Response:
    ctx = _page_context(request, slug, tz, "team", live=True)
    state: EventState = ctx["state"]
    assert state.info is not None
    found = state.teams.get(team_key(team))
    if found is None:
        raise PageError(404, "Team not found", f"There is no team '{team}' at {slug}.")
    line = next(line for line in ctx["board"].teams if team_key(line.slug) == found.key)
    store: Store = request.app.state.store
    response = render_page(
        "team.html",
        **ctx,
        **own_part(request, ctx, team=found.key),
        title=found.name,
        team=found,
        team_badge=badge(state, found.slug),
        follow=follow_box(request, state, found.key),
        kind_label=KIND_NAMES[found.kind],
        blocks=blocks(state, found.key, ctx["at"], ctx["event_path"]),
        onboarding_session=onboarding(state, found),
        chairs=chairs(store, state, found.key),
        registrants=team_numbers(request, state, found.key),
        etherpad=state.etherpad_url(found),
        video=found.video_url or line.video_url,
        feeds=[
            team_feed(request, state.info.slug, found.slug, found.name),
            event_feed(request, state.info.slug),
        ],
        fragments=_live(ctx, f"team-{found.key}"),
    )
    forget_flash(request, response)
    return response
