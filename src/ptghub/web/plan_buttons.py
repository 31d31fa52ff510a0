"""What the plan page shows a signed-in organizer: the run, diff and publish buttons.

The plan page (``plan_pages``) asks ``buttons`` whether the person signed in on this browser
organizes the event; for an organizer it gives the forms' data (their CSRF token, the
other plans to compare with, the reply of the button pressed last), for anyone else None
and the page shows no button. The buttons post to ``plan_actions``.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from ptghub.core.errors import NotFound
from ptghub.core.model import Actor
from ptghub.core.permissions import is_organizer
from ptghub.store.plan_versions import PlanRecord, PlanStatus
from ptghub.store.plan_workflow import DEFAULT_TIME_LIMIT
from ptghub.store.store import Store
from ptghub.web.flash import Flash, read_flash
from ptghub.web.session import csrf_token, signed_in


@dataclass(frozen=True, slots=True)
class PlanButtons:
    csrf: str
    flash: Flash | None
    seconds: float  # the run form's default time limit
    publishable: bool  # the plan shown is a draft
    others: tuple[int, ...]  # the other plans' numbers, to compare with


def session_actor(request: Request) -> Actor | None:
    """The person signed in on this browser, as the store sees them on the web."""
    signed = signed_in(request)
    return signed.actor() if signed is not None else None


def organizes(request: Request, slug: str) -> bool:
    """Whether the person signed in here organizes ``slug`` (under any nick of theirs)."""
    actor = session_actor(request)
    if actor is None:
        return False
    store: Store = request.app.state.store
    try:
        return store.preview(is_organizer, actor, event=slug)
    except NotFound:
        return False


def buttons(
    request: Request, slug: str, record: PlanRecord | None, numbers: list[int]
) -> PlanButtons | None:
    """The buttons for ``record`` (None: there is no plan yet), or None for a visitor who
    does not organize the event."""
    if not organizes(request, slug):
        return None
    shown = record.number if record is not None else None
    return PlanButtons(
        csrf=csrf_token(request),
        flash=read_flash(request),
        seconds=DEFAULT_TIME_LIMIT,
        publishable=record is not None and record.status is PlanStatus.DRAFT,
        others=tuple(n for n in numbers if n != shown),
    )
