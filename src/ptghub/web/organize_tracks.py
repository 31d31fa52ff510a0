"""The organizers' queue of track requests: ``/events/{slug}/organize/tracks``.

Each waiting request can be approved (``.../tracks/{number}/approve``: the team, its
chair — the requester's web nick — and its needs in one audited change,
``commands.track_requests.approve`` through ``Store.change``, audited as ``track request
N approve SLUG chair NICK``), sent back for changes with a message (``.../changes``) or
declined with a reason (``.../decline``); the requester is mailed each time. The closing
date of requests is set on the same page (``.../tracks/closing``; empty: no closing date).
Who may use it and how the forms answer: ``web.organizer``. Of two organizers acting on
one request at once, one wins; the other is told what happened (409).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ptghub.commands.track_requests import KIND_LABELS
from ptghub.core.errors import InvalidInput, PermissionDenied
from ptghub.core.model import Actor, EventState
from ptghub.core.needs import day_name
from ptghub.core.permissions import is_organizer
from ptghub.core.validate import shorten
from ptghub.store.results import Result
from ptghub.store.store import Store
from ptghub.store.track_request_rows import OPEN
from ptghub.web.organize_pages import organize_path, organizer_page
from ptghub.web.organizer import Fields, act, organizer_errors
from ptghub.web.signin_pages import site_url

router = APIRouter(include_in_schema=False)


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _require_organizer(store: Store, actor: Actor, slug: str, what: str) -> None:
    if not store.preview(is_organizer, actor, event=slug):
        raise PermissionDenied(f"{what} needs an organizer of {slug}; {actor.nick} is not one.")


@router.get("/events/{slug}/organize/tracks", response_class=HTMLResponse)
@organizer_errors
def queue(request: Request, slug: str) -> Response:
    tracks = _store(request).attendees.tracks

    def extra(state: EventState) -> dict[str, Any]:
        every = tracks.queue(slug)
        closes = tracks.closes_at(slug)
        return {
            "waiting": [r for r in every if r.state in OPEN],
            "done": [r for r in every if r.state not in OPEN],
            "kind_labels": KIND_LABELS,
            "day_name": day_name,
            "closes_at": closes,
            "closes_value": "" if closes is None else f"{closes:%Y-%m-%dT%H:%M}",
            "closed": tracks.is_closed(slug),
        }

    return organizer_page(request, slug, "organize_tracks.html", "Track requests", extra)


def _number(text: str) -> int:
    if not text.isdecimal():
        raise InvalidInput(f"'{shorten(text, 12)}' is not a request number.")
    return int(text)


@router.post("/events/{slug}/organize/tracks/{number}/approve")
async def approve(request: Request, slug: str, number: str) -> Response:
    store = _store(request)
    site = site_url(request)

    def run(actor: Actor, fields: Fields) -> Result:
        _require_organizer(store, actor, slug, "Approving a track request")
        n = _number(number)
        result = store.attendees.tracks.approve(store, slug, n, actor, site=site)
        found = store.attendees.tracks.get(slug, n)
        return Result(
            f"OK, request #{n} is approved: {found.proposal.team_name} (#{found.team_key}) is "
            f"a team now, chaired by its requester (change #{result.audit_id}).",
            result.events,
            (),
            result.audit_id,
        )

    return await act(request, organize_path(slug, "tracks"), run)


@router.post("/events/{slug}/organize/tracks/{number}/changes")
async def ask_changes(request: Request, slug: str, number: str) -> Response:
    store = _store(request)
    site = site_url(request)

    def run(actor: Actor, fields: Fields) -> Result:
        _require_organizer(store, actor, slug, "Asking for changes to a track request")
        n = _number(number)
        store.attendees.tracks.ask_changes(slug, n, actor, fields.get("message", ""), site=site)
        return Result(f"OK, request #{n} is sent back to its requester for changes.")

    return await act(request, organize_path(slug, "tracks"), run)


@router.post("/events/{slug}/organize/tracks/{number}/decline")
async def decline(request: Request, slug: str, number: str) -> Response:
    store = _store(request)
    site = site_url(request)

    def run(actor: Actor, fields: Fields) -> Result:
        _require_organizer(store, actor, slug, "Declining a track request")
        n = _number(number)
        store.attendees.tracks.decline(slug, n, actor, fields.get("reason", ""), site=site)
        return Result(f"OK, request #{n} is declined; its requester is told why.")

    return await act(request, organize_path(slug, "tracks"), run)


def parse_closing(text: str) -> datetime | None:
    """The closing date as the form gives it (``YYYY-MM-DDTHH:MM``, UTC); None when empty."""
    value = text.strip()
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M").replace(tzinfo=UTC)
    except ValueError:
        raise InvalidInput(
            f"'{shorten(value, 30)}' is not a date and time; expected YYYY-MM-DD HH:MM in UTC "
            "(for example 2026-03-20T23:59), or nothing for no closing date."
        ) from None


@router.post("/events/{slug}/organize/tracks/closing")
async def closing(request: Request, slug: str) -> Response:
    store = _store(request)

    def run(actor: Actor, fields: Fields) -> Result:
        _require_organizer(store, actor, slug, "Setting when track requests close")
        when = parse_closing(fields.get("closes_at", "").replace(" ", "T"))
        store.attendees.tracks.set_closes_at(slug, when)
        if when is None:
            return Result("OK, track requests have no closing date.")
        return Result(f"OK, track requests close on {when:%Y-%m-%d %H:%M} UTC.")

    return await act(request, organize_path(slug, "tracks"), run)
