"""Options that several ``ptghub`` commands take, spelt and explained the same everywhere."""

from __future__ import annotations

from typing import Annotated

import typer

EventOption = Annotated[
    str | None, typer.Option("--event", "-e", help="Event slug (default: the current event).")
]
AsOption = Annotated[
    str | None,
    typer.Option("--as", help="Act as this nick, with its roles (default: the operator)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]
