"""``ptghub event``: listing and showing events, with the exit code of an unknown one."""

from __future__ import annotations

from ptghub.store.store import Store
from tests.cli.running import run


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


def test_event_show_prints_the_rooms_and_slots_it_promises(store: Store, database_url: str) -> None:
    code, stdout, _ = run(database_url, "event", "show")
    assert code == 0
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in stdout.splitlines()]
    rows = [row for row in rows if row]
    assert rows[:4] == [
        ["Austin", "50", "yes", "https://meet.example.org/austin"],
        ["Bexar", "20", "no", ""],
        ["Coiste Bainisti", "10", "yes", "https://meet.example.org/coiste"],
        ["Mon-A1", "Mon 2022-04-04", "13:00", "14:00"],
    ]
    assert [row[0] for row in rows[3:11]] == [
        "Mon-A1", "Mon-A2", "Mon-P1", "Mon-P2", "Tue-A1", "Tue-A2", "Tue-P1", "Tue-P2"
    ]  # fmt: skip
    assert "Rooms" in stdout and "Slots (UTC)" in stdout and "Teams" in stdout


def test_event_show_unknown_event_exits_1(store: Store, database_url: str) -> None:
    code, _, stderr = run(database_url, "event", "show", "--event", "nope")
    assert (code, stderr) == (1, "Unknown event 'nope'; 'ptghub event list' shows the events.\n")
