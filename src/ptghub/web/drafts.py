"""Who may read a plan over the web: published versions are public, drafts are the
organizers' working copy (``store.plan_workflow.may_read_drafts``: the event's organizers and
the chairs of its teams).

The reader says who they are as writers do, with ``Authorization: Bearer TOKEN``, on the
API and on the HTML plan page alike (there is no browser sign-in yet); without it,
drafts are a 401 that says how to see them, with a token of someone else a 403.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials

from ptghub.core.errors import PermissionDenied
from ptghub.core.model import Actor
from ptghub.store import plan_workflow
from ptghub.store.plan_versions import PlanRecord, PlanStatus
from ptghub.store.store import Store
from ptghub.web.auth import Unauthorized, api_actor


def reader(request: Request) -> Actor | None:
    """The person behind the request's bearer token; None without one (reading is public).
    An unknown token is refused (Unauthorized), as on writes.

    Not a security dependency in /openapi.json, since the token is optional here; read
    as HTTPBearer reads it (another scheme than Bearer counts as no token)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    credentials = HTTPAuthorizationCredentials(scheme=scheme, credentials=token.strip())
    return api_actor(request, credentials)


Reader = Annotated[Actor | None, Depends(reader)]


def require_readable(store: Store, record: PlanRecord, who: Actor | None, *, event: str) -> None:
    """Raise Unauthorized (no token) or PermissionDenied unless ``who`` may read ``record``."""
    if record.status is not PlanStatus.DRAFT or plan_workflow.may_read_drafts(
        store, who, event=event
    ):
        return
    what = (
        f"Plan #{record.number} is a draft: only the organizers of the event and the chairs "
        "of its teams may read it"
    )
    if who is None:
        raise Unauthorized(
            f"{what}. Send one of their tokens as 'Authorization: Bearer TOKEN' "
            f"('ptghub token create --for NICK' makes one), or run 'ptghub plan show "
            f"{record.number}' on the server.",
            invalid_token=False,
        )
    raise PermissionDenied(f"{what}, and {who.nick} is neither.")


def visible(
    store: Store, records: list[PlanRecord], who: Actor | None, *, event: str
) -> list[PlanRecord]:
    """``records`` less the drafts, unless ``who`` may read drafts."""
    if plan_workflow.may_read_drafts(store, who, event=event):
        return records
    return [record for record in records if record.status is not PlanStatus.DRAFT]
