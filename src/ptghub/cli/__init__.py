"""The ``ptghub`` command line."""

from __future__ import annotations

from ptghub.cli import backup, bot_irc, bot_matrix  # noqa: F401  (they register commands)
from ptghub.cli.app import app
from ptghub.cli.audit import audit_app
from ptghub.cli.bot import bot_app
from ptghub.cli.importer import import_app
from ptghub.cli.needs import needs_app
from ptghub.cli.plan import plan_app

app.add_typer(import_app, name="import")
app.add_typer(bot_app, name="bot")
app.add_typer(needs_app, name="needs")
app.add_typer(plan_app, name="plan")
app.add_typer(audit_app, name="audit")


def main() -> None:
    app(prog_name="ptghub")


__all__ = ["app", "main"]
