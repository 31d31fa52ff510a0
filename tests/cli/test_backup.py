"""``ptghub backup``, ``ptghub restore`` and ``ptghub audit verify``."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update
from typer.testing import CliRunner

from ptghub.cli import app
from ptghub.store import tables as t
from ptghub.store.store import Store
from tests.databases import another_database
from tests.support import NOVA_CHAIR


def run(database_url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--database-url", database_url, *args])
    return result.exit_code, result.stdout, result.stderr


def test_backup_restore_verify_round_trip(store: Store, database_url: str, tmp_path: Path) -> None:
    store.run("#nova now Placement", NOVA_CHAIR)
    file = tmp_path / "ptghub.backup"
    form = "SQLite database" if database_url.startswith("sqlite") else "export"
    assert run(database_url, "backup", str(file)) == (
        0,
        f"Backup written to {file} ({form}): 1 event(s), 2 change(s).\n",
        "",
    )
    with another_database(database_url, tmp_path) as url:
        restored = run(url, "restore", str(file))
        verified = run(url, "audit", "verify")
    assert (restored, verified) == (
        (0, f"Restored {file}: 1 event(s), 2 change(s). 'ptghub audit verify' checks it.\n", ""),
        (0, "OK, the tables match the audit log: 1 event(s), 2 change(s) replayed.\n", ""),
    )


def test_backup_onto_an_existing_file_needs_force(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    file = tmp_path / "ptghub.backup"
    file.write_bytes(b"older backup")
    assert run(database_url, "backup", str(file)) == (
        2,
        "",
        f"{file} exists; give --force to replace it.\n",
    )
    assert file.read_bytes() == b"older backup"
    code, _, _ = run(database_url, "backup", "--force", str(file))
    assert (code, file.read_bytes() == b"older backup") == (0, False)


def test_restore_into_a_database_that_is_not_empty_exits_1(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    file = tmp_path / "ptghub.backup"
    run(database_url, "backup", str(file))
    code, stdout, stderr = run(database_url, "restore", str(file))
    assert (code, stdout) == (1, "")
    assert stderr.endswith(
        "restore into an empty database, or give --force to replace everything in it.\n"
    )
    code, stdout, _ = run(database_url, "restore", "--force", str(file))
    assert (code, stdout) == (
        0,
        f"Restored {file}: 1 event(s), 1 change(s) (what it held before is replaced). "
        "'ptghub audit verify' checks it.\n",
    )


def test_restore_of_a_missing_file_exits_2(database_url: str, tmp_path: Path) -> None:
    file = tmp_path / "nothing.backup"
    assert run(database_url, "restore", str(file)) == (
        2,
        "",
        f"Cannot read the backup {file}: No such file or directory.\n",
    )


def test_audit_verify_of_a_tampered_row_exits_1_with_the_difference(
    store: Store, database_url: str
) -> None:
    result = store.run("#nova now Placement", NOVA_CHAIR)
    assert result is not None
    with store.engine.begin() as conn:
        conn.execute(update(t.topics).values(now="Tampered"))
    assert run(database_url, "audit", "verify") == (
        1,
        "",
        "Difference found (1 event(s), 2 change(s) replayed so far): Event 'test-ptg': "
        "topics['nova'].now is 'Tampered' in the tables, 'Placement' in the audit log "
        f"(the audit log replayed through change #{result.audit_id})\n",
    )
