"""``ptghub import``: create an event from another tool's data.

Exit codes as for the rest of the CLI: 0 done, 1 refused (e.g. the slug exists), 2 invalid
input (unreadable file, bad JSON, bad date, slug or time zone, nothing usable).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from ptghub.cli.context import operator, out, reports_errors, state_of
from ptghub.core.errors import InvalidInput

import_app = typer.Typer(help="Create an event from another tool's data.", no_args_is_help=True)


@import_app.callback()
def import_callback() -> None:
    """Create an event from another tool's data."""


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InvalidInput(f"Cannot read the {what} {path}: {error.strerror}.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput(f"The {what} {path} is not valid JSON: {error}.") from None


def _start_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"--start-date {value!r} is not a date; expected YYYY-MM-DD.") from None


@import_app.command("ptgbot")
@reports_errors
def ptgbot(
    ctx: typer.Context,
    database: Annotated[Path, typer.Argument(help="The old PTG bot's database (ptg.json).")],
    start_date: Annotated[
        str, typer.Option("--start-date", help="Date of the first day, YYYY-MM-DD.")
    ],
    config: Annotated[
        Path | None, typer.Option("--config", help="The old bot's config.json.")
    ] = None,
    slug: Annotated[
        str | None, typer.Option("--slug", help="Event slug (default: from its eventid).")
    ] = None,
    timezone: Annotated[
        str, typer.Option("--timezone", help="The event's IANA time zone.")
    ] = "UTC",
) -> None:
    """Create an event from an old PTG bot database; print what was and was not imported."""
    from ptghub.importers.ptgbot import import_ptgbot

    settings = None if config is None else _read_json(config, "config file")
    if settings is not None and not isinstance(settings, dict):
        raise InvalidInput(f"The config file {config} must hold a JSON object.")
    result = import_ptgbot(
        _read_json(database, "database"),
        _start_date(start_date),
        slug=slug,
        timezone=timezone,
        config=settings,
    )
    store = state_of(ctx).store()
    reply = store.create_event(result.events, operator(), f"import ptgbot {database.name}")
    out.print(Text(reply.reply))
    out.print(Text("Imported:"))
    for line in result.imported:
        out.print(Text(f"  {line}"))
    out.print(Text("Not imported:" if result.skipped else "Not imported: nothing"))
    for line in result.skipped:
        out.print(Text(f"  {line}"))
