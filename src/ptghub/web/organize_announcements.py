"""The organizers' announcements: write in Markdown, preview, test, send to one audience.

``/events/{slug}/organize/announcements`` lists the event's announcements (drafts first)
and has the form of a new one; ``.../announcements/{number}`` edits a draft, with its
preview (``web.announcement_mail``: the HTML a mail and the archive show), how many
addresses its audience reaches now, and the buttons to mail a test to oneself (the
organizer's first verified address) and to send it. A sent announcement is read-only and
linked to its page in the event's archive. The previews change nothing; the forms answer
as every organizers' form does (``web.organizer.act``); the store refuses to change,
delete or send again a sent announcement (``store.announcements``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from ptghub.core.errors import PermissionDenied
from ptghub.core.model import Actor, EventState
from ptghub.core.permissions import is_organizer
from ptghub.store.announcements import AUDIENCES, Announcement, Announcements
from ptghub.store.results import Result
from ptghub.store.store import Store
from ptghub.web.announcement_mail import parts, render, unsubscribe_links
from ptghub.web.organize_pages import organize_path, organizer_page
from ptghub.web.organizer import Fields, act, organizer_errors, require_organizer_page
from ptghub.web.session import check_csrf, signed_in
from ptghub.web.signin_pages import site_url
from ptghub.web.templating import path_part

router = APIRouter(include_in_schema=False)

AUDIENCE_NAMES = {
    "updates-list": "The updates list (confirmed addresses)",
    "registrants": "All registrants",
    "role": "Registrants of one role",
    "chairs": "The chairs of the event's teams",
    "followers": "The followers of one team",
}
# The registration form's roles; the menu adds any other role registrants gave.
ROLES = ("developer", "operator", "end-user", "team-leader", "other")
_PAGE = "announcements"
Text = Annotated[str, Form()]


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _announcements(request: Request) -> Announcements:
    return _store(request).attendees.updates.announcements


def _check_organizer(store: Store, actor: Actor, slug: str) -> None:
    """Refuse (403) anyone who does not organize the event: these forms change no event
    state, so no command checks it for them."""
    if not store.preview(is_organizer, actor, event=slug):
        raise PermissionDenied(f"Only the organizers of {slug} write and send its announcements.")


def _draft_fields(fields: Fields) -> tuple[str, str, str, str]:
    audience = fields.get("audience", "")
    value = (
        fields.get("role" if audience == "role" else "team", "")
        if audience in ("role", "followers")
        else ""
    )
    return fields.get("subject", ""), fields.get("text", ""), audience, value


def _editor(
    request: Request,
    slug: str,
    found: Announcement | None,
    posted: tuple[str, str, str, str] | None,
) -> Response:
    announcements = _announcements(request)
    subject, text, audience, value = posted or (
        (found.subject, found.body_markdown, found.audience, found.audience_value)
        if found
        else ("", "", "updates-list", "")
    )

    def extra(state: EventState) -> dict[str, Any]:
        teams = sorted(state.teams.values(), key=lambda t: t.name.casefold())
        reach = None
        if found is not None and found.state == "draft":
            reach = len(announcements.recipients(slug, found.audience, found.audience_value))
        return {
            "announcement": found,
            "listed": announcements.all(slug) if found is None else [],
            "subject": subject,
            "text": text,
            "audience": audience,
            "value": value,
            "audiences": [(a, AUDIENCE_NAMES[a]) for a in AUDIENCES],
            "roles": sorted(set(ROLES) | set(announcements.roles(slug))),
            "teams": [(t.key, t.name) for t in teams],
            "preview": render(text) if text.strip() else None,
            "reach": reach,
            "unsaved": posted is not None,
        }

    title = "Announcements" if found is None else f"Announcement: {found.subject}"
    return organizer_page(request, slug, "organize_announcements.html", title, extra)


@router.get("/events/{slug}/organize/announcements", response_class=HTMLResponse)
@organizer_errors
def announcements_page(request: Request, slug: str) -> Response:
    return _editor(request, slug, None, None)


@router.get("/events/{slug}/organize/announcements/{number:int}", response_class=HTMLResponse)
@organizer_errors
def announcement_page(request: Request, slug: str, number: int) -> Response:
    require_organizer_page(request, slug)
    return _editor(request, slug, _announcements(request).get(slug, number), None)


def _preview(request: Request, slug: str, number: int | None, fields: dict[str, str]) -> Response:
    require_organizer_page(request, slug)
    check_csrf(request, fields.get("csrf"))
    found = None if number is None else _announcements(request).get(slug, number)
    return _editor(request, slug, found, _draft_fields(Fields(list(fields.items()))))


@router.post("/events/{slug}/organize/announcements/preview", response_class=HTMLResponse)
@organizer_errors
def preview_new(
    request: Request, slug: str, subject: Text = "", text: Text = "", audience: Text = "",
    role: Text = "", team: Text = "", csrf: Text = "",
) -> Response:  # fmt: skip
    """The form again with its preview; nothing is saved."""
    fields = {"subject": subject, "text": text, "audience": audience, "role": role, "team": team}
    return _preview(request, slug, None, fields | {"csrf": csrf})


@router.post(
    "/events/{slug}/organize/announcements/{number:int}/preview", response_class=HTMLResponse
)
@organizer_errors
def preview_draft(
    request: Request, slug: str, number: int, subject: Text = "", text: Text = "",
    audience: Text = "", role: Text = "", team: Text = "", csrf: Text = "",
) -> Response:  # fmt: skip
    fields = {"subject": subject, "text": text, "audience": audience, "role": role, "team": team}
    return _preview(request, slug, number, fields | {"csrf": csrf})


def _action(
    request: Request, slug: str, run: Callable[[Actor, Fields], str]
) -> Callable[[Actor, Fields], Result]:
    store = _store(request)

    def action(actor: Actor, fields: Fields) -> Result:
        _check_organizer(store, actor, slug)
        return Result(run(actor, fields))

    return action


@router.post("/events/{slug}/organize/announcements")
async def create(request: Request, slug: str) -> Response:
    made: list[int] = []

    def run(actor: Actor, fields: Fields) -> str:
        signed = signed_in(request)
        person = signed.account.person_id if signed else None
        made.append(_announcements(request).create(slug, person, *_draft_fields(fields)))
        return "OK, the draft is saved. Preview it, send a test to yourself, then send it."

    def back() -> str:
        return organize_path(slug, f"{_PAGE}/{made[0]}" if made else _PAGE)

    return await act(request, back, _action(request, slug, run))


@router.post("/events/{slug}/organize/announcements/{number:int}")
async def save(request: Request, slug: str, number: int) -> Response:
    def run(actor: Actor, fields: Fields) -> str:
        changed = _announcements(request).update(slug, number, *_draft_fields(fields))
        return "OK, the draft is saved." if changed else "Nothing to change: the draft says that."

    return await act(request, organize_path(slug, f"{_PAGE}/{number}"), _action(request, slug, run))


@router.post("/events/{slug}/organize/announcements/{number:int}/delete")
async def delete(request: Request, slug: str, number: int) -> Response:
    def run(actor: Actor, fields: Fields) -> str:
        _announcements(request).delete(slug, number)
        return "OK, the draft is deleted."

    return await act(request, organize_path(slug, _PAGE), _action(request, slug, run))


def _event_name(store: Store, slug: str) -> str:
    info = store.state(slug).info
    assert info is not None
    return info.name


@router.post("/events/{slug}/organize/announcements/{number:int}/test")
async def send_test(request: Request, slug: str, number: int) -> Response:
    store = _store(request)

    def run(actor: Actor, fields: Fields) -> str:
        signed = signed_in(request)
        assert signed is not None  # act() refused anyone else
        to = signed.account.addresses[0]
        _announcements(request).send_test(
            slug, number, to, parts, unsubscribe_links(request, slug), _event_name(store, slug)
        )
        return f"OK, a test is on its way to {to}."

    return await act(request, organize_path(slug, f"{_PAGE}/{number}"), _action(request, slug, run))


@router.post("/events/{slug}/organize/announcements/{number:int}/send")
async def send(request: Request, slug: str, number: int) -> Response:
    store = _store(request)

    def run(actor: Actor, fields: Fields) -> str:
        count = _announcements(request).send(
            slug,
            number,
            parts,
            unsubscribe_links(request, slug),
            _event_name(store, slug),
            coc_link=site_url(request) + f"/events/{path_part(slug)}/register/code-of-conduct",
        )
        return f"OK, the announcement is on its way to {count} address{'es' if count != 1 else ''}."

    return await act(request, organize_path(slug, f"{_PAGE}/{number}"), _action(request, slug, run))
