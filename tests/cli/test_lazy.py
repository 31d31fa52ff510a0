"""The command line imports what a command needs, and loads sub-command groups on use."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from ptghub.cli import app
from ptghub.cli.lazy import LAZY_GROUPS
from ptghub.store.store import Store

# Modules that running one command of the chat language has no use for.
NOT_FOR_CMD = (
    "alembic",
    "yaml",
    "ortools",
    "ptghub.eventfile",
    "ptghub.importers",
    "ptghub.bot",
    "ptghub.web",
    "ptghub.store.plan_workflow",
    "ptghub.cli.plan",
    "ptghub.cli.needs",
    "ptghub.cli.importer",
    "ptghub.cli.tables",
    "ptghub.cli.mail",
    "ptghub.mail",
    "aiosmtplib",
)


def test_cmd_imports_no_parser_planner_importer_or_migrations(
    store: Store, database_url: str
) -> None:
    script = (
        "import sys\n"
        "sys.argv = ['ptghub', '--database-url', sys.argv[1], 'cmd', '#nova now Placement']\n"
        "from ptghub.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as done:\n"
        "    assert done.code in (0, None), done.code\n"
        f"unwanted = {NOT_FOR_CMD!r}\n"
        "print(sorted(m for m in sys.modules if m.startswith(unwanted)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, database_url],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        timeout=120,
    )
    assert (done.returncode, done.stdout.splitlines()[-1], done.stderr) == (0, "[]", "")


@pytest.mark.parametrize("name", sorted(LAZY_GROUPS))
def test_lazy_group_loads_when_asked_for(name: str) -> None:
    result = CliRunner().invoke(app, [name, "--help"])
    assert (result.exit_code, result.stdout.splitlines()[0]) == (
        0,
        f"Usage: root {name} [OPTIONS] COMMAND [ARGS]...",
    )


def test_root_help_lists_the_lazy_groups() -> None:
    result = CliRunner().invoke(app, ["--help"])
    listed = [line.split()[0] for line in result.stdout.split("Commands:\n")[1].splitlines()]
    assert listed[-len(LAZY_GROUPS) :] == list(LAZY_GROUPS)
