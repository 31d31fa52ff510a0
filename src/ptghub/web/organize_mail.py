"""The organizers' mail page: the state of the outbox and the paused addresses.

``/events/{slug}/organize/mail`` shows what ``ptghub mail list`` and
``ptghub mail paused`` show on the command line: how many mails are in each state,
whether this server sends mail at all (``PTGHUB_SMTP_HOST`` set, ``Settings.smtp_host``),
the latest failed, held and queued mails, and the addresses paused after a permanent
refusal. The outbox and the pauses are
the installation's, shared by all its events, so an organizer of any event sees all of
them; they hold addresses (personal data), so only organizers see the page.

``.../organize/mail/unpause`` (fields ``address``, ``send_held`` yes/no) sends mail to a
paused address again (``store.outbox.unpause``), queueing its held mail again when asked;
it answers as every organizers' form does (``web.organizer.act``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ptghub.core.errors import InvalidInput, PermissionDenied
from ptghub.core.model import Actor, EventState
from ptghub.core.permissions import is_organizer
from ptghub.settings import Settings
from ptghub.store.outbox import FAILED, HELD, QUEUED, STATES
from ptghub.store.results import Result
from ptghub.store.store import Store
from ptghub.web.organize_pages import organize_path, organizer_page
from ptghub.web.organizer import Fields, act, organizer_errors

router = APIRouter(include_in_schema=False)

# The mails listed: those that need an organizer's eye first, newest first.
LISTED = (FAILED, HELD, QUEUED)
LIMIT = 50


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _smtp_host(request: Request) -> str | None:
    settings: Settings = request.app.state.settings
    return settings.smtp_host or None


@router.get("/events/{slug}/organize/mail", response_class=HTMLResponse)
@organizer_errors
def mail_page(request: Request, slug: str) -> Response:
    outbox = _store(request).outbox

    def extra(state: EventState) -> dict[str, Any]:
        counts = outbox.counts()
        return {
            "counts": [(name, counts.get(name, 0)) for name in STATES],
            "smtp_host": _smtp_host(request),
            "entries": outbox.entries(LISTED, limit=LIMIT),
            "limit": LIMIT,
            "paused": outbox.suppressions(),
        }

    return organizer_page(request, slug, "organize_mail.html", "Mail", extra)


@router.post("/events/{slug}/organize/mail/unpause")
async def unpause(request: Request, slug: str) -> Response:
    store = _store(request)

    def action(actor: Actor, fields: Fields) -> Result:
        # Unpausing changes no event state, so no command checks the role for it.
        if not store.preview(is_organizer, actor, event=slug):
            raise PermissionDenied(f"Only the organizers of {slug} unpause addresses here.")
        address = fields.get("address", "").strip()
        if not address:
            raise InvalidInput("Give the paused address to unpause, as the list shows it.")
        paused = {p.address.casefold() for p in store.outbox.suppressions()}
        if address.casefold() not in paused:
            raise InvalidInput(
                f"'{address[:80]}' is not paused; the list on this page shows the paused addresses."
            )
        send_held = fields.get("send_held", "no")
        if send_held not in ("yes", "no"):
            raise InvalidInput(f"send_held is '{send_held[:20]}'; use yes or no.")
        released = store.outbox.unpause(address, send_held=send_held == "yes")
        if send_held == "no":
            held = " Its held mail stays unsent."
        else:
            held = f" {released} held mail{'' if released == 1 else 's'} queued again."
        return Result(f"OK, {address} is no longer paused.{held}")

    return await act(request, organize_path(slug, "mail"), action)
