"""The ``ptghub`` command line."""

from __future__ import annotations

from ptghub.cli.app import app
from ptghub.cli.importer import import_app

app.add_typer(import_app, name="import")


def main() -> None:
    app(prog_name="ptghub")


__all__ = ["app", "main"]
