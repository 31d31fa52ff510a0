"""``ptghub event``: load an event from its file, list the events, pick the current one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from ptghub.cli.context import operator, out, reports_errors, state_of
from ptghub.cli.options import EventOption

event_app = typer.Typer(help="Load, list and show events.", no_args_is_help=True)


@event_app.command("load")
@reports_errors
def event_load(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Event definition file (YAML).", exists=True)],
    current: Annotated[bool, typer.Option(help="Make it the current event.")] = False,
) -> None:
    """Create an event from its definition file (see docs/event-file.md)."""
    from ptghub.eventfile import load_event_file

    store = state_of(ctx).store()
    events = load_event_file(file)
    result = store.create_event(events, operator(), f"event load {file.name}")
    if current:
        store.set_current(result.events[0].info.slug)  # type: ignore[attr-defined]
    out.print(Text(result.reply))


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
    table = Table("Team", "Name", "Kind", "Onboarding")
    for team in state.teams.values():
        table.add_row(
            Text(team.slug), Text(team.name), team.kind.value, "yes" if team.onboarding else ""
        )
    out.print(table)
