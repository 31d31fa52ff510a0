"""``/me/chat``: a signed-in person's chat identities, a one-time code to link another,
and unlinking.

"Link a chat identity" (a POST) makes a code (``store.link_codes``) and shows it once,
on the answer to that POST and nowhere else (no redirect, no cookie, not cached), with
what to send the bot: ``/msg BOTNICK link CODE`` on IRC, a direct message to the bot's
Matrix id when one is configured. A chat nick can be unlinked; the web nick cannot (it is
how the person acts on the web).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from ptghub.core.errors import PtgError
from ptghub.core.model import nick_key
from ptghub.store.link_codes import LINK_CODE_LIFETIME
from ptghub.store.store import Store
from ptghub.web.pages import PageError, render_page
from ptghub.web.session import SignedIn, check_csrf, csrf_token, signed_in
from ptghub.web.signed_pages import (
    FORM_PAGE,
    error_page,
    person_or_401,
    sign_in_first,
    status_of,
)

router = APIRouter(include_in_schema=False)
PATH = "/me/chat"


@dataclass(frozen=True, slots=True)
class Identity:
    nick: str
    kind: str  # "web", "Matrix id", "IRC nick or account"

    @property
    def web(self) -> bool:
        return self.kind == "web"


def identities(store: Store, person: SignedIn) -> list[Identity]:
    """The person's nicks, the web nick first."""
    web = nick_key(person.account.web_nick)
    found = []
    for nick in store.link_codes.nicks(person.account.person_id):
        if nick_key(nick) == web:
            kind = "web"
        elif nick.startswith("@") and ":" in nick:
            kind = "Matrix id"
        else:
            kind = "IRC nick or account"
        found.append(Identity(nick, kind))
    return sorted(found, key=lambda i: not i.web)


def _page(
    request: Request,
    person: SignedIn,
    *,
    code: str | None = None,
    notice: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    store: Store = request.app.state.store
    settings = request.app.state.settings
    response = render_page(
        "me_chat.html",
        status,
        title="Your chat identities",
        body_class=FORM_PAGE,
        account=person.account,
        identities=identities(store, person),
        csrf=csrf_token(request),
        code=code,
        minutes=int(LINK_CODE_LIFETIME.total_seconds() // 60),
        irc_nick=settings.irc_nick,
        matrix_user=settings.matrix_user,
        notice=notice,
        error=error,
    )
    response.headers["Cache-Control"] = "no-store"  # a code is shown once
    return response


@router.get(PATH, response_class=HTMLResponse)
def chat_page(request: Request) -> Response:
    person = signed_in(request)
    if person is None:
        return sign_in_first(request)
    return _page(request, person)


@router.post(f"{PATH}/link", response_class=HTMLResponse)
def link(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    """Make a link code and show it, once."""
    try:
        person = person_or_401(request)
        check_csrf(request, csrf)
    except (PageError, PtgError) as error:
        return error_page(error, PATH, "Back to your chat identities")
    store: Store = request.app.state.store
    return _page(request, person, code=store.link_codes.create(person.account.person_id))


@router.post(f"{PATH}/unlink", response_class=HTMLResponse)
def unlink(
    request: Request, nick: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = ""
) -> Response:
    """Unlink one of the person's chat nicks: it no longer carries their roles."""
    try:
        person = person_or_401(request)
        check_csrf(request, csrf)
    except (PageError, PtgError) as error:
        return error_page(error, PATH, "Back to your chat identities")
    store: Store = request.app.state.store
    try:
        gone = store.link_codes.unlink(person.account.person_id, nick)
    except PtgError as error:
        return _page(request, person, error=error.message, status=status_of(error))
    return _page(request, person, notice=f"Unlinked {gone}: it no longer carries your roles.")
