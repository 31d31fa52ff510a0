"""The ``ptghub`` root command: its options, then every command and group, in help order.

Exit codes: 0 done, 1 refused (permission or state), 2 invalid input (``cli/context.py``).

A person typing ``ptghub cmd ...`` waits for every module imported here: the command
modules import at their top only what most commands need, and modules that only some
commands need (the event file parser, the demo, the board, the planner) inside those
commands; ``import``, ``bot``, ``needs`` and ``plan`` are loaded on first use
(``cli/lazy.py``). ``bench/cli.py`` keeps this within its budget.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.text import Text

from ptghub.cli import backup, language, report, server
from ptghub.cli.audit import audit_app
from ptghub.cli.context import State, err
from ptghub.cli.events import event_app
from ptghub.cli.lazy import LazyGroup
from ptghub.cli.people import person_app
from ptghub.cli.roles import role_app
from ptghub.cli.tokens import token_app
from ptghub.settings import Settings

app = typer.Typer(
    cls=LazyGroup,
    help="ptghub runs a Project Teams Gathering: teams, rooms, schedule, live board.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@app.callback()
def main_callback(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(help="Data directory [env: PTGHUB_DATA_DIR] (default ~/.local/share/ptghub)."),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(help="Database URL [env: PTGHUB_DATABASE_URL] (default SQLite in data dir)."),
    ] = None,
) -> None:
    overrides: dict[str, Any] = {"data_dir": data_dir, "database_url": database_url}
    state = State()
    try:
        state.settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as error:  # a bad PTGHUB_* variable or config file entry
        for problem in error.errors():
            name = "_".join(str(part) for part in problem["loc"]).upper()
            message = problem["msg"].removeprefix("Value error, ")
            err.print(Text(f"Setting PTGHUB_{name}: {message}"))
        raise typer.Exit(2) from None
    ctx.obj = state
    ctx.call_on_close(state.close)


# `ptghub --help` lists them in this order.
for command in (
    server.init,
    server.serve,
    server.demo,
    language.cmd,
    language.board,
    language.undo,
    backup.backup,
    backup.restore,
    report.report,
):
    app.command()(command)
app.add_typer(event_app, name="event")
app.add_typer(role_app, name="role")
app.add_typer(person_app, name="person")
app.add_typer(token_app, name="token")
app.add_typer(audit_app, name="audit")
