"""The public side of an event's updates list and announcements; no sign-in needed.

- ``GET /events/{slug}/updates``: the "keep me updated" form (an address).
- ``POST /events/{slug}/updates``: mails a confirmation link to the address and answers
  the same page whether the address was on the list, pending or new (an address already
  listed gets no mail: the page does not tell). Limited per address mailed and per client
  address with the sign-in mails' own limiters (``web_sign_ins_per_address``,
  ``web_sign_ins_per_client``): a 429 page with Retry-After.
- ``GET /events/{slug}/updates/confirm?token=...``: what the mail links to; only a
  "Confirm" button, so a mail scanner that follows links lists no one.
- ``POST /events/{slug}/updates/confirm``: lists the address (``store.updates_list``).
- ``GET /events/{slug}/unsubscribe/{token}``: a page with an "Unsubscribe" button.
- ``POST /events/{slug}/unsubscribe/{token}``: the RFC 8058 one-click unsubscribe, posted
  by the mail client (``List-Unsubscribe=One-Click``) or by that button: no cookie, no
  CSRF token (the token is the proof), never a change on GET.
- ``GET /events/{slug}/announcements`` and ``.../announcements/{number}``: the archive of
  the announcements sent, in their sanitized HTML (``web.announcement_mail``).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from ptghub.core.errors import InvalidInput
from ptghub.store.accounts import address_key, check_address
from ptghub.store.announcements import Announcements
from ptghub.store.store import Store
from ptghub.store.updates_list import CONFIRM_LIFETIME, UpdatesList
from ptghub.web.announcement_mail import render
from ptghub.web.form_pages import FORM_PAGE, page_refusals
from ptghub.web.guard import Tallies
from ptghub.web.pages import PageError, _page_context, render_page
from ptghub.web.session import check_csrf, csrf_token, signed_in
from ptghub.web.signin_pages import client_address, site_url
from ptghub.web.templating import path_part

router = APIRouter(include_in_schema=False)

Optional = Annotated[str | None, Form()]
ONE_CLICK = "One-Click"


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _list(request: Request) -> UpdatesList:
    return _store(request).attendees.updates.subscribers


def _announcements(request: Request) -> Announcements:
    return _store(request).attendees.updates.announcements


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"  # pages with a token or an address
    return response


def _page(request: Request, slug: str, template: str, title: str, **extra: Any) -> Response:
    status = int(extra.pop("status", 200))
    ctx = _page_context(request, slug, None, "updates", live=False)
    ctx.update(extra, title=title, body_class=FORM_PAGE)
    return render_page(template, status, **ctx)


def _form(request: Request, slug: str, *, error: str = "", email: str = "") -> Response:
    signed = signed_in(request)
    if not email and signed is not None and signed.account.addresses:
        email = signed.account.addresses[0]
    response = _page(
        request,
        slug,
        "updates_signup.html",
        "Keep me updated",
        status=400 if error else 200,
        csrf=csrf_token(request),
        error=error,
        email=email,
    )
    csrf_token(request, response)  # sets this browser's cookie when it has none
    return _no_store(response)


def _limit(request: Request, address: str) -> None:
    """Spend one mail of the client's and one of ``address``'s: the sign-in mails'
    limiters, so that no address gets more mail from both forms than either allows."""
    tallies: Tallies = request.app.state.tallies
    tallies.sign_ins_per_client.check(
        client_address(request), "sign-ups and sign-in requests from your network address"
    )
    tallies.sign_ins_per_address.check(address_key(address), "mails asked for to this address")


def confirm_mail(event_name: str, link: str, site: str) -> str:
    return (
        f"Someone, hopefully you, asked {site} to keep this address updated about "
        f"{event_name}.\n\nTo confirm, open this link and press its button within "
        f"{CONFIRM_LIFETIME.days} days:\n\n{link}\n\n"
        "If you did not ask, ignore this mail: the address is not listed unless you "
        "confirm.\n"
    )


@router.get("/events/{slug}/updates", response_class=HTMLResponse)
@page_refusals()
def signup_form(request: Request, slug: str) -> Response:
    return _form(request, slug)


@router.post("/events/{slug}/updates", response_class=HTMLResponse)
@page_refusals()
def signup(request: Request, slug: str, email: Optional = "", csrf: Optional = None) -> Response:
    check_csrf(request, csrf)
    try:
        address = check_address(email or "")
    except InvalidInput as error:
        return _form(request, slug, error=error.message, email=email or "")
    state = _store(request).state(slug)  # NotFound: a 404 page
    assert state.info is not None
    _limit(request, address)
    site, name = site_url(request), state.info.name
    confirm_path = f"/events/{path_part(slug)}/updates/confirm"

    def mail(token: str) -> tuple[str, str]:
        link = f"{site}{confirm_path}?{urlencode({'token': token})}"
        return f"Confirm: updates about {name}", confirm_mail(name, link, site)

    _list(request).subscribe(slug, address, mail)
    return _no_store(
        _page(
            request,
            slug,
            "updates_sent.html",
            "Check your mail",
            email=address,
            days=CONFIRM_LIFETIME.days,
        )
    )


@router.get("/events/{slug}/updates/confirm", response_class=HTMLResponse)
@page_refusals()
def confirm_page(request: Request, slug: str, token: str = "") -> Response:
    response = _page(
        request, slug, "updates_confirm.html", "Confirm", token=token, csrf=csrf_token(request)
    )
    csrf_token(request, response)
    return _no_store(response)


@router.post("/events/{slug}/updates/confirm", response_class=HTMLResponse)
def confirm(request: Request, slug: str, token: Optional = "", csrf: Optional = None) -> Response:
    back = f"/events/{slug}/updates"

    @page_refusals(back, "Sign up again")
    def run() -> Response:
        check_csrf(request, csrf)
        address = _list(request).confirm(slug, token or "")
        return _no_store(
            _page(
                request,
                slug,
                "updates_done.html",
                "You are on the list",
                email=address,
                listed=True,
            )
        )

    return run()


@router.get("/events/{slug}/unsubscribe/{token}", response_class=HTMLResponse)
def unsubscribe_page(request: Request, slug: str, token: str) -> Response:
    @page_refusals(f"/events/{slug}/", "The event's home")
    def run() -> Response:
        address = _list(request).check_unsubscribe(_list(request).event_id(slug), token)
        return _no_store(
            _page(
                request, slug, "updates_unsubscribe.html", "Unsubscribe", email=address, token=token
            )
        )

    return run()


@router.post("/events/{slug}/unsubscribe/{token}", response_class=HTMLResponse)
def unsubscribe(
    request: Request,
    slug: str,
    token: str,
    one_click: Annotated[str, Form(alias="List-Unsubscribe")] = "",
) -> Response:
    @page_refusals(f"/events/{slug}/", "The event's home")
    def run() -> Response:
        if one_click != ONE_CLICK:
            raise InvalidInput(
                f"An unsubscribe request posts List-Unsubscribe={ONE_CLICK} (RFC 8058); "
                "open the link and press its button."
            )
        address = _list(request).unsubscribe(slug, token)
        return _no_store(
            _page(request, slug, "updates_done.html", "Unsubscribed", email=address, listed=False)
        )

    return run()


@router.get("/events/{slug}/announcements", response_class=HTMLResponse)
@page_refusals()
def archive(request: Request, slug: str) -> Response:
    sent = _announcements(request).all(slug, sent_only=True)
    ctx = _page_context(request, slug, None, "updates", live=False)
    return render_page("announcements.html", **ctx, title="Announcements", announcements=sent)


@router.get("/events/{slug}/announcements/{number:int}", response_class=HTMLResponse)
@page_refusals()
def archived(request: Request, slug: str, number: int) -> Response:
    found = _announcements(request).get(slug, number)
    if found.state != "sent":  # a draft is the organizers' own
        raise PageError(404, "Not found", f"The event has no announcement {number}.")
    ctx = _page_context(request, slug, None, "updates", live=False)
    return render_page(
        "announcement.html",
        **ctx,
        title=found.subject,
        announcement=found,
        body=render(found.body_markdown),
    )
