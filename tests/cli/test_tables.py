"""The board for the terminal: readable in 80 columns, the day's open slots only."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache
from importlib import resources

from rich.cells import cell_len
from rich.console import Console

from ptghub import demo
from ptghub.cli.tables import print_board
from ptghub.commands.run import execute
from ptghub.core.apply import apply_all
from ptghub.core.board import build_board
from ptghub.core.model import Actor, EventState
from ptghub.eventfile import load_event_file

TUESDAY_15_10 = datetime(2022, 4, 5, 15, 10, tzinfo=UTC)  # the demo in its slot Tue-15h


@cache
def running_demo() -> EventState:
    """The demo event with the sample commands `ptghub demo` runs after loading it."""
    with resources.as_file(resources.files(demo) / demo.FILE) as path:
        state = apply_all(EventState(), load_event_file(path))
    for nick, text in demo.SAMPLE_COMMANDS:
        applied = execute(state, text, Actor(nick, frontend="demo"), TUESDAY_15_10)
        assert applied is not None
        state = applied.state
    return state


def board_text(state: EventState, width: int = 80, *, all_days: bool = False) -> list[str]:
    # As the CLI's console: soft wrap, so that only what print_board wraps is wrapped.
    console = Console(width=width, file=io.StringIO(), soft_wrap=True, color_system=None)
    print_board(console, build_board(state, TUESDAY_15_10), all_days=all_days)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    return str(output).splitlines()


def headers(lines: list[str]) -> list[str]:
    """The slot codes heading the grid's columns, in order."""
    return [code for line in lines for code in re.findall(r"┃ ((?:Mon|Tue|Wed|Thu|Fri)-\w+)", line)]


def test_board_of_the_running_demo_fits_80_columns() -> None:
    lines = board_text(running_demo(), all_days=True)
    assert [line for line in lines if cell_len(line) > 80] == []
    assert lines[:2] == [
        "Project Teams Gathering, April 2022 (ptg-2022-04)",
        "Tue 05 Apr 15:10 UTC, slot Tue-15h",
    ]


def test_board_shows_every_room_name_whole_and_every_open_slot_once() -> None:
    state = running_demo()
    lines = board_text(state)
    rooms = [room.name for room in state.rooms.values()]
    tuesday = [slot.code for slot in state.slots.values() if slot.code.startswith("Tue")]
    assert [
        room for room in rooms if not any(line.startswith(f"│ {room} ") for line in lines)
    ] == []
    assert headers(lines) == tuesday


def test_board_leaves_out_slots_and_rooms_closed_all_day() -> None:
    state = running_demo()
    night = {key for key, slot in state.slots.items() if slot.code in {"Tue-00h", "Tue-01h"}}
    closed = {
        where: cell
        for where, cell in state.cells.items()
        if where[1] not in night and where[0] != "pike"
    }
    lines = board_text(replace(state, cells=closed))
    assert headers(lines)[:2] == ["Tue-02h", "Tue-03h"]
    assert [line for line in lines if line.startswith("│ Pike ")] == []


def test_board_with_long_topics_links_and_names_still_fits() -> None:
    long = "x" * 120
    state = running_demo()
    for text in (
        f"~add {'a' * 40}",
        f"#{'a' * 40} now {long}",
        f"#nova next {long}",
        f"#nova etherpad https://example.org/{long}",
        f"~motd add info {long} {long}",
    ):
        applied = execute(state, text, Actor("ptg-organizer", frontend="demo"), TUESDAY_15_10)
        assert applied is not None
        state = applied.state
    lines = board_text(state)
    assert [line for line in lines if cell_len(line) > 80] == []
    assert any(line.startswith("│ aaaaaaaa") for line in lines)


def test_board_says_when_a_day_has_no_open_slot() -> None:
    state = running_demo()
    tuesday = {key for key, slot in state.slots.items() if slot.code.startswith("Tue")}
    closed = {where: cell for where, cell in state.cells.items() if where[1] not in tuesday}
    lines = board_text(replace(state, cells=closed))
    assert (headers(lines), "Tuesday 05 April: no open slot" in lines) == ([], True)
