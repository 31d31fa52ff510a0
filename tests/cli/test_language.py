"""``ptghub cmd``, ``board`` and ``undo``: the command language at the terminal, with
its exit codes, against a real database."""

from __future__ import annotations

import json
from pathlib import Path

from ptghub.store.store import Store
from tests.cli.running import run


def test_cmd_applied_exits_0_and_prints_reply(store: Store, database_url: str) -> None:
    code, stdout, _ = run(database_url, "cmd", "--as", "nchair", "#nova now Placement API")
    assert (code, stdout) == (
        0,
        "OK, nova now discusses: Placement API Note: nova is not scheduled today.\n",
    )


def test_cmd_refused_exits_1_with_message(store: Store, database_url: str) -> None:
    code, stdout, stderr = run(database_url, "cmd", "--as", "alice", "#cinder book Austin-Mon-A1")
    assert (code, stdout, stderr) == (1, "", "Austin-Mon-A1 is already planned for nova.\n")


def test_cmd_invalid_exits_2_with_message(store: Store, database_url: str) -> None:
    code, stdout, stderr = run(database_url, "cmd", "--as", "alice", "#nova color notacolour")
    assert (code, stdout) == (2, "")
    assert stderr == (
        "'notacolour' is not a CSS colour; use a name (red), #rgb, #rrggbb or rgb(r, g, b).\n"
    )


def test_cmd_permission_refused_exits_1(store: Store, database_url: str) -> None:
    code, _, stderr = run(database_url, "cmd", "--as", "alice", "~add manila")
    assert (code, stderr) == (1, "'~add' needs an organizer; alice is not one.\n")


def test_cmd_without_as_runs_as_operator(store: Store, database_url: str) -> None:
    code, stdout, _ = run(database_url, "cmd", "~add manila")
    assert (code, stdout) == (0, "OK, added manila\n")


def test_cmd_reports_matched_subscribers(store: Store, database_url: str) -> None:
    run(database_url, "cmd", "--as", "alice", "subscribe nova")
    code, stdout, _ = run(database_url, "cmd", "--as", "nchair", "#nova next Quotas")
    assert code == 0
    assert stdout.splitlines()[-1] == (
        "Subscribers matched: alice (the chat bots deliver their notices)"
    )


def test_cmd_without_any_event_says_how_to_load_one(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    code, _, stderr = run(url, "cmd", "~list")
    assert (code, stderr) == (
        1,
        "There is no current event; load one with 'ptghub event load FILE' or 'ptghub demo'.\n",
    )


def test_board_json_shows_topics(store: Store, database_url: str) -> None:
    run(database_url, "cmd", "--as", "nchair", "#nova now Placement API")
    code, stdout, _ = run(database_url, "board", "--json")
    assert code == 0
    board = json.loads(stdout)
    nova = next(team for team in board["teams"] if team["slug"] == "nova")
    assert (board["event"], nova["now"], nova["etherpad"]) == (
        "test-ptg",
        "Placement API",
        "https://etherpad.opendev.org/p/test-ptg-nova",
    )
    assert [d["day"] for d in board["days"]] == ["2022-04-04", "2022-04-05"]


def test_board_text_lists_active_team(store: Store, database_url: str) -> None:
    run(database_url, "cmd", "--as", "nchair", "#nova now Placement API")
    code, stdout, _ = run(database_url, "board")
    assert code == 0
    assert stdout.splitlines()[0].startswith("Test PTG (test-ptg) — ")
    assert "Placement API" in stdout  # the table's layout depends on the terminal width


def test_audit_and_undo_round_trip(store: Store, database_url: str) -> None:
    run(database_url, "cmd", "--as", "alice", "#cinder book Coiste Bainisti-Mon-P1")
    code, stdout, _ = run(database_url, "audit", "--json", "--limit", "1")
    (entry,) = json.loads(stdout)
    assert (code, entry["actor"], entry["frontend"], entry["text"]) == (
        0,
        "alice",
        "cli",
        "#cinder book Coiste Bainisti-Mon-P1",
    )
    code, stdout, _ = run(database_url, "undo", str(entry["id"]))
    assert (code, stdout) == (
        0,
        f"OK, change #{entry['id']} (#cinder book Coiste Bainisti-Mon-P1) is undone.\n",
    )
    code, _, stderr = run(database_url, "undo", str(entry["id"]))
    assert (code, stderr) == (
        1,
        f"Change #{entry['id']} was already undone by #{entry['id'] + 1}.\n",
    )


def test_undo_as_non_organizer_is_refused(store: Store, database_url: str) -> None:
    run(database_url, "cmd", "--as", "alice", "#cinder book Coiste Bainisti-Mon-P1")
    audit_id = store.audit()[-1].id
    code, _, stderr = run(database_url, "undo", str(audit_id), "--as", "alice")
    assert (code, stderr) == (1, "Undo needs an organizer; alice is not one.\n")
