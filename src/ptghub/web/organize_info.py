"""The organizers' editor of the event's pages: about, FAQ, code of conduct and the others.

``/events/{slug}/organize/pages`` lists the pages the event file may hold
(``web.contents.PAGE_HEADINGS``); ``.../pages/{page}`` edits one in Markdown, in a
textarea, with a preview rendered exactly as the public page renders it
(``web.templating.markdown``: raw HTML is shown as text, a link that is not http(s) or
mailto is no link), and saves it through ``Store.change`` as an ``EventInfoChanged``
(``commands.organize.set_page``), audited as ``page edit NAME``. Saving an empty text
removes the page. Who may use it and how the forms answer: ``web.organizer``; the preview
changes nothing, yet it is an organizer's form like the others (signed in, CSRF).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ptghub.commands import organize
from ptghub.core.model import Actor, EventState
from ptghub.store.results import Result
from ptghub.store.store import Store
from ptghub.web.contents import PAGE_HEADINGS, address
from ptghub.web.organize_pages import organize_path, organizer_page
from ptghub.web.organizer import (
    Fields,
    act,
    organizer_errors,
    require_organizer_page,
    wants_json,
)
from ptghub.web.pages import PageError
from ptghub.web.session import check_csrf
from ptghub.web.templating import markdown

router = APIRouter(include_in_schema=False)

_BY_ADDRESS = {address(name): name for name in PAGE_HEADINGS}


def _page_name(page: str) -> str:
    name = _BY_ADDRESS.get(page)
    if name is None:
        raise PageError(
            404,
            "Page not found",
            f"An event has no page '{page[:40]}'; its pages are {', '.join(_BY_ADDRESS)}.",
        )
    return name


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


@router.get("/events/{slug}/organize/pages", response_class=HTMLResponse)
@organizer_errors
def pages(request: Request, slug: str) -> Response:
    def extra(state: EventState) -> dict[str, Any]:
        assert state.info is not None
        pages = PAGE_HEADINGS.items()
        return {"listed": [(address(n), h, bool(state.info.page(n))) for n, h in pages]}

    return organizer_page(request, slug, "organize_pages.html", "Event pages", extra)


def _editor(request: Request, slug: str, page: str, text: str | None, preview: bool) -> Response:
    name = _page_name(page)

    def extra(state: EventState) -> dict[str, Any]:
        assert state.info is not None
        stored = state.info.page(name)
        shown_text = stored if text is None else text
        return {
            "heading": PAGE_HEADINGS[name],
            "page": page,
            "text": shown_text,
            "preview": markdown(shown_text, 3),
            # A preview of a text that differs from the page's: it is not saved yet.
            "unsaved": preview and stored != shown_text.replace("\r\n", "\n").strip(),
        }

    return organizer_page(
        request, slug, "organize_page_edit.html", f"Edit: {PAGE_HEADINGS[name]}", extra
    )


@router.get("/events/{slug}/organize/pages/{page}", response_class=HTMLResponse)
@organizer_errors
def edit_page(request: Request, slug: str, page: str) -> Response:
    return _editor(request, slug, page, None, False)


@router.post("/events/{slug}/organize/pages/{page}/preview", response_class=HTMLResponse)
@organizer_errors
def preview_page(
    request: Request,
    slug: str,
    page: str,
    text: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """The editor again, with the text posted and its preview; nothing is saved."""
    require_organizer_page(request, slug)
    check_csrf(request, csrf)
    if wants_json(request):
        _page_name(page)
        return JSONResponse({"html": str(markdown(text, 3))})
    return _editor(request, slug, page, text, True)


@router.post("/events/{slug}/organize/pages/{page}")
async def save_page(request: Request, slug: str, page: str) -> Response:
    store = _store(request)
    back = organize_path(slug, f"pages/{page}")

    def save(actor: Actor, fields: Fields) -> Result:
        name = _BY_ADDRESS.get(page, page)  # an unknown page: the builder says which exist
        text = fields.get("text", "")
        result = store.change(organize.set_page(name, text), actor, f"page edit {name}", event=slug)
        heading = PAGE_HEADINGS[name]
        if result.audit_id is None:
            return Result(f"Nothing to change: the page '{heading}' already says that.")
        info = store.state(slug).info
        done = "saved" if info is not None and info.page(name) else "removed (it was empty)"
        return Result(f"OK, the page '{heading}' is {done}.", result.events, (), result.audit_id)

    return await act(request, back, save)
