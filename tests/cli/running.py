"""Running ``ptghub`` in the test's process, as a shell would, against a real database."""

from __future__ import annotations

from typer.testing import CliRunner

from ptghub.cli import app


def run(database_url: str, *args: str) -> tuple[int, str, str]:
    """``ptghub --database-url URL ARGS``: its exit code, stdout and stderr."""
    result = CliRunner().invoke(app, ["--database-url", database_url, *args])
    return result.exit_code, result.stdout, result.stderr
