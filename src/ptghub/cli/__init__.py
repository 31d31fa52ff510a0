"""The ``ptghub`` command line."""

from __future__ import annotations

from ptghub.cli.app import app


def main() -> None:
    app(prog_name="ptghub")


__all__ = ["app", "main"]
