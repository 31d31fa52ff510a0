"""Database engines: files private to their owner, and no migration work when up to date."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ptghub.core.model import Actor
from ptghub.store import engine as engine_module
from ptghub.store.store import Store
from tests.support import small_event

VERSIONS = Path(engine_module.MIGRATIONS) / "versions"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The common umask 022, under which files are created readable by everyone."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_head_is_the_newest_revision_of_the_migrations_directory() -> None:
    revisions: dict[str, str | None] = {}
    for path in VERSIONS.glob("*.py"):
        text = path.read_text()
        revision = re.search(r'^revision = "([^"]+)"', text, re.M)
        down = re.search(r'^down_revision = (?:"([^"]+)"|None)', text, re.M)
        assert revision is not None and down is not None, path
        revisions[revision[1]] = down[1]
    heads = set(revisions) - set(revisions.values())
    assert heads == {engine_module.HEAD}


def test_sqlite_database_and_data_dir_are_created_private(tmp_path: Path, open_umask: None) -> None:
    data_dir = tmp_path / "data"
    database = data_dir / "ptghub.sqlite3"
    store = Store.open(f"sqlite:///{database}")
    try:
        store.create_event(small_event(), Actor("loader", operator=True), "test setup")
        wal, shm = Path(f"{database}-wal"), Path(f"{database}-shm")
        assert (_mode(data_dir), _mode(database), _mode(wal), _mode(shm)) == (
            0o700,
            0o600,
            0o600,
            0o600,
        )
    finally:
        store.close()


def test_sqlite_database_in_an_existing_directory_keeps_the_directory_mode(
    tmp_path: Path, open_umask: None
) -> None:
    data_dir = tmp_path / "shared"
    data_dir.mkdir(mode=0o750)
    Store.open(f"sqlite:///{data_dir / 'ptghub.sqlite3'}").close()
    assert (_mode(data_dir), _mode(data_dir / "ptghub.sqlite3")) == (0o750, 0o600)


def test_store_open_of_an_up_to_date_database_does_not_import_alembic(
    database_url: str,
) -> None:
    Store.open(database_url).close()
    script = (
        "import sys\n"
        "from ptghub.store.store import Store\n"
        "Store.open(sys.argv[1]).close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, database_url],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert done.stdout == "[]\n"


def test_schema_revision_of_a_new_database_is_none_then_head(database_url: str) -> None:
    engine = engine_module.make_engine(database_url)
    try:
        before = engine_module.schema_revision(engine)
        engine_module.migrate(engine)
        assert (before, engine_module.schema_revision(engine)) == (None, engine_module.HEAD)
    finally:
        engine.dispose()
