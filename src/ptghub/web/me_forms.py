"""The personal page's forms for addresses and API tokens.

- Another address is added only once its mail is read: ``POST /me/addresses`` mails a
  link (the sign-in links' machinery: single use, 15 minutes, rate limited; the link
  works only for the person who asked), ``GET /me/addresses/confirm`` shows a button,
  ``POST /me/addresses/confirm`` adds the address. An address is removed with
  ``POST /me/addresses/remove``, never the last one.
- ``POST /me/tokens`` makes an API token, labelled, for the nick the person acts as on
  the web: its secret is shown once, on the answer page, never again.
  ``POST /me/tokens/{id}/revoke`` revokes one of the person's own tokens.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ptghub.core.errors import InvalidInput
from ptghub.core.validate import shorten
from ptghub.store.accounts import address_key, check_address
from ptghub.store.sign_in_links import ADD_ADDRESS, LinkRefused
from ptghub.web.form_pages import FORM_PAGE, page_refusals
from ptghub.web.me_pages import ME, done, me_or_refuse, no_store, sign_in_first, store_of
from ptghub.web.pages import render_page
from ptghub.web.session import browser_id, csrf_token, signed_in
from ptghub.web.signin_pages import MINUTES, limit_mail, link_refused, site_url

router = APIRouter(include_in_schema=False)

CONFIRM = f"{ME}/addresses/confirm"
BACK = (ME, "Back to your page")

Field = Annotated[str, Form()]
Optional = Annotated[str | None, Form()]


@router.post(f"{ME}/addresses")
@page_refusals(*BACK)
def add_address(request: Request, email: Field = "", csrf: Optional = None) -> Response:
    found = me_or_refuse(request, csrf)
    address = check_address(email)
    if address_key(address) in {address_key(a) for a in found.account.addresses}:
        raise InvalidInput(f"{shorten(address, 80)} is already one of your addresses.")
    limit_mail(request, address)
    store = store_of(request)
    token = store.links.create(
        address,
        browser=browser_id(request),
        purpose=ADD_ADDRESS,
        person_id=found.account.person_id,
    )
    link = f"{site_url(request)}{CONFIRM}?{urlencode({'token': token})}"
    store.outbox.enqueue(
        to=address,
        subject="Add this address to your account",
        text=(
            f"{found.account.display_name} asked to add this address to their account on "
            f"{site_url(request)}.\n\nTo add it, open this link within {MINUTES} minutes, "
            f"signed in as that person:\n\n{link}\n\nIt works once. If you did not ask, "
            "ignore this mail: the address is not added without the link.\n"
        ),
        kind="verify-address",
    )
    return no_store(
        render_page(
            "address_sent.html",
            title="Check your mail",
            body_class=FORM_PAGE,
            email=address,
            minutes=MINUTES,
        )
    )


@router.get(CONFIRM)
@page_refusals(*BACK)
def confirm_address_page(request: Request, token: str = "") -> Response:
    found = signed_in(request)
    if found is None:
        return sign_in_first(request)
    try:
        link = store_of(request).links.peek(token, purpose=ADD_ADDRESS)
        if link.person_id != found.account.person_id:
            raise LinkRefused("other-person")
    except LinkRefused as error:
        return _refused(error)
    return no_store(
        render_page(
            "address_confirm.html",
            title="Add an address",
            body_class=FORM_PAGE,
            email=link.address,
            token=token,
            csrf=csrf_token(request),
        )
    )


@router.post(CONFIRM)
@page_refusals(*BACK)
def confirm_address(request: Request, token: Field = "", csrf: Optional = None) -> Response:
    found = me_or_refuse(request, csrf)
    store = store_of(request)
    person = found.account.person_id
    try:
        link = store.links.redeem(token, browser=None, purpose=ADD_ADDRESS, person_id=person)
    except LinkRefused as error:
        return _refused(error)
    store.profiles.add_address(person, link.address)
    return done("address-added")


def _refused(error: LinkRefused) -> Response:
    return link_refused(error, ME, again=ME, again_text="Back to your page, to ask again")


@router.post(f"{ME}/addresses/remove")
@page_refusals(*BACK)
def remove_address(request: Request, email: Field = "", csrf: Optional = None) -> Response:
    found = me_or_refuse(request, csrf)
    store_of(request).profiles.remove_address(found.account.person_id, email)
    return done("address-removed")


@router.post(f"{ME}/tokens")
@page_refusals(*BACK)
def create_token(request: Request, label: Field = "", csrf: Optional = None) -> Response:
    found = me_or_refuse(request, csrf)
    if not label.strip():
        raise InvalidInput(
            "Give the token a label saying where it is used (a laptop, a script), so that "
            "you know which one to revoke later."
        )
    token_id, secret = store_of(request).tokens.create(found.account.web_nick, label=label)
    return no_store(
        render_page(
            "token_created.html",
            title="Your new API token",
            body_class=FORM_PAGE,
            token_id=token_id,
            label=label.strip(),
            secret=secret,
            nick=found.account.web_nick,
            site=site_url(request),
        )
    )


@router.post(f"{ME}/tokens/{{token_id:int}}/revoke")
@page_refusals(*BACK)
def revoke_token(request: Request, token_id: int, csrf: Optional = None) -> Response:
    found = me_or_refuse(request, csrf)
    store_of(request).profiles.revoke_token(found.account.person_id, token_id)
    return done("token-revoked")
