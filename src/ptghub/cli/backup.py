"""``ptghub backup`` and ``ptghub restore``: consistent copies of a running database.

See docs/operations.md. Exit codes as for the rest of the CLI: 0 done, 1 refused (the
target database is not empty), 2 invalid input (not a backup, unwritable file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from ptghub.cli.context import err, out, reports_errors, state_of
from ptghub.core.errors import InvalidInput


@reports_errors
def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Where to write the backup.")],
    export: Annotated[
        bool,
        typer.Option(
            "--export",
            help="Write an export (JSON) even from SQLite, e.g. to restore into PostgreSQL.",
        ),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Back up the database while it runs: SQLite by its online backup API, PostgreSQL as
    an export of one snapshot. The file is readable by its owner only."""
    from ptghub.store.backup import backup as write_backup

    try:
        if file.exists() and not force:
            raise InvalidInput(f"{file} exists; give --force to replace it.")
        store = state_of(ctx).store()
        summary = write_backup(store.engine, file, export=export)
    except OSError as error:
        err.print(Text(f"Cannot write the backup {file}: {error.strerror}."))
        raise typer.Exit(2) from None
    out.print(
        Text(
            f"Backup written to {file} ({summary.form}): {summary.events} event(s), "
            f"{summary.changes} change(s)."
        )
    )


@reports_errors
def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A file written by 'ptghub backup'.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace everything in a database that is not empty.")
    ] = False,
) -> None:
    """Restore a backup into the database (empty unless --force); stop servers first."""
    from ptghub.store.restore import restore as read_backup

    summary = read_backup(state_of(ctx).store().engine, file, force=force)
    replaced = " (what it held before is replaced)" if summary.replaced else ""
    out.print(
        Text(
            f"Restored {file}: {summary.events} event(s), {summary.changes} change(s)"
            f"{replaced}. 'ptghub audit verify' checks it."
        )
    )
