"""The JSON API under /api/v1, described by /openapi.json.

Reads are public and answer with an ETag: the version of the event, which every change
bumps (also changes made by other processes), so ``If-None-Match`` gets a 304 exactly
while nothing changed. Writes need a person's bearer token (web/auth.py) and all go
through ``Store.run``, the path of the chat bot: the typed endpoints only build a command
from checked fields, so permissions, validation, audit and notifications are the bot's.

Errors are ``{"error": MESSAGE}``: the domain's are mapped in web/app.py (400, 403, 404,
409); a missing or unknown token (401), a malformed request (422), an unreadable body
(400) and a method the address does not take (405) by the route class (web/api_route.py),
so that they keep the same shape.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel

from ptghub.commands import needs as needs_changes
from ptghub.commands.needs import Build
from ptghub.core.board import build_board, current_slot, ended_on
from ptghub.core.errors import InvalidInput, NotFound
from ptghub.core.model import Actor, EventState
from ptghub.core.permissions import require_team
from ptghub.core.validate import MAX_TOPIC, check_slug, check_text
from ptghub.store.store import Store
from ptghub.web import api_inputs as i
from ptghub.web import api_models as m
from ptghub.web.api_inputs import MAX_CELL
from ptghub.web.api_route import ApiRoute
from ptghub.web.auth import Writer

PREFIX = "/api/v1"
# Part of every ETag: bump it when the JSON of an unchanged event changes shape.
SCHEMA = "1"

T = TypeVar("T", bound=BaseModel)


_CACHED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: If-None-Match holds the current ETag."}
}
_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": m.ErrorOut, "description": text}
    for status, text in {
        404: "Unknown event (or team, room, slot).",
        422: "The request is malformed: the message names each wrong field.",
    }.items()
}
_READ: dict[int | str, dict[str, Any]] = {**_CACHED, **_ERRORS}
_WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    **{
        status: {"model": m.ErrorOut, "description": text}
        for status, text in {
            400: "The command or a field is invalid.",
            401: "No token, or an unknown, revoked or expired one.",
            403: "The token's person lacks the role the change needs, or the token is for "
            "another event.",
            409: "The event's state forbids the change (a cell already taken, ...).",
            413: "The body is larger than this address accepts (PTGHUB_WEB_MAX_BODY, "
            "PTGHUB_WEB_MAX_COMMAND_BODY); refused before it is read.",
            429: "Too many failed authentications from this address, or writes with this "
            "token; Retry-After says when to try again.",
        }.items()
    },
}

router = APIRouter(prefix=PREFIX, route_class=ApiRoute, tags=["api"])

# What core.validate.check_slug accepts (a team may be written with its '#'): shown in the
# schema; the server answers anything else with a message of its own (404, or 400).
SLUG_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"
Slug = Annotated[
    str,
    Path(
        description="The event's slug, e.g. ptg-2022-04.",
        json_schema_extra={"pattern": SLUG_PATTERN, "examples": ["ptg-2022-04"]},
    ),
]
TeamName = Annotated[
    str,
    Path(
        description="The team's slug, e.g. nova.",
        json_schema_extra={"pattern": "^#?" + SLUG_PATTERN[1:], "examples": ["nova"]},
    ),
]


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _not_modified(request: Request, response: Response, etag: str) -> Response | None:
    """Set the validators on ``response``; a 304 when the client's copy is current.

    If-None-Match is compared weakly (RFC 9110): ``W/"x"`` matches ``"x"``.
    """
    # no-cache: caches may keep the answer but must ask again, which costs one 304.
    validators = {"ETag": etag, "Cache-Control": "no-cache"}
    response.headers.update(validators)
    header = request.headers.get("if-none-match")
    if header is None:
        return None
    wanted = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    if "*" in wanted or etag.removeprefix("W/") in wanted:
        return Response(status_code=304, headers=validators)
    return None


def _event_read(
    request: Request,
    response: Response,
    slug: str,
    build: Callable[[EventState], T],
    cache_as: str | None = None,
) -> T | Response:
    """``build(state)`` of the event's state, or 304 when the client has it. With
    ``cache_as`` (a read that depends on the state alone), the encoded answer is kept per
    event until its version moves: building a schedule's hundreds of cells anew for each
    reader cost half a loaded server's CPU (bench/load.py)."""
    version, state = _store(request).versioned_state(slug)
    not_modified = _not_modified(request, response, f'"{SCHEMA}.{version}"')
    if not_modified is not None:
        return not_modified
    if cache_as is None:
        return build(state)
    cache: dict[tuple[str, str], tuple[int, bytes]] = request.app.state.read_cache
    cached = cache.get((cache_as, slug))
    if cached is None or cached[0] != version:
        model = build(state)
        assert isinstance(model, BaseModel)
        cached = cache[(cache_as, slug)] = (version, model.model_dump_json().encode())
    return Response(cached[1], media_type="application/json", headers=dict(response.headers))


# -- reads ---------------------------------------------------------------------------


@router.get("/events", response_model=m.EventListOut, responses=_CACHED)
def list_events(request: Request, response: Response) -> m.EventListOut | Response:
    """Every event of the installation, oldest first."""
    body = m.EventListOut(
        events=[m.event_summary(e.info, current=e.current) for e in _store(request).events()]
    )
    # No single version covers the list (choosing the current event bumps none): the
    # ETag is a digest of the body itself.
    digest = hashlib.sha256(json.dumps(body.model_dump(mode="json")).encode()).hexdigest()
    return _not_modified(request, response, f'"{SCHEMA}.{digest[:20]}"') or body


@router.get("/events/{slug}", response_model=m.EventOut, responses=_READ)
def get_event(request: Request, response: Response, slug: Slug) -> m.EventOut | Response:
    """One event: its dates, zone, format, links, social events and pages."""
    return _event_read(request, response, slug, m.event_out, "event")


@router.get("/events/{slug}/teams", response_model=m.TeamListOut, responses=_READ)
def list_teams(request: Request, response: Response, slug: Slug) -> m.TeamListOut | Response:
    """The event's teams, by slug."""
    return _event_read(
        request,
        response,
        slug,
        lambda state: m.TeamListOut(teams=[m.team_out(state, t) for t in state.teams.values()]),
        "teams",
    )


@router.get("/events/{slug}/rooms", response_model=m.RoomListOut, responses=_READ)
def list_rooms(request: Request, response: Response, slug: Slug) -> m.RoomListOut | Response:
    """The event's rooms, in the order of the event file."""
    return _event_read(
        request,
        response,
        slug,
        lambda state: m.RoomListOut(rooms=[m.room_out(r) for r in state.rooms.values()]),
        "rooms",
    )


@router.get("/events/{slug}/slots", response_model=m.SlotListOut, responses=_READ)
def list_slots(request: Request, response: Response, slug: Slug) -> m.SlotListOut | Response:
    """The event's time slots, with times in the event's zone and in UTC."""
    return _event_read(request, response, slug, _slots, "slots")


def _slots(state: EventState) -> m.SlotListOut:
    assert state.info is not None
    zone = state.info.timezone
    return m.SlotListOut(slots=[m.slot_out(s, zone) for s in state.slots.values()])


@router.get("/events/{slug}/schedule", response_model=m.ScheduleOut, responses=_READ)
def get_schedule(request: Request, response: Response, slug: Slug) -> m.ScheduleOut | Response:
    """Every cell of the grid (room at slot): free, unavailable, planned or booked, and for
    which team."""
    return _event_read(request, response, slug, m.schedule_out, "schedule")


@router.get("/events/{slug}/board", response_model=m.BoardOut, responses=_READ)
def get_board(request: Request, response: Response, slug: Slug) -> m.BoardOut | Response:
    """The live board now: motd, each team's now, next, location, video and etherpad,
    check-in counts per place, and the grid of each day.

    The ETag is weak: it covers the event's version and the running slot, not ``at``,
    which may be up to a second old (the encoded board is cached that long).
    """
    store = _store(request)
    version, state = store.versioned_state(slug)
    at = store.clock()
    slot = current_slot(state, at)
    position = list(state.slots).index(slot) if slot is not None else -1
    ended = ".ended" if ended_on(state, at) else ""  # a finished event reads differently
    etag = f'W/"{SCHEMA}.{version}.{position}{ended}"'
    not_modified = _not_modified(request, response, etag)
    if not_modified is not None:
        return not_modified
    return Response(
        _board_body(request, slug, etag, at, state),
        media_type="application/json",
        headers=dict(response.headers),
    )


# Everything in the board but ``at`` is fixed by its ETag (version and running slot), and
# building and encoding it costs ten times serving the same bytes from a file: keep the
# encoded body per event, rebuilt when the ETag changes or when ``at`` is a second old.
_BOARD_MAX_AGE = timedelta(seconds=1)


def _board_body(request: Request, slug: str, etag: str, at: datetime, state: EventState) -> bytes:
    cache: dict[str, tuple[str, datetime, bytes]] = request.app.state.board_cache
    cached = cache.get(slug)
    if cached is not None and cached[0] == etag and timedelta(0) <= at - cached[1] < _BOARD_MAX_AGE:
        return cached[2]
    body = m.board_out(build_board(state, at), state).model_dump_json().encode()
    cache[slug] = (etag, at, body)
    return body


# -- writes --------------------------------------------------------------------------


def _run(request: Request, slug: str, text: str, actor: Actor) -> m.CommandOut:
    """Run ``text`` as ``actor`` would send it to the bot in private."""
    result = _store(request).run(text, actor, event=slug, private=True)
    if result is None:  # private text is always a command; kept for the type's sake
        raise InvalidInput("Empty command. Send 'help' for the list of commands.")
    return m.CommandOut(
        command=text,
        reply=result.reply,
        changed=result.audit_id is not None,
        audit_id=result.audit_id,
    )


@router.post("/events/{slug}/commands", response_model=m.CommandOut, responses=_WRITE_ERRORS)
def run_command(request: Request, slug: Slug, body: i.CommandIn, actor: Writer) -> m.CommandOut:
    """Run one command of the chat language as the token's person, e.g.
    ``{"text": "#nova now Placement API"}``; the answer carries the bot's reply."""
    return _run(request, slug, body.text, actor)


def _team(team: str) -> str:
    # A slug has no space: the team cannot swallow the verb or add words to the command.
    return check_slug(team)


def _field(value: str, what: str, limit: int) -> str:
    # One printable line: a newline would end the command and start another.
    return check_text(value, what=what, limit=limit)


@router.put("/events/{slug}/teams/{team}/now", response_model=m.CommandOut, responses=_WRITE_ERRORS)
def set_now(
    request: Request, slug: Slug, team: TeamName, body: i.TopicIn, actor: Writer
) -> m.CommandOut:
    """Set what the team discusses now (``#TEAM now TOPIC``); empties its next topics."""
    text = f"#{_team(team)} now {_field(body.topic, 'topic', MAX_TOPIC)}"
    return _run(request, slug, text, actor)


@router.post(
    "/events/{slug}/teams/{team}/next", response_model=m.CommandOut, responses=_WRITE_ERRORS
)
def add_next(
    request: Request, slug: Slug, team: TeamName, body: i.TopicIn, actor: Writer
) -> m.CommandOut:
    """Add a topic coming up next (``#TEAM next TOPIC``)."""
    text = f"#{_team(team)} next {_field(body.topic, 'topic', MAX_TOPIC)}"
    return _run(request, slug, text, actor)


@router.post(
    "/events/{slug}/teams/{team}/bookings", response_model=m.CommandOut, responses=_WRITE_ERRORS
)
def book(
    request: Request, slug: Slug, team: TeamName, body: i.BookingIn, actor: Writer
) -> m.CommandOut:
    """Book a free cell for the team (``#TEAM book ROOM-SLOT``)."""
    text = f"#{_team(team)} book {_field(body.cell, 'cell (ROOM-SLOT)', MAX_CELL)}"
    return _run(request, slug, text, actor)


@router.delete(
    # :path lets a room whose name holds '/' be named (as %2F) in the path.
    "/events/{slug}/teams/{team}/bookings/{cell:path}",
    response_model=m.CommandOut,
    responses=_WRITE_ERRORS,
)
def unbook(
    request: Request,
    slug: Slug,
    team: TeamName,
    cell: Annotated[str, Path(description="The cell to free: ROOM-SLOT, e.g. Austin-Mon-A1.")],
    actor: Writer,
) -> m.CommandOut:
    """Free a cell booked for the team (``#TEAM unbook ROOM-SLOT``)."""
    text = f"#{_team(team)} unbook {_field(cell, 'cell (ROOM-SLOT)', MAX_CELL)}"
    return _run(request, slug, text, actor)


# -- planner needs -------------------------------------------------------------------


@router.get("/events/{slug}/needs", response_model=m.NeedsListOut, responses=_READ)
def list_needs(request: Request, response: Response, slug: Slug) -> m.NeedsListOut | Response:
    """The planning rules and what each team asked of the planner (teams with needs only)."""
    return _event_read(request, response, slug, m.needs_list_out, "needs")


@router.get("/events/{slug}/needs/{team}", response_model=m.TeamNeedsOut, responses=_READ)
def get_needs(
    request: Request, response: Response, slug: Slug, team: TeamName
) -> m.TeamNeedsOut | Response:
    """What one team asked of the planner; 404 when it stated nothing."""

    def build(state: EventState) -> m.TeamNeedsOut:
        found = require_team(state, team)
        if found.key not in state.needs:
            raise NotFound(f"{found.slug} has no needs stated; PUT them to this address.")
        return m.team_needs_out(state, state.needs[found.key])

    return _event_read(request, response, slug, build)


def _change(request: Request, slug: str, build: Build, actor: Actor, text: str) -> m.ChangeOut:
    result = _store(request).change(build, actor, text, event=slug)
    return m.ChangeOut(
        reply=result.reply, changed=result.audit_id is not None, audit_id=result.audit_id
    )


@router.put("/events/{slug}/needs/{team}", response_model=m.ChangeOut, responses=_WRITE_ERRORS)
def put_needs(
    request: Request, slug: Slug, team: TeamName, body: i.TeamNeedsIn, actor: Writer
) -> m.ChangeOut:
    """State (replace) what a team needs: a chair of the team or an organizer."""
    build = needs_changes.set_team(team, body.model_dump())
    return _change(request, slug, build, actor, f"needs set {team} (API)")


@router.delete("/events/{slug}/needs/{team}", response_model=m.ChangeOut, responses=_WRITE_ERRORS)
def delete_needs(request: Request, slug: Slug, team: TeamName, actor: Writer) -> m.ChangeOut:
    """Remove what a team needs (the planner leaves it out): a chair or an organizer."""
    return _change(
        request, slug, needs_changes.clear_team(team), actor, f"needs clear {team} (API)"
    )


@router.get("/events/{slug}/plan-rules", response_model=m.PlanRulesOut, responses=_READ)
def get_plan_rules(request: Request, response: Response, slug: Slug) -> m.PlanRulesOut | Response:
    """The event's planning rules: caps per team, cross-project days, onboarding length."""
    return _event_read(request, response, slug, m.plan_rules_out)


@router.put("/events/{slug}/plan-rules", response_model=m.ChangeOut, responses=_WRITE_ERRORS)
def put_plan_rules(request: Request, slug: Slug, body: i.PlanRulesIn, actor: Writer) -> m.ChangeOut:
    """Replace the planning rules: organizers only."""
    build = needs_changes.set_rules(body.model_dump())
    return _change(request, slug, build, actor, "needs rules (API)")
