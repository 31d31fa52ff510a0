"""``ptghub event``: load an event from its file or update it from the edited file, list
the events, pick the current one, show one.

``event update`` goes through ``Store.change`` with the builder of
``commands.event_update`` (the API uses the same): one audited change, which ``ptghub
undo`` takes back. Exit codes as in the rest of the CLI: 0 done, 1 refused, 2 invalid.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from ptghub.cli.context import acting_as, operator, out, reports_errors, state_of
from ptghub.cli.options import AsOption, EventOption
from ptghub.core.errors import Conflict

event_app = typer.Typer(help="Load, update, list and show events.", no_args_is_help=True)


@event_app.command("load")
@reports_errors
def event_load(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Event definition file (YAML).", exists=True)],
    current: Annotated[bool, typer.Option(help="Make it the current event.")] = False,
) -> None:
    """Create an event from its definition file (see docs/event-file.md); to change a
    loaded event from its edited file, use 'ptghub event update'."""
    from ptghub.eventfile import load_event_file

    store = state_of(ctx).store()
    events = load_event_file(file)
    slug = events[0].info.slug  # type: ignore[attr-defined]
    if any(summary.slug == slug for summary in store.events()):
        raise Conflict(
            f"Event '{slug}' already exists; to apply the edited file to it, run "
            f"'ptghub event update {file}' (--dry-run shows the differences first)."
        )
    result = store.create_event(events, operator(), f"event load {file.name}")
    if current:
        store.set_current(slug)
    out.print(Text(result.reply))


@event_app.command("update")
@reports_errors
def event_update(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="The event's edited definition file (YAML).", exists=True)
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the differences; change nothing.")
    ] = False,
    free_cells: Annotated[
        bool,
        typer.Option(
            "--free-cells",
            help="Free the cells that teams hold in removed rooms or slots, in cells made "
            "unavailable or of removed teams (listed); without it the update is refused.",
        ),
    ] = False,
    as_: AsOption = None,
) -> None:
    """Update a loaded event from its edited file: show the differences (pages, teams,
    rooms, slots, socials, chairs, schedule...) and apply them as one change, which
    'ptghub undo N' takes back. The file's slug names the event."""
    from ptghub.commands.event_diff import grouped
    from ptghub.commands.event_update import EventUpdater
    from ptghub.eventfile import read_event_file

    updater = EventUpdater(read_event_file(file), str(file), free_cells=free_cells)
    store, actor = state_of(ctx).store(), acting_as(as_)
    if dry_run:
        update = store.preview(updater.dry_run, actor, event=updater.slug)
        _print_update(updater.slug, grouped(update.differences), update.held, free_cells)
        if update.refusal is not None:
            raise Conflict(f"The update would be refused: {update.refusal}")
        out.print(Text("Dry run: nothing changed."))
        return
    result = store.change(updater, actor, f"event update {file.name}", event=updater.slug)
    update = updater.update
    _print_update(updater.slug, grouped(update.differences), update.held, free_cells)
    if result.audit_id is None:
        out.print(Text("Nothing to change: the event already is as the file defines it."))
        return
    out.print(
        Text(
            f"OK, event '{updater.slug}' updated: {len(result.events)} change(s) recorded as "
            f"#{result.audit_id} ('ptghub undo {result.audit_id}' takes them back)."
        )
    )


def _print_update(
    slug: str, groups: list[tuple[str, list[str]]], held: Sequence[object], freed: bool
) -> None:
    if groups:
        out.print(Text(f"Differences of {slug}:"))
    for kind, texts in groups:
        out.print(Text(f"{kind.capitalize()}:"))
        for text in texts:
            out.print(Text(f"  {text}"))
    if held and freed:
        out.print(Text("Cells freed (taken from their teams):"))
        for cell in held:
            out.print(Text(f"  {cell}"))


@event_app.command("list")
def event_list(ctx: typer.Context) -> None:
    """List the events; * marks the current one."""
    for summary in state_of(ctx).store().events():
        mark = "*" if summary.current else " "
        info = summary.info
        out.print(Text(f"{mark} {summary.slug}  {info.name}  {info.start} – {info.end}"))


@event_app.command("use")
@reports_errors
def event_use(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(help="The event's slug, as 'ptghub event list' shows.")],
) -> None:
    """Make SLUG the current event."""
    state_of(ctx).store().set_current(slug)
    out.print(Text(f"OK, {slug} is the current event."))


@event_app.command("show")
@reports_errors
def event_show(ctx: typer.Context, event: EventOption = None) -> None:
    """Show an event's details, rooms, slots and teams."""
    from rich.table import Table

    state = state_of(ctx).store().state(event)
    info = state.info
    assert info is not None
    out.print(Text(f"{info.name} ({info.slug}), {info.format.value}, {info.timezone}"))
    out.print(Text(f"{info.start} – {info.end}, contact {info.contact}"))
    out.print(Text(f"{len(state.rooms)} rooms, {len(state.slots)} slots, {len(state.teams)} teams"))
    rooms = Table("Room", "Capacity", "Bookable", "Video", title="Rooms")
    for room in state.rooms.values():
        capacity = "" if room.capacity is None else str(room.capacity)
        bookable = "yes" if room.bookable else "no"
        rooms.add_row(Text(room.name), capacity, bookable, Text(room.video_url or ""))
    out.print(rooms)
    slots = Table("Slot", "Day", "Start", "End", title=f"Slots ({info.timezone})")
    for slot in state.slots.values():
        slots.add_row(
            Text(slot.code), f"{slot.day:%a} {slot.day}", f"{slot.start:%H:%M}", f"{slot.end:%H:%M}"
        )
    out.print(slots)
    table = Table("Team", "Name", "Kind", "Onboarding", title="Teams")
    for team in state.teams.values():
        table.add_row(
            Text(team.slug), Text(team.name), team.kind.value, "yes" if team.onboarding else ""
        )
    out.print(table)
