"""The organizers' pages of an event: the overview, messages of the day, teams.

``/events/{slug}/organize`` and the pages under it, for a signed-in organizer of the event
(``web.organizer``: 401 with a sign-in link, else 403, for anyone else). Their forms post
the command the chat bots take, through ``Store.run``, so the reply and every refusal are
the bot's own words:

- messages of the day: add (``~motd add LEVEL TEXT``), remove (``~motd del N``), move one
  up or give a new order (``~motd reorder X Y ...``);
- teams: add (``~add TEAM ...``), delete (``~del TEAM``); renaming, for which there is no
  command, is the ``commands.organize.rename_team`` builder through ``Store.change``.

The teams page shows each team's chairs; roles are granted on the people page. The rooms
and slots are ``organize_grid``'s, the event's pages ``organize_info``'s, the plan's
buttons ``plan_actions``'.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ptghub.commands import organize
from ptghub.core.errors import InvalidInput
from ptghub.core.events import TeamChanged
from ptghub.core.model import Actor, EventState, MotdLevel
from ptghub.core.validate import MAX_MOTD, MAX_NAME, shorten
from ptghub.store.results import Result
from ptghub.store.store import Store
from ptghub.web.organizer import (
    Fields,
    act,
    organizer_errors,
    page_extras,
    require_organizer_page,
    shown,
)
from ptghub.web.pages import _page_context, render_page
from ptghub.web.team_pages import chairs
from ptghub.web.templating import path_part

router = APIRouter(include_in_schema=False)


def organize_path(slug: str, page: str = "") -> str:
    """The address of an organizers' page of ``slug`` (``page``: ``teams``, ``grid``...)."""
    return f"/events/{path_part(slug)}/organize" + (f"/{page}" if page else "")


def organizer_page(
    request: Request,
    slug: str,
    template: str,
    title: str,
    extra: Callable[[EventState], dict[str, Any]] = lambda state: {},
) -> Response:
    """Render an organizers' page for the organizer signed in (else refuse, see module);
    ``extra`` gives what the page shows besides the event's context, from its state."""
    organizer = require_organizer_page(request, slug)
    ctx = _page_context(request, slug, None, "organize", live=False)
    ctx.update(page_extras(request, organizer), title=title)
    ctx.update(extra(ctx["state"]))
    return shown(request, render_page(template, **ctx))


def run_command(store: Store, slug: str, text: str, actor: Actor) -> Result:
    """One line of the command language, as the bots run it (never chatter: it starts '~')."""
    result = store.run(text, actor, event=slug)
    assert result is not None  # a '~' command is always a command
    return result


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


# -- the overview --------------------------------------------------------------------


@router.get("/events/{slug}/organize", response_class=HTMLResponse)
@organizer_errors
def overview(request: Request, slug: str) -> Response:
    return organizer_page(request, slug, "organize.html", "Organize")


# -- messages of the day -------------------------------------------------------------


@router.get("/events/{slug}/organize/messages", response_class=HTMLResponse)
@organizer_errors
def messages(request: Request, slug: str) -> Response:
    return organizer_page(
        request,
        slug,
        "organize_messages.html",
        "Messages of the day",
        lambda state: {"levels": [level.value for level in MotdLevel], "max_motd": MAX_MOTD},
    )


@router.post("/events/{slug}/organize/messages/add")
async def add_message(request: Request, slug: str) -> Response:
    store = _store(request)

    def add(actor: Actor, fields: Fields) -> Result:
        level, text = fields.get("level", "").strip(), fields.get("text", "").strip()
        return run_command(store, slug, f"~motd add {level} {text}".rstrip(), actor)

    return await act(request, organize_path(slug, "messages"), add)


@router.post("/events/{slug}/organize/messages/remove")
async def remove_message(request: Request, slug: str) -> Response:
    store = _store(request)

    def remove(actor: Actor, fields: Fields) -> Result:
        return run_command(store, slug, f"~motd del {fields.get('n', '')}".rstrip(), actor)

    return await act(request, organize_path(slug, "messages"), remove)


@router.post("/events/{slug}/organize/messages/up")
async def move_message_up(request: Request, slug: str) -> Response:
    """Swap message N with the one above it: ``~motd reorder`` with every message listed
    (computed from the messages as they are now, so that none is left out and removed)."""
    store = _store(request)

    def up(actor: Actor, fields: Fields) -> Result:
        count = len(store.state(slug).motd)
        n = fields.get("n", "")
        if not (n.isascii() and n.isdigit() and 2 <= int(n) <= count):
            raise InvalidInput(
                f"Message '{shorten(n, 10)}' cannot move up: expected a number from 2 to {count}."
            )
        order = list(range(1, count + 1))
        order[int(n) - 2], order[int(n) - 1] = order[int(n) - 1], order[int(n) - 2]
        return run_command(store, slug, "~motd reorder " + " ".join(map(str, order)), actor)

    return await act(request, organize_path(slug, "messages"), up)


@router.post("/events/{slug}/organize/messages/reorder")
async def reorder_messages(request: Request, slug: str) -> Response:
    store = _store(request)

    def reorder(actor: Actor, fields: Fields) -> Result:
        return run_command(store, slug, f"~motd reorder {fields.get('order', '')}".rstrip(), actor)

    return await act(request, organize_path(slug, "messages"), reorder)


# -- teams ---------------------------------------------------------------------------


@router.get("/events/{slug}/organize/teams", response_class=HTMLResponse)
@organizer_errors
def teams(request: Request, slug: str) -> Response:
    store = _store(request)

    def extra(state: EventState) -> dict[str, Any]:
        rows = [
            {"team": team, "chairs": chairs(store, state, key)} for key, team in state.teams.items()
        ]
        return {"teams": rows, "max_name": MAX_NAME}

    return organizer_page(request, slug, "organize_teams.html", "Teams", extra)


@router.post("/events/{slug}/organize/teams/add")
async def add_teams(request: Request, slug: str) -> Response:
    store = _store(request)

    def add(actor: Actor, fields: Fields) -> Result:
        return run_command(store, slug, f"~add {fields.get('teams', '')}".rstrip(), actor)

    return await act(request, organize_path(slug, "teams"), add)


@router.post("/events/{slug}/organize/teams/delete")
async def delete_team(request: Request, slug: str) -> Response:
    store = _store(request)

    def delete(actor: Actor, fields: Fields) -> Result:
        return run_command(store, slug, f"~del {fields.get('team', '')}".rstrip(), actor)

    return await act(request, organize_path(slug, "teams"), delete)


@router.post("/events/{slug}/organize/teams/rename")
async def rename_team(request: Request, slug: str) -> Response:
    store = _store(request)

    def rename(actor: Actor, fields: Fields) -> Result:
        team, name = fields.get("team", ""), fields.get("name", "")
        build = organize.rename_team(team, name)
        shown_as = name.strip()
        result = store.change(build, actor, f"team rename {team} {shown_as}", event=slug)
        if result.audit_id is None:
            return Result(f"Nothing to change: {shorten(team)} is already shown as '{shown_as}'.")
        changed = result.events[0]
        assert isinstance(changed, TeamChanged)
        new = changed.new
        return Result(
            f"OK, {new.slug} is now shown as '{new.name}'.", result.events, (), result.audit_id
        )

    return await act(request, organize_path(slug, "teams"), rename)
