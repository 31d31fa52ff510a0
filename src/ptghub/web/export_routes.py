"""Export routes: ICS feeds, schedule.xml, the c3voc JSON and the old bot's ptg.json.

All GET, all public. Every answer carries an ETag made of the event's slug and version
(every change bumps it) and ptghub's release, so a client that sends it back in If-None-Match gets
``304 Not Modified`` for the price of one small read. ``Cache-Control: no-cache`` lets
caches keep a copy but makes them ask each time, since the schedule changes during the
day. An unknown event, team or room is a 404 with a JSON ``{"error": ...}``.

The old bot's addresses keep working for the current event: ``/ptg.json``, ``/ptg.ics``
(the whole event, as the old bot's ``ptg.ics`` was) and ``/TEAM.ics``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response

from ptghub import __version__
from ptghub.core.board import current_slot
from ptghub.core.errors import NotFound
from ptghub.core.model import EventState, room_key, team_key
from ptghub.core.validate import shorten
from ptghub.exports import c3voc_v1, c3voc_v2, frab, ics, ptgjson
from ptghub.exports.ics import Revision
from ptghub.exports.revisions import RevisionLog
from ptghub.settings import Settings
from ptghub.store.store import Store
from ptghub.web.api_models import ErrorOut
from ptghub.web.api_route import ApiRoute
from ptghub.web.templating import path_part

# ApiRoute: a method the address does not take is a JSON 405 listing those it takes.
router = APIRouter(tags=["exports"], route_class=ApiRoute)

ICS_TYPE = "text/calendar; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"
JSON_TYPE = "application/json"

Render = Callable[[int, EventState], bytes]


def _documented(media_type: str, what: str) -> dict[int | str, dict[str, Any]]:
    """The answers of an export, for /openapi.json: its format, 304 and 404."""
    body = {"type": "object"} if media_type == JSON_TYPE else {"type": "string"}
    return {
        200: {"description": what, "content": {media_type.split(";")[0]: {"schema": body}}},
        304: {"description": "Not modified: If-None-Match holds the current ETag."},
        404: {
            "model": ErrorOut,
            "description": "Unknown event, team or room (or no current event).",
        },
    }


ICS = _documented(ICS_TYPE, "An iCalendar feed (RFC 5545).")
XML = _documented(XML_TYPE, "The frab/Pentabarf schedule.xml.")
JSON = _documented(JSON_TYPE, "The schedule as JSON.")


@dataclass
class _RevisionCache:
    """Per app: each event's RevisionLog, fed only the audit entries it has not seen."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    logs: dict[str, RevisionLog] = field(default_factory=dict)


_CACHE_LOCK = threading.Lock()  # only guards creating the per-app cache


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _cache(app: FastAPI) -> _RevisionCache:
    with _CACHE_LOCK:
        cache = getattr(app.state, "export_revisions", None)
        if not isinstance(cache, _RevisionCache):
            cache = _RevisionCache()
            app.state.export_revisions = cache
        return cache


def revisions_of(request: Request, slug: str) -> Mapping[str, Revision]:
    """The event's VEVENT revisions, replaying only audit entries not replayed before."""
    store, cache = _store(request), _cache(request.app)
    with cache.lock:
        log = cache.logs.setdefault(slug, RevisionLog())
        for entry in store.audit(slug, after=log.last_id):
            log.feed(entry.id, entry.at, entry.events)
        return dict(log.revisions)


def etag_matches(header: str | None, etag: str) -> bool:
    """If-None-Match: ``*`` or a list of tags, compared weakly (RFC 9110, 13.1.2)."""
    if header is None:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or etag in tags


def _answer(
    request: Request,
    slug: str | None,
    media_type: str,
    render: Render,
    *,
    check: Callable[[EventState], None] | None = None,
    filename: str | None = None,
    moment: Callable[[EventState], str] | None = None,
) -> Response:
    """Load the event, check what the URL names, answer 304 or ``render``'s bytes.

    ``moment`` names what the answer depends on besides the event's version (the slot
    running now, for ptg.json): it is part of the ETag, so a 304 is never stale."""
    version, state = _store(request).versioned_state(slug)
    assert state.info is not None
    if check is not None:
        check(state)
    # The release is in the tag too: an upgrade that changes a format must not be a 304.
    parts = [state.info.slug, str(version), __version__]
    if moment is not None:
        parts.append(moment(state))
    etag = '"' + "-".join(parts) + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    if filename is not None:
        headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return Response(render(version, state), media_type=media_type, headers=headers)


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _known_team(team: str) -> Callable[[EventState], None]:
    def check(state: EventState) -> None:
        if team_key(team) not in state.teams:
            assert state.info is not None
            raise NotFound(
                f"Unknown team '{shorten(team)}' in event '{state.info.slug}'; "
                f"/events/{state.info.slug}/ptg.json lists the teams under 'tracks'."
            )

    return check


def _known_room(room: str) -> Callable[[EventState], None]:
    def check(state: EventState) -> None:
        if room_key(room) not in state.rooms:
            assert state.info is not None
            raise NotFound(
                f"Unknown room '{shorten(room)}' in event '{state.info.slug}'; "
                f"/events/{state.info.slug}/schedule.json lists the rooms."
            )

    return check


# -- ICS ----------------------------------------------------------------------------


def _generated(request: Request) -> datetime:
    return _store(request).clock()


def _event_ics(request: Request, slug: str | None) -> Response:
    def render(version: int, state: EventState) -> bytes:
        assert state.info is not None
        revisions = revisions_of(request, state.info.slug)
        return ics.event_calendar(state, revisions, generated=_generated(request))

    return _answer(request, slug, ICS_TYPE, render, filename="calendar.ics")


def _team_ics(request: Request, slug: str | None, team: str) -> Response:
    def render(version: int, state: EventState) -> bytes:
        assert state.info is not None
        revisions = revisions_of(request, state.info.slug)
        return ics.team_calendar(state, team, revisions, generated=_generated(request))

    return _answer(
        request, slug, ICS_TYPE, render, check=_known_team(team), filename=f"{team_key(team)}.ics"
    )


@router.get("/events/{slug}/calendar.ics", response_class=Response, responses=ICS)
def event_calendar(request: Request, slug: str) -> Response:
    """The whole event as an iCalendar feed: every session and every social."""
    return _event_ics(request, slug)


@router.get("/events/{slug}/teams/{team}.ics", response_class=Response, responses=ICS)
def team_calendar(request: Request, slug: str, team: str) -> Response:
    """One team's sessions as an iCalendar feed."""
    return _team_ics(request, slug, team)


@router.get("/events/{slug}/rooms/{room:path}.ics", response_class=Response, responses=ICS)
def room_calendar(request: Request, slug: str, room: str) -> Response:
    """The sessions in one room (named in any case, URL-encoded) as an iCalendar feed."""

    def render(version: int, state: EventState) -> bytes:
        assert state.info is not None
        revisions = revisions_of(request, state.info.slug)
        return ics.room_calendar(state, room, revisions, generated=_generated(request))

    return _answer(request, slug, ICS_TYPE, render, check=_known_room(room), filename="room.ics")


# -- schedules ----------------------------------------------------------------------


def _public_url(request: Request, state: EventState, name: str) -> str | None:
    """Where the export ``name`` of the event is served, from the configured public URL
    (``PTGHUB_PUBLIC_URL``), or None without one. Never from the request: its Host
    header is whatever the client wrote, and the answer (and its ETag) is the same for
    every client, so a shared cache would hand a forged host to everyone."""
    settings: Settings = request.app.state.settings
    if settings.public_url is None:
        return None
    assert state.info is not None
    return f"{settings.public_url}/events/{path_part(state.info.slug)}/{name}"


@router.get("/events/{slug}/schedule.xml", response_class=Response, responses=XML)
def schedule_xml(request: Request, slug: str) -> Response:
    """The frab/Pentabarf schedule.xml read by schedule apps."""

    def render(version: int, state: EventState) -> bytes:
        url = _public_url(request, state, "schedule.xml")
        return frab.schedule_xml(state, version=str(version), url=url)

    return _answer(request, slug, XML_TYPE, render)


@router.get("/events/{slug}/schedule.json", response_class=Response, responses=JSON)
def schedule_json(request: Request, slug: str) -> Response:
    """The c3voc JSON schedule (version 1, as pretalx emits)."""

    def render(version: int, state: EventState) -> bytes:
        url = _public_url(request, state, "schedule.json")
        return _json(c3voc_v1.schedule_json(state, version=str(version), url=url))

    return _answer(request, slug, JSON_TYPE, render)


@router.get("/events/{slug}/schedule-v2.json", response_class=Response, responses=JSON)
def schedule_json_v2(request: Request, slug: str) -> Response:
    """The c3voc JSON schedule, version 2 (the flat form)."""

    def render(version: int, state: EventState) -> bytes:
        url = _public_url(request, state, "schedule-v2.json")
        data = c3voc_v2.schedule_json_v2(state, version=str(version), url=url)
        return _json(data)

    return _answer(request, slug, JSON_TYPE, render)


# -- the old bot's formats ------------------------------------------------------------


def _ptg_json(request: Request, slug: str | None) -> Response:
    store = _store(request)
    at = store.clock()

    def render(version: int, state: EventState) -> bytes:
        assert state.info is not None
        last = store.audit(state.info.slug, limit=1)
        updated = last[0].at if last else at
        return _json(ptgjson.ptg_json(state, updated=updated, at=at))

    def running(state: EventState) -> str:
        # ptg.json's locations are the rooms of the slot running now: a new slot, a new tag.
        return current_slot(state, at) or "none"

    return _answer(request, slug, JSON_TYPE, render, moment=running)


@router.get("/events/{slug}/ptg.json", response_class=Response, responses=JSON)
def event_ptg_json(request: Request, slug: str) -> Response:
    """The event in the old PTG bot's database format."""
    return _ptg_json(request, slug)


@router.get("/ptg.json", response_class=Response, responses=JSON)
def current_ptg_json(request: Request) -> Response:
    """The current event in the old PTG bot's database format (the old bot's address)."""
    return _ptg_json(request, None)


@router.get("/ptg.ics", response_class=Response, responses=ICS)
def current_calendar(request: Request) -> Response:
    """The current event's whole iCalendar feed (the old bot's address)."""
    return _event_ics(request, None)


@router.get("/{team}.ics", response_class=Response, responses=ICS)
def current_team_calendar(request: Request, team: str) -> Response:
    """One team's iCalendar feed in the current event (the old bot's address)."""
    return _team_ics(request, None, team)
