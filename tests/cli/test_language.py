"""``ptghub cmd``, ``board`` and ``undo``: the command language at the terminal, with
its exit codes, against a real database."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ptghub.cli import app
from ptghub.core.clock import SimulatedClock
from ptghub.store.store import Store
from ptghub.web.app import create_app
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


def _live(board: dict[str, object]) -> object:
    """What both boards must agree on: the slot, the end, each team's now/next/room."""
    teams = board["teams"]
    assert isinstance(teams, list)
    lines = [(t["slug"], t["now"], t["next"], t["room"], t["location"]) for t in teams]
    return board["current_slot"], board["ended"], lines


def test_board_with_a_clock_agrees_with_the_web_board(store: Store, database_url: str) -> None:
    run(database_url, "cmd", "--as", "nchair", "#nova now Placement API")
    moment = "2022-04-04T14:40Z"  # Monday, slot Mon-A2 (14:00-15:00)
    code, stdout, _ = run(database_url, "board", "--json", "--clock", moment)
    terminal = json.loads(stdout)
    web_store = Store.open(
        database_url, clock=SimulatedClock(datetime(2022, 4, 4, 14, 40, tzinfo=UTC))
    )
    try:
        with TestClient(create_app(web_store)) as client:
            web = client.get("/api/v1/events/test-ptg/board").json()
            page = client.get("/events/test-ptg/board").text
    finally:
        web_store.close()
    assert code == 0 and terminal["current_slot"] == "Mon-A2"
    assert _live(terminal) == _live(web)
    assert re.search(r'<span class="current-slot">.*?<code>Mon-A2</code>', page)
    code, stdout, _ = run(database_url, "board", "--clock", moment)
    assert stdout.splitlines()[:2] == [
        "Simulated clock: Mon 4 Apr 2022 14:40 UTC, running at 1x (not the real time).",
        "Test PTG (test-ptg) — Mon 04 Apr 14:40 UTC, slot Mon-A2",
    ]


def test_board_after_the_event_says_it_ended_as_the_web_board_does(
    store: Store, database_url: str
) -> None:
    code, stdout, _ = run(database_url, "board", "--clock", "2022-04-06T09:00Z")
    lines = stdout.splitlines()
    assert (code, lines[1], lines[2]) == (
        0,
        "Test PTG (test-ptg) — Wed 06 Apr 09:00 UTC, no slot running",
        "This event ended on Tuesday 5 April 2022.",
    )
    code, stdout, _ = run(database_url, "board", "--json", "--clock", "2022-04-06T09:00Z")
    assert json.loads(stdout)["ended"] == "2022-04-05"


def test_board_reads_the_clock_setting(store: Store, database_url: str) -> None:
    result = CliRunner().invoke(
        app,
        ["--database-url", database_url, "board"],
        env={"PTGHUB_CLOCK": "2022-04-05T10:30+01:00", "PTGHUB_CLOCK_SPEED": "60"},
    )
    assert result.stdout.splitlines()[:2] == [
        "Simulated clock: Tue 5 Apr 2022 09:30 UTC, running at 60x (not the real time).",
        "Test PTG (test-ptg) — Tue 05 Apr 09:30 UTC, no slot running",
    ]


def test_board_refuses_a_bad_clock(store: Store, database_url: str) -> None:
    code, _, stderr = run(database_url, "board", "--clock", "tomorrow")
    assert code == 2
    assert stderr.startswith("The clock must be an ISO 8601 moment with its zone")
    code, _, stderr = run(database_url, "board", "--clock-speed", "0")
    assert (code, stderr.split(";")[0]) == (
        2,
        "The clock speed must be a number above 0 and at most 100000 (1 is real time, 60 makes a "
        "minute pass each second)",
    )


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
