"""The signed-in person's own part of the board and of a team page: the chair's panel.

The board's live regions are rendered once for every viewer (``live.watcher``), so
nothing that depends on who looks may be inside them. This panel sits outside them: for
the teams the person may change (``core.permissions.may_change_team``: the teams they
chair under any of their nicks, every team for an organizer or while the event is open
to everyone) it holds one server-rendered form per command of a chair (now, next, clear,
location, etherpad, video URL, colour, book a free cell, unbook one of the team's), and
for anyone signed in the check-in forms. Every form posts to ``web.actions`` and works
without JavaScript; ``static/chair.js`` sends the same forms with ``fetch`` and lets a
click on the grid's cells offer them, reading the page's ``chair-data`` JSON (the
person's teams, the CSRF token, the form's address).

The board shows one team's forms at a time (``?act=SLUG`` picks another), so that an
organizer of fifty teams gets one panel, not fifty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import Request

from ptghub.commands.cells import cell_name
from ptghub.core.model import Actor, CellStatus, EventState, Team, team_key
from ptghub.core.permissions import is_chair, is_organizer, may_change_team
from ptghub.store.store import Store
from ptghub.web.flash import read_flash
from ptghub.web.session import csrf_token, signed_in
from ptghub.web.templating import path_part, slot_bounds

SIGN_IN_PATH = "/signin"  # the sign-in page (web.signin_pages); ?next= says where to come back


@dataclass(frozen=True, slots=True)
class TeamForms:
    """What the forms of one team start from."""

    team: Team
    etherpad: str  # the override, "" when the generated one is used
    video: str  # the override, "" when the room's is used
    color: str
    free: tuple[tuple[date, tuple[str, ...]], ...]  # free bookable cells not over, by day
    own: tuple[tuple[str, str], ...]  # (cell, status) of the cells the person may free


@dataclass(frozen=True, slots=True)
class Panel:
    action: str  # where the forms post
    csrf: str
    back: str  # the page to come back to
    nick: str
    organizer: bool
    teams: tuple[tuple[str, str], ...]  # (slug, name) of every team the person may change
    forms: TeamForms | None  # the team whose forms are shown
    checked_in: str | None  # where the person is checked in now
    chooser: bool  # whether to offer the other teams (the board)
    here: str | None  # the team the page is about, or whose forms are shown: where to check in

    def data(self) -> dict[str, Any]:
        """What static/chair.js reads (embedded as JSON, never inside a live region)."""
        return {
            "action": self.action,
            "csrf": self.csrf,
            "back": self.back,
            "organizer": self.organizer,
            "teams": [list(team) for team in self.teams],
        }


def back_of(request: Request) -> str:
    """The page's own address (path and query), where its forms come back to."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def sign_in_href(back: str) -> str:
    """The sign-in page, asked to come back to ``back``."""
    return f"{SIGN_IN_PATH}?{urlencode({'next': back})}"


def panel_for(
    request: Request,
    state: EventState,
    at: datetime,
    *,
    team: str | None = None,
    chosen: str | None = None,
) -> Panel | None:
    """The panel of whoever is signed in (None for nobody): for ``team`` only (a team
    page), or for the teams they may change with ``chosen`` shown (the board)."""
    signed = signed_in(request)
    if signed is None:
        return None
    assert state.info is not None
    store: Store = request.app.state.store
    actor = store.people.with_aliases(signed.actor())
    teams = changeable_teams(state, actor)
    if team is not None:
        teams = [t for t in teams if t.key == team_key(team)]
    # The team asked for; else the first the person chairs (not one they may change only
    # because the event is open to everyone); else the first.
    shown = next((t for t in teams if chosen and t.key == team_key(chosen)), None)
    shown = shown or next((t for t in teams if is_chair(state, actor, t.key)), None)
    shown = shown or (teams[0] if teams else None)
    presence = state.presence.get(actor.key)
    return Panel(
        action=f"/events/{path_part(state.info.slug)}/commands",
        csrf=csrf_token(request),
        back=back_of(request),
        nick=actor.nick,
        organizer=is_organizer(state, actor),
        teams=tuple((t.slug, t.name) for t in teams),
        forms=None if shown is None else team_forms(state, actor, shown, at),
        checked_in=presence.location if presence and presence.checked_out is None else None,
        chooser=team is None,
        here=shown.slug if shown else (state.teams[team_key(team)].slug if team else None),
    )


def changeable_teams(state: EventState, actor: Actor) -> list[Team]:
    """The teams ``actor`` may run the chair's commands on, by name."""
    teams = [t for t in state.teams.values() if may_change_team(state, actor, t.key)]
    return sorted(teams, key=lambda t: t.name.casefold())


def team_forms(state: EventState, actor: Actor, team: Team, at: datetime) -> TeamForms:
    assert state.info is not None
    tz = state.info.timezone
    days: dict[date, list[tuple[str, str]]] = {}
    for (room, slot), cell in state.cells.items():
        if cell.status is not CellStatus.FREE or not state.rooms[room].bookable:
            continue
        if slot_bounds(state.slots[slot], tz)[1] <= at:
            continue  # over: nobody meets in the past
        days.setdefault(state.slots[slot].day, []).append((room, slot))
    slots = {key: n for n, key in enumerate(state.slots)}
    rooms = {key: n for n, key in enumerate(state.rooms)}
    free = tuple(
        (
            day,
            tuple(
                cell_name(state, room, slot)
                for room, slot in sorted(cells, key=lambda c: (slots[c[1]], rooms[c[0]]))
            ),
        )
        for day, cells in sorted(days.items())
    )
    # Planned cells are the organizers' to free (the command says so to anyone else).
    freeable = {CellStatus.BOOKED} | ({CellStatus.PLANNED} if is_organizer(state, actor) else set())
    own = tuple(
        (cell_name(state, room, slot), state.cell(room, slot).status.value)
        for room, slot in state.team_cells(team.key)
        if state.cell(room, slot).status in freeable
    )
    return TeamForms(team, team.etherpad or "", team.video_url or "", team.color or "", free, own)


def own_part(
    request: Request, ctx: dict[str, Any], *, team: str | None = None, chosen: str | None = None
) -> dict[str, Any]:
    """The viewer's own part of a page, outside its live regions: the reply of the form
    they just sent (shown once), their forms when signed in, else where to sign in."""
    panel = panel_for(request, ctx["state"], ctx["at"], team=team, chosen=chosen)
    return {
        "flash": read_flash(request),
        "panel": panel,
        "sign_in": None if panel else sign_in_href(back_of(request)),
        "act_keep": [(k, v) for k, v in request.query_params.multi_items() if k != "act"],
    }
