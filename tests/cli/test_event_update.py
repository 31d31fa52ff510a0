"""``ptghub event update FILE``: the differences, dry runs, refusals and their exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptghub.store.store import Store
from tests.cli.running import run
from tests.event_files import EVENT, edited, loaded
from tests.support import snapshot

REMOVE_BEXAR = edited(
    ("  - name: Bexar\n", ""),
    ("  Bexar: {Mon-A1: cinder}\n", ""),
    ("    name: Nova\n", "    name: Nova Compute\n"),
)


@pytest.fixture
def loaded_event(empty_store: Store, database_url: str, tmp_path: Path) -> Path:
    path = tmp_path / "upd.yaml"
    path.write_text(EVENT)
    assert run(database_url, "event", "load", str(path))[0] == 0
    return path


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "edited.yaml"
    path.write_text(text)
    return path


def test_dry_run_prints_the_differences_and_changes_nothing(
    loaded_event: Path, empty_store: Store, database_url: str, tmp_path: Path
) -> None:
    path = _write(tmp_path, edited(("    name: Nova\n", "    name: Nova Compute\n")))
    version = empty_store.version("upd-ptg")
    code, stdout, stderr = run(database_url, "event", "update", "--dry-run", str(path))
    assert (code, stderr) == (0, "")
    assert stdout == (
        "Differences of upd-ptg:\n"
        "Teams:\n"
        "  changed nova: name 'Nova' -> 'Nova Compute'\n"
        "Dry run: nothing changed.\n"
    )
    assert empty_store.version("upd-ptg") == version


def test_cells_in_a_removed_room_are_refused_with_their_list_and_exit_1(
    loaded_event: Path, empty_store: Store, database_url: str, tmp_path: Path
) -> None:
    path = _write(tmp_path, REMOVE_BEXAR)
    code, stdout, stderr = run(database_url, "event", "update", str(path))
    assert (code, stdout) == (1, "")
    assert stderr == (
        "The update would take 1 cell(s) of the schedule from their teams:\n"
        "  Bexar Mon-A1: cinder (room removed)\n"
        "Move or unbook them first, or say to free them "
        '(ptghub event update --free-cells; "free_cells": true in the API).\n'
    )
    code, stdout, stderr = run(database_url, "event", "update", "--dry-run", str(path))
    assert code == 1
    assert stdout.endswith(
        "Rooms:\n  removed Bexar\nTeams:\n  changed nova: name 'Nova' -> 'Nova Compute'\n"
    )
    assert stderr.startswith("The update would be refused: The update would take 1 cell(s)")
    assert snapshot(empty_store.state("upd-ptg")) == snapshot(loaded())


def test_free_cells_applies_the_update_lists_the_freed_cells_and_undo_reverts_it(
    loaded_event: Path, empty_store: Store, database_url: str, tmp_path: Path
) -> None:
    path = _write(tmp_path, REMOVE_BEXAR)
    code, stdout, stderr = run(database_url, "event", "update", "--free-cells", str(path))
    audit_id = empty_store.audit("upd-ptg")[-1].id
    assert (code, stderr) == (0, "")
    assert stdout == (
        "Differences of upd-ptg:\n"
        "Rooms:\n"
        "  removed Bexar\n"
        "Teams:\n"
        "  changed nova: name 'Nova' -> 'Nova Compute'\n"
        "Cells freed (taken from their teams):\n"
        "  Bexar Mon-A1: cinder (room removed)\n"
        f"OK, event 'upd-ptg' updated: 7 change(s) recorded as #{audit_id} "
        f"('ptghub undo {audit_id}' takes them back).\n"
    )
    assert empty_store.audit("upd-ptg")[-1].text == "event update edited.yaml"
    assert run(database_url, "undo", str(audit_id))[0] == 0
    code, stdout, _ = run(database_url, "event", "update", "--dry-run", str(loaded_event))
    assert (code, stdout) == (0, "Dry run: nothing changed.\n")


def test_loading_a_loaded_event_again_points_to_event_update(
    loaded_event: Path, database_url: str
) -> None:
    code, _, stderr = run(database_url, "event", "load", str(loaded_event))
    assert (code, stderr) == (
        1,
        f"Event 'upd-ptg' already exists; to apply the edited file to it, run "
        f"'ptghub event update {loaded_event}' (--dry-run shows the differences first).\n",
    )


def test_the_same_file_says_there_is_nothing_to_change(
    loaded_event: Path, database_url: str
) -> None:
    code, stdout, _ = run(database_url, "event", "update", str(loaded_event))
    assert (code, stdout) == (
        0,
        "Nothing to change: the event already is as the file defines it.\n",
    )


def test_a_bad_file_exits_2_and_a_non_organizer_1(
    loaded_event: Path, database_url: str, tmp_path: Path
) -> None:
    path = _write(tmp_path, edited(("capacity: 50", "capacity: -3")))
    code, _, stderr = run(database_url, "event", "update", str(path))
    assert code == 2 and stderr.startswith(f"{path}:17: rooms[0].capacity: ")
    code, _, stderr = run(database_url, "event", "update", "--as", "alice", str(loaded_event))
    assert (code, stderr) == (1, "Updating the event needs an organizer; alice is not one.\n")


def test_an_unloaded_event_is_not_found(
    empty_store: Store, database_url: str, tmp_path: Path
) -> None:
    path = _write(tmp_path, EVENT)
    code, _, stderr = run(database_url, "event", "update", str(path))
    assert (code, stderr) == (1, "Unknown event 'upd-ptg'; 'ptghub event list' shows the events.\n")
