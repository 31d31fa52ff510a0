"""``/events/{slug}/people``: an organizer's page of who holds which role, to grant and
revoke them.

Only an organizer of the event sees it (403 for anyone else, sign-in for a signed-out
browser). Granting names a person by email address, display name (if no one else has
it) or nick (``store.grantees``); the role goes to their web nick, so it holds under
every chat identity they link. Each grant or revoke is the chat command
``~role grant|revoke NICK ROLE [TEAM]`` run through ``Store.run`` as the signed-in
organizer (front end ``web``): the same permission check, reply and audit entry as in
chat. A refusal is the page again with the bot's message, and nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from ptghub.core.errors import InvalidInput, PermissionDenied, PtgError
from ptghub.core.model import EventState, RoleKind
from ptghub.core.permissions import is_organizer, role_label
from ptghub.store.grantees import holders, role_nick
from ptghub.store.store import Store
from ptghub.web.pages import PageError, _page_context, render_page
from ptghub.web.session import SignedIn, check_csrf, csrf_token, signed_in
from ptghub.web.signed_pages import (
    FORM_PAGE,
    error_page,
    person_or_401,
    sign_in_first,
    status_of,
)
from ptghub.web.templating import path_part

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True, slots=True)
class RoleRow:
    label: str  # "organizer", "chair of nova"
    value: str  # the role as the command takes it: "organizer", "chair nova"
    nick: str  # the nick key it is granted to
    person: str | None  # display name, None for a nick of no person
    nicks: tuple[str, ...]


def role_choices(state: EventState) -> list[tuple[str, str]]:
    """(value, label) of every role that can be granted: organizer, then chair of each
    team by name."""
    teams = sorted(state.teams.values(), key=lambda team: team.name.casefold())
    return [("organizer", "Organizer")] + [
        (f"chair {team.slug}", f"Chair of {team.name}") for team in teams
    ]


def role_rows(store: Store, state: EventState) -> list[RoleRow]:
    found = holders(store, {role.nick for role in state.roles})
    rows = []
    for role in state.roles:
        team = state.teams.get(role.team or "")
        value = (
            "organizer"
            if role.kind is RoleKind.ORGANIZER
            else f"chair {team.slug if team else role.team}"
        )
        holder = found.get(role.nick)
        rows.append(
            RoleRow(
                role_label(state, role),
                value,
                role.nick,
                holder.display_name if holder else None,
                holder.nicks if holder else (role.nick,),
            )
        )
    return sorted(
        rows, key=lambda r: (r.value != "organizer", r.value, (r.person or r.nick).casefold())
    )


def _organizer(request: Request, slug: str) -> SignedIn:
    """The signed-in organizer of ``slug``; PageError 401/403/404 otherwise."""
    person = person_or_401(request)
    store: Store = request.app.state.store
    try:
        allowed = store.preview(is_organizer, person.actor(), event=slug)
    except PtgError as error:
        raise PageError(status_of(error), "Event not found", error.message) from None
    if not allowed:
        raise PermissionDenied(
            f"Managing roles needs an organizer of {slug}; {person.account.display_name} "
            "is not one."
        )
    return person


def _page(
    request: Request,
    slug: str,
    person: SignedIn,
    *,
    notice: str | None = None,
    error: str | None = None,
    status: int = 200,
    who: str = "",
) -> Response:
    ctx = _page_context(request, slug, None, "people", live=False)
    state: EventState = ctx["state"]
    store: Store = request.app.state.store
    response = render_page(
        "event_people.html",
        status,
        **ctx,
        title="People and roles",
        body_class=FORM_PAGE,
        rows=role_rows(store, state),
        choices=role_choices(state),
        csrf=csrf_token(request),
        action=f"/events/{path_part(slug)}/people",
        notice=notice,
        error=error,
        who=who,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/events/{slug}/people", response_class=HTMLResponse)
def people_page(request: Request, slug: str) -> Response:
    if signed_in(request) is None:
        return sign_in_first(request)
    try:
        person = _organizer(request, slug)
    except (PageError, PtgError) as error:
        return error_page(error, f"/events/{path_part(slug)}/", "Back to the event")
    return _page(request, slug, person)


def _change(
    request: Request, slug: str, csrf: str, action: str, who: str, role: str, *, by_name: bool
) -> Response:
    """Run ``~role ACTION NICK ROLE`` as the signed-in organizer; the page with its reply."""
    back = f"/events/{path_part(slug)}/"
    try:
        person_or_401(request)
        check_csrf(request, csrf)
        person = _organizer(request, slug)
    except (PageError, PtgError) as error:
        return error_page(error, back, "Back to the event")
    store: Store = request.app.state.store
    try:
        state = store.state(slug)
        if role not in {value for value, _ in role_choices(state)}:
            raise InvalidInput("Choose a role from the list: organizer, or chair of a team.")
        nick = role_nick(store, who) if by_name else who
        result = store.run(f"~role {action} {nick} {role}", person.actor(), event=slug)
    except PtgError as error:
        return _page(
            request,
            slug,
            person,
            error=error.message,
            status=status_of(error),
            who=who if by_name else "",
        )
    assert result is not None  # a private command always has a reply
    return _page(request, slug, person, notice=result.reply)


@router.post("/events/{slug}/people/grant", response_class=HTMLResponse)
def grant(
    request: Request,
    slug: str,
    who: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Give a person (named by address, display name or nick) a role."""
    return _change(request, slug, csrf, "grant", who, role, by_name=True)


@router.post("/events/{slug}/people/revoke", response_class=HTMLResponse)
def revoke(
    request: Request,
    slug: str,
    nick: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Take a role back from the nick it was granted to."""
    return _change(request, slug, csrf, "revoke", nick, role, by_name=False)
