"""``ptghub person``: people and the chat nicks they use (a role given to one nick holds
for all of that person's nicks)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from ptghub.cli.context import out, reports_errors, state_of

person_app = typer.Typer(help="People and the chat nicks they use.", no_args_is_help=True)


@person_app.command("add")
@reports_errors
def person_add(
    ctx: typer.Context,
    nicks: Annotated[list[str], typer.Argument(help="The person's chat nicks.")],
    name: Annotated[str, typer.Option("--name", help="Display name.")],
) -> None:
    """Record a person and their nicks; roles granted to one nick hold for all."""
    person = state_of(ctx).store().people.add(name, nicks)
    out.print(Text(f"OK, person #{person.id} {person.display_name}: {', '.join(person.nicks)}"))


@person_app.command("list")
def person_list(ctx: typer.Context) -> None:
    """List people and their nicks."""
    for person in state_of(ctx).store().people.list():
        out.print(Text(f"#{person.id}  {person.display_name}  {', '.join(person.nicks)}"))
