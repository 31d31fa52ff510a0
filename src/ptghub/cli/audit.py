"""``ptghub audit``: the audited changes of an event, and ``audit verify``.

Exit codes: 0 done (verify: the tables match the audit log), 1 refused or a difference
found, 2 invalid input.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from ptghub.cli.context import err, out, reports_errors, state_of
from ptghub.cli.options import EventOption, JsonOption

audit_app = typer.Typer(
    help="List the audited changes of an event, oldest first; 'audit verify' checks them.",
    invoke_without_command=True,
)


@audit_app.callback()
@reports_errors
def audit(
    ctx: typer.Context,
    limit: Annotated[int | None, typer.Option(help="Only the newest N changes.")] = None,
    as_json: JsonOption = False,
    event: EventOption = None,
) -> None:
    """List the audited changes of an event, oldest first; 'audit verify' checks them."""
    if ctx.invoked_subcommand is not None:
        return
    from ptghub.cli.tables import audit_json, print_audit

    entries = state_of(ctx).store().audit(event, limit=limit)
    if as_json:
        out.print(audit_json(entries), markup=False)
    else:
        print_audit(out, entries)


@audit_app.command("verify")
def verify(ctx: typer.Context) -> None:
    """Replay every event's audit log and compare it with the stored state: exit 0 when
    they match, else 1 and the first difference."""
    from ptghub.store.verify import verify as check

    result = check(state_of(ctx).store().engine)
    counts = f"{result.events} event(s), {result.changes} change(s) replayed"
    if result.difference is not None:
        err.print(Text(f"Difference found ({counts} so far): {result.difference}"))
        raise typer.Exit(1)
    out.print(Text(f"OK, the tables match the audit log: {counts}."))
