"""``ptghub init``: the data directory and database, private to their owner."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from typer.testing import CliRunner

from ptghub.cli import app


def test_init_creates_data_dir_and_database_readable_by_owner_only(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        result = CliRunner().invoke(app, ["--data-dir", str(tmp_path / "d"), "init"])
    finally:
        os.umask(previous)
    modes = [
        stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "d", tmp_path / "d/ptghub.sqlite3")
    ]
    assert (result.exit_code, modes) == (0, [0o700, 0o600])
