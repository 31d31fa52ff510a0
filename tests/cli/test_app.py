"""The command line: each command against a real database, with its exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from ptghub.cli import app
from ptghub.store.store import Store
from tests.support import small_event


def run(database_url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--database-url", database_url, *args])
    return result.exit_code, result.stdout, result.stderr


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


def test_role_grant_then_chair_can_change_closed_event(store: Store, database_url: str) -> None:
    run(database_url, "cmd", "~requirevoice")
    code, _, stderr = run(database_url, "cmd", "--as", "bob", "#cinder now Backups")
    assert (code, stderr) == (
        1,
        "Only a chair of cinder or an organizer can change it; bob is neither.\n",
    )
    assert run(database_url, "role", "grant", "bob", "chair", "cinder")[:2] == (
        0,
        "OK, bob is now chair of cinder.\n",
    )
    assert run(database_url, "cmd", "--as", "BOB", "#cinder now Backups")[0] == 0
    assert run(database_url, "role", "revoke", "bob", "chair", "cinder")[:2] == (
        0,
        "OK, bob is no longer chair of cinder.\n",
    )


def test_role_grant_with_bad_role_exits_2(store: Store, database_url: str) -> None:
    code, _, stderr = run(database_url, "role", "grant", "bob", "king")
    assert (code, stderr) == (
        2,
        "Wrong arguments: expected '~role grant|revoke NICK organizer' or "
        "'~role grant|revoke NICK chair TEAM'.\n",
    )


def test_event_list_and_show(store: Store, database_url: str) -> None:
    code, stdout, _ = run(database_url, "event", "list")
    assert (code, stdout) == (0, "* test-ptg  Test PTG  2022-04-04 – 2022-04-05\n")
    code, stdout, _ = run(database_url, "event", "show")
    assert code == 0
    assert stdout.splitlines()[:3] == [
        "Test PTG (test-ptg), virtual, UTC",
        "2022-04-04 – 2022-04-05, contact ptg@example.org",
        "3 rooms, 8 slots, 4 teams",
    ]


def test_event_show_unknown_event_exits_1(store: Store, database_url: str) -> None:
    code, _, stderr = run(database_url, "event", "show", "--event", "nope")
    assert (code, stderr) == (1, "Unknown event 'nope'; 'ptghub event list' shows the events.\n")


def test_cmd_without_any_event_says_how_to_load_one(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    code, _, stderr = run(url, "cmd", "~list")
    assert (code, stderr) == (
        1,
        "There is no current event; load one with 'ptghub event load FILE' or 'ptghub demo'.\n",
    )


def test_init_creates_database_in_data_dir(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path / "d"), "init"])
    assert result.exit_code == 0
    assert (tmp_path / "d" / "ptghub.sqlite3").is_file()


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


def test_person_nicks_share_roles(store: Store, database_url: str) -> None:
    code, stdout, _ = run(database_url, "person", "add", "olivia", "olivia_", "--name", "Olivia O.")
    assert (code, stdout) == (0, "OK, person #1 Olivia O.: olivia, olivia_\n")
    # olivia is an organizer of the test event; her other nick acts with her roles.
    assert run(database_url, "cmd", "--as", "Olivia_", "~add manila")[:2] == (
        0,
        "OK, added manila\n",
    )
    assert run(database_url, "person", "list")[1] == "#1  Olivia O.  olivia, olivia_\n"


def test_person_nick_belongs_to_one_person(store: Store, database_url: str) -> None:
    run(database_url, "person", "add", "alice", "--name", "Alice")
    code, _, stderr = run(database_url, "person", "add", "ALICE", "--name", "Other")
    assert (code, stderr) == (1, "A nick is already taken by Alice (alice).\n")
