"""The root command: help for every command, the installed entry point, ``init``."""

from __future__ import annotations

import shlex
import subprocess
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from ptghub import demo
from ptghub.cli import app
from ptghub.eventfile import load_event_file
from ptghub.store.store import Store
from tests.cli.running import run
from tests.support import ORGANIZER, small_event


def commands(command: Any, path: tuple[str, ...] = ("ptghub",)) -> Iterator[tuple[str, Any]]:
    """Every command and group under ``command`` (the lazy groups loaded), by its path."""
    yield " ".join(path), command
    if hasattr(command, "list_commands"):
        context = typer.Context(command, info_name=path[-1])
        for name in command.list_commands(context):
            yield from commands(command.get_command(context, name), (*path, name))


def test_init_creates_database_in_data_dir(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path / "d"), "init"])
    assert result.exit_code == 0
    assert (tmp_path / "d" / "ptghub.sqlite3").is_file()


def test_a_bad_setting_is_named_with_its_problem_not_a_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["--data-dir", str(tmp_path), "init"], env={"PTGHUB_CLOCK_SPEED": "fast"}
    )
    assert (result.exit_code, result.stderr) == (
        2,
        "Setting PTGHUB_CLOCK_SPEED: The clock speed must be a number above 0 and at most "
        "100000 (1 is real time, 60 makes a minute pass each second); got 'fast'.\n",
    )
    assert not (tmp_path / "ptghub.sqlite3").exists()


def test_every_cli_command_has_help() -> None:
    names = ["init", "serve", "demo", "cmd", "board", "audit", "undo", "recap"]
    groups = {
        "person": ["add", "list"],
        "import": ["ptgbot"],
        "event": ["load", "list", "show", "use"],
        "role": ["grant", "revoke"],
        "token": ["create", "revoke", "list"],
    }
    invocations = [[n] for n in names] + [[g, c] for g, cs in groups.items() for c in cs]
    for args in invocations:
        result = CliRunner().invoke(app, [*args, "--help"])
        assert result.exit_code == 0, args
        assert "Usage:" in result.stdout, args


def test_every_argument_and_option_of_every_command_has_help() -> None:
    tree = dict(commands(typer.main.get_command(app)))
    missing = [
        f"{path} {param.name}"
        for path, command in tree.items()
        for param in command.params
        if not getattr(param, "help", None)
    ]
    assert ("ptghub plan pin" in tree, "ptghub bot irc" in tree, missing) == (True, True, [])


def test_plan_pin_example_is_valid_on_the_demo(empty_store: Store, database_url: str) -> None:
    with resources.as_file(resources.files(demo) / demo.FILE) as path:
        empty_store.create_event(load_event_file(path), ORGANIZER, "demo")
    help_text = CliRunner().invoke(app, ["plan", "pin", "--help"]).stdout
    (example,) = [line for line in help_text.splitlines() if "ptghub plan pin " in line]
    words = shlex.split(example.split("ptghub ", 1)[1])
    code, stdout, stderr = run(database_url, *words)
    assert (code, stderr, stdout) == (0, "", "OK, 1 change(s) recorded as #2.\n")
    assert empty_store.state().pins == {("austin", "tue15h"): "nova"}


def test_cli_entry_point_runs_in_its_own_process(store: Store, database_url: str) -> None:
    """The installed program, as a chair would run it from a shell."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ptghub",
            "--database-url",
            database_url,
            "cmd",
            "--as",
            "nchair",
            "#nova next Quotas",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (
        0,
        "OK, nova next: Quotas Note: nova is not scheduled today.\n",
    )
    assert store.state().topics["nova"].next == ("Quotas",)


def test_small_event_is_valid_input_for_the_store() -> None:
    assert small_event()[0].info.slug == "test-ptg"  # type: ignore[attr-defined]
