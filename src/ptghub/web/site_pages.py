"""Site-wide addresses: the favicon, the old bot's live board, and the page not found.

- ``/favicon.ico``: browsers ask for it whatever the page says; it is the site's SVG icon.
- ``/ptg.html``, the old bot's live board, leads to the current event's board.
- An address nothing answers is an HTML page with links (the events, the current
  event, the API docs) for a person, and ``{"error": ...}`` JSON for a program: under
  ``/api/`` and ``/static/``, an event's stream, and the exports
  (``.ics``, ``.json``, ``.xml``).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from ptghub.core.validate import shorten
from ptghub.store.store import Store
from ptghub.web import api_route
from ptghub.web.pages import PageError, html_errors, render_page
from ptghub.web.templating import path_part

router = APIRouter(include_in_schema=False)

FAVICON = Path(__file__).parent / "static" / "favicon.svg"
_MACHINE_PREFIXES = ("/api/", "/static/")  # the API docs' assets are under /static/ too
_MACHINE_SUFFIXES = (".ics", ".json", ".xml", "/stream")


def _current(request: Request) -> str | None:
    store: Store = request.app.state.store
    return next((event.slug for event in store.events() if event.current), None)


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    return FileResponse(
        FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"}
    )


@router.get("/ptg.html")
@html_errors
def old_board(request: Request) -> Response:
    """The old bot's live board: the current event's board."""
    slug = _current(request)
    if slug is None:
        raise PageError(404, "No current event", "There is no current event yet.")
    return RedirectResponse(f"/events/{path_part(slug)}/board", status_code=302)


def wants_json(path: str) -> bool:
    """Whether an address is one programs read (answered in JSON), not a page."""
    return path.startswith(_MACHINE_PREFIXES) or path.endswith(_MACHINE_SUFFIXES)


async def not_found(request: Request, error: Exception) -> Response:
    """What the router answers itself: a 404 page for people, JSON for the rest.
    Registered on the app for Starlette's HTTPException."""
    assert isinstance(error, HTTPException)
    path = request.url.path
    if error.status_code != 404 or wants_json(path):
        return await api_route.router_error(request, error)
    slug = _current(request)
    return render_page(
        "not_found.html",
        404,
        title="Page not found",
        message=f"There is no page at {shorten(path, 80)}.",
        current_path=f"/events/{path_part(slug)}" if slug else None,
    )
