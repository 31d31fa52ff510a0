"""The organizers' page of registrations: ``/events/{slug}/organize/registrations``.

It shows the counts over the people registered (per role, per team of interest, per
time-zone band and per whole-hour UTC offset on the event's first day, as
``store.registration_reports`` defines them), the people registered and the waiting list
in its order, and holds two forms:

- ``POST .../registrations/capacity``: the number of places (empty: no limit); a larger
  one promotes the first people waiting, who are told by mail;
- ``POST .../registrations/coc-changed``: "the code of conduct changed": its version goes
  up, and every registrant is asked to accept it again.

``GET .../registrations.csv`` exports the registrations (registered, then the waiting
list in order) as CSV. A cell that a spreadsheet would take for a formula (starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with ``'``.

Who may use them and how a form answers: ``web.organizer``.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from ptghub.core.errors import InvalidInput
from ptghub.core.model import EventState
from ptghub.core.validate import shorten
from ptghub.store.registration_answers import ROLES
from ptghub.store.registration_reports import BANDS, Registrant, band
from ptghub.web.flash import Flash, set_flash
from ptghub.web.organize_pages import organize_path, organizer_page
from ptghub.web.organizer import organizer_errors, require_organizer_page, wants_json
from ptghub.web.register_pages import place_mail, registrations_of
from ptghub.web.session import check_csrf

router = APIRouter(include_in_schema=False)

PAGE = "/events/{slug}/organize/registrations"
Optional = Annotated[str | None, Form()]
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = (
    "name",
    "email",
    "state",
    "role",
    "teams",
    "onboarding",
    "time_zone",
    "time_zone_band",
    "first_time",
    "coc_version",
    "coc_accepted_at",
    "registered_at",
    "queued_at",
)


def safe_cell(value: str) -> str:
    """``value`` as a spreadsheet shows it as text, never runs it as a formula."""
    return "'" + value if value.startswith(_FORMULA) else value


def csv_filename(slug: str) -> str:
    """``registrations-SLUG.csv`` with only letters, digits, dot, dash and underscore."""
    return f"registrations-{re.sub(r'[^A-Za-z0-9._-]', '_', slug)[:60]}.csv"


def _row(state: EventState, person: Registrant) -> list[str]:
    assert state.info is not None
    names = [state.teams[k].name if k in state.teams else k for k in person.answers.teams]
    return [
        person.name,
        person.address,
        person.state,
        ROLES.get(person.answers.role, person.answers.role),
        "; ".join(names),
        "yes" if person.answers.onboarding else "no",
        person.answers.time_zone,
        band(person.answers.time_zone, state.info.start),
        "yes" if person.answers.first_time else "no",
        str(person.coc_version),
        person.coc_accepted_at.isoformat(),
        person.created_at.isoformat(),
        person.queued_at.isoformat(),
    ]


@router.get(PAGE, response_class=HTMLResponse)
@organizer_errors
def registrations_page(request: Request, slug: str) -> Response:
    regs = registrations_of(request)
    event_id = regs.event_id(slug)

    def extra(state: EventState) -> dict[str, Any]:
        assert state.info is not None
        seen = regs.overview(event_id, state.info.start)
        by_team = sorted(
            ((team.name, seen.by_team.get(key, 0)) for key, team in state.teams.items()),
            key=lambda item: (-item[1], item[0].casefold()),
        )
        return {
            "seen": seen,
            "settings": regs.settings(event_id),
            "roles": ROLES,
            "bands": BANDS,
            "by_team": by_team,
            "team_names": {key: team.name for key, team in state.teams.items()},
            "csv_href": organize_path(slug, "registrations.csv"),
        }

    return organizer_page(request, slug, "organize_registrations.html", "Registrations", extra)


@router.get(PAGE + ".csv")
@organizer_errors
def registrations_csv(request: Request, slug: str) -> Response:
    require_organizer_page(request, slug)
    store = request.app.state.store
    state: EventState = store.state(slug)
    assert state.info is not None
    regs = registrations_of(request)
    seen = regs.overview(regs.event_id(slug), state.info.start)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for person in [*seen.registered, *seen.waiting]:
        writer.writerow([safe_cell(cell) for cell in _row(state, person)])
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{csv_filename(slug)}"',
            "Cache-Control": "no-store",
        },
    )


def _answer(request: Request, slug: str, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"reply": message, "changed": True, "audit_id": None})
    response = RedirectResponse(organize_path(slug, "registrations"), status_code=303)
    set_flash(request, response, Flash(message))
    return response


def _refused(request: Request, slug: str, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=400)
    response = RedirectResponse(organize_path(slug, "registrations"), status_code=303)
    set_flash(request, response, Flash(message, ok=False))
    return response


@router.post(PAGE + "/capacity")
@organizer_errors
def set_capacity(
    request: Request, slug: str, capacity: Optional = None, csrf: Optional = None
) -> Response:
    require_organizer_page(request, slug)
    check_csrf(request, csrf)
    text = (capacity or "").strip()
    store = request.app.state.store
    regs = registrations_of(request)
    try:
        if text and not text.isdigit():
            raise InvalidInput(
                f"'{shorten(text, 20)}' is not a number of places; give a whole number "
                "such as 300, or leave the field empty for no limit."
            )
        places = int(text) if text else None
        promoted = regs.set_capacity(
            regs.event_id(slug), places, mail=place_mail(request, store.state(slug))
        )
    except InvalidInput as error:
        return _refused(request, slug, error.message)
    said = "no limit" if places is None else f"{places} places"
    moved = f"; {len(promoted)} people waiting got a place and are told by mail" if promoted else ""
    return _answer(request, slug, f"The capacity is now {said}{moved}.")


@router.post(PAGE + "/coc-changed")
@organizer_errors
def coc_changed(request: Request, slug: str, csrf: Optional = None) -> Response:
    require_organizer_page(request, slug)
    check_csrf(request, csrf)
    regs = registrations_of(request)
    version = regs.coc_changed(regs.event_id(slug))
    return _answer(
        request,
        slug,
        f"The code of conduct is now version {version}: every registrant is asked to "
        "accept it on their next visit.",
    )
