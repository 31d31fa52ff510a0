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


def test_event_show_unknown_event_exits_1(store: Store, database_url: str) -> None:
    code, _, stderr = run(database_url, "event", "show", "--event", "nope")
    assert (code, stderr) == (1, "Unknown event 'nope'; 'ptghub event list' shows the events.\n")
