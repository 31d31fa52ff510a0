"""``ptghub needs``: what each team asks of the schedule, and the event's planning rules."""

from __future__ import annotations

import typer

needs_app = typer.Typer(
    help="Team needs (hours, days, clashes, joint sessions) and planning rules.",
    no_args_is_help=True,
)
