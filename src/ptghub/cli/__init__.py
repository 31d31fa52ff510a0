"""The ``ptghub`` command line.

``import``, ``bot``, ``needs`` and ``plan`` are loaded on first use (``cli/lazy.py``).
"""

from __future__ import annotations

from ptghub.cli import backup  # noqa: F401  (it registers its commands on app)
from ptghub.cli.app import app
from ptghub.cli.audit import audit_app
from ptghub.cli.tokens import token_app

app.add_typer(token_app, name="token")
app.add_typer(audit_app, name="audit")


def main() -> None:
    app(prog_name="ptghub")


__all__ = ["app", "main"]
