"""``ptghub plan``: build a draft schedule from the needs, compare, publish."""

from __future__ import annotations

import typer

plan_app = typer.Typer(
    help="Build a draft schedule with the solver, compare it, publish it.", no_args_is_help=True
)
