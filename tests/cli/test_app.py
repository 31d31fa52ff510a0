"""The root command: help for every command, the installed entry point, ``init``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from ptghub.cli import app
from ptghub.store.store import Store
from tests.support import small_event


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
    names = ["init", "serve", "demo", "cmd", "board", "audit", "undo"]
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
