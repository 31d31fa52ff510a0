"""Updating a loaded event from its edited file through the JSON API.

``POST /api/v1/events/{slug}/update`` takes the file's YAML text, as ``ptghub event
update`` reads it from disk, with the API's conventions (web/api.py): an organizer's
bearer token, errors as ``{"error": MESSAGE}``. The change is the CLI's (the builder of
``commands.event_update``): one audited change, undone like any other; a dry run shows
the differences and why the update would be refused, changing nothing.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from ptghub.commands.event_update import EventUpdater, Update
from ptghub.store.store import Store
from ptghub.web.api import _WRITE_ERRORS, PREFIX, Slug
from ptghub.web.api_inputs import NOT_BLANK, STRICT
from ptghub.web.api_route import ApiRoute
from ptghub.web.auth import Writer

router = APIRouter(prefix=PREFIX, route_class=ApiRoute, tags=["api"])

_UPDATE_ERRORS = {
    **_WRITE_ERRORS,
    400: {**_WRITE_ERRORS[400], "description": "The file is invalid (every problem, with its "
          "line) or defines another event."},
    409: {**_WRITE_ERRORS[409], "description": "The update would take cells from their teams "
          "(listed; set free_cells to free them) or break the schedule."},
}  # fmt: skip


class EventUpdateIn(BaseModel):
    model_config = STRICT

    text: str = Field(
        min_length=1,
        json_schema_extra=NOT_BLANK,
        description="The event's whole definition file (YAML, docs/event-file.md), edited; "
        "its slug must be the event's.",
        examples=["slug: ptg-2022-04\nname: ...\n"],
    )
    dry_run: bool = Field(default=False, description="Show the differences; change nothing.")
    free_cells: bool = Field(
        default=False,
        description="Free the cells teams hold in removed rooms or slots, in cells made "
        "unavailable or of removed teams; without it such an update is refused (409).",
    )


class DifferenceOut(BaseModel):
    kind: str = Field(
        description="What differs: event, pages, links, socials, rooms, slots, teams, "
        "chairs, organizers or schedule.",
        examples=["rooms"],
    )
    text: str = Field(examples=["changed Austin: capacity 50 -> 60"])


class HeldCellOut(BaseModel):
    room: str
    slot: str
    team: str = Field(description="The team's slug.")
    why: str = Field(examples=["room removed"])


class EventUpdateOut(BaseModel):
    """What the update changes (or, in a dry run, would change)."""

    reply: str
    changed: bool
    audit_id: int | None = Field(description="The audit entry of the change, if any.")
    differences: list[DifferenceOut]
    freed: list[HeldCellOut] = Field(
        description="Cells taken from their teams by removals (freed with free_cells)."
    )
    refusal: str | None = Field(
        default=None, description="Of a dry run: why the update would be refused."
    )


def _out(update: Update, reply: str, audit_id: int | None) -> EventUpdateOut:
    return EventUpdateOut(
        reply=reply,
        changed=audit_id is not None,
        audit_id=audit_id,
        differences=[DifferenceOut(kind=d.kind, text=d.text) for d in update.differences],
        freed=[HeldCellOut(room=c.room, slot=c.slot, team=c.team, why=c.why) for c in update.held],
        refusal=update.refusal,
    )


@router.post("/events/{slug}/update", response_model=EventUpdateOut, responses=_UPDATE_ERRORS)
def update_event(
    request: Request, slug: Slug, body: EventUpdateIn, actor: Writer
) -> EventUpdateOut:
    """Update the event from its edited definition file, as one change that undo takes
    back: organizers only."""
    store: Store = request.app.state.store
    updater = EventUpdater(body.text, "the file", free_cells=body.free_cells)
    if body.dry_run:
        update = store.preview(updater.dry_run, actor, event=slug)
        return _out(update, "Dry run: nothing changed.", None)
    result = store.change(updater, actor, "event update (API)", event=slug)
    if result.audit_id is None:
        reply = "Nothing to change: the event already is as the file defines it."
    else:
        reply = (
            f"OK, event '{slug}' updated: {len(result.events)} change(s) recorded as "
            f"#{result.audit_id}."
        )
    return _out(updater.update, reply, result.audit_id)
