"""The board and the audit log for the terminal (rich tables), and as JSON for machines.

The commands that print them (``board``, ``demo``, ``audit``) import it when they run.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ptghub.core.board import Board, Day, GridCell, TeamLine
from ptghub.core.clock import simulated
from ptghub.core.codec import encode
from ptghub.core.model import CellStatus
from ptghub.store.audit_log import AuditEntry

_MARKS = {CellStatus.FREE: "·", CellStatus.UNAVAILABLE: " "}


def board_json(board: Board) -> str:
    return json.dumps(encode(board), indent=2, ensure_ascii=False)


# Widths in terminal cells: a team in a grid cell (longer slugs end with "…"), a room name.
CELL_WIDTH = 12
ROOM_WIDTH = 24


def print_clock(console: Console, clock: Callable[[], datetime]) -> None:
    """Say so when ``clock`` is simulated (a demo or a rehearsal), not the real time."""
    sim = simulated(clock)
    if sim is not None:
        now = sim()
        console.print(
            Text(
                f"Simulated clock: {now:%a} {now.day} {now:%b %Y %H:%M} UTC, running at "
                f"{sim.pace} (not the real time)."
            )
        )


def print_board(console: Console, board: Board, *, all_days: bool = False) -> None:
    """The board in the console's width (80 columns and up): lines wrap at words, the
    topics and the links are two tables, and a day's grid shows only its open slots,
    in as many tables as the width needs, room names always whole."""
    # Text(...) keeps user strings literal: rich markup in a topic must not be interpreted.
    slot = f"slot {board.current_slot}" if board.current_slot else "no slot running"
    title, when = f"{board.name} ({board.event})", f"{board.at:%a %d %b %H:%M} UTC, {slot}"
    if cell_len(f"{title} — {when}") <= console.width:
        _say(console, f"{title} — {when}")
    else:  # the moment on a line of its own rather than cut in two
        _say(console, title)
        _say(console, when)
    if board.ended:
        end = board.ended
        _say(console, f"This event ended on {end:%A} {end.day} {end:%B %Y}.")
    for message in board.motd:
        _say(console, f"[{message.level.value}] {message.text}")
    active = [line for line in board.teams if line.now or line.next]
    if active:
        console.print(_topics(active, ended=board.ended is not None))
        console.print(_links(active))
    else:
        _say(console, "No team has set a topic yet.")
    if board.checkins:
        _say(
            console,
            "Checked in: " + ", ".join(f"{place} ({count})" for place, count in board.checkins),
        )
    today = board.at.date()
    days = [d for d in board.days if all_days or d.day == today] or list(board.days[:1])
    for day in days:
        for grid in _grids(console, day):
            console.print(grid)
    _say(console, "· free (book with '#TEAM book ROOM-SLOT')")


def _say(console: Console, line: str) -> None:
    """Print a line of text wrapped at words to the console's width."""
    console.print(Text(line), soft_wrap=False)


def _topics(active: list[TeamLine], *, ended: bool) -> Table:
    now, upcoming = ("Last topic", "Was next") if ended else ("Now", "Next")
    table = Table(title="Last topics" if ended else "Now and next", title_justify="left")
    for column in ("Team", now, upcoming, "Where"):
        table.add_column(column, overflow="fold")
    for line in active:
        table.add_row(
            Text(line.slug),
            Text(line.now or ""),
            Text("\n".join(line.next)),
            Text(line.location or ""),
        )
    return table


def _links(active: list[TeamLine]) -> Table:
    table = Table(title="Video and etherpad", title_justify="left")
    table.add_column("Team", overflow="fold")
    table.add_column("Links", overflow="fold")
    for line in active:
        table.add_row(
            Text(line.slug), Text("\n".join(filter(None, (line.video_url, line.etherpad))))
        )
    return table


def _grids(console: Console, day: Day) -> list[Table | Text]:
    """The day's grid without its closed slots and rooms, cut into tables that fit."""
    open_slots = [i for i in range(len(day.slots)) if any(_open(cells[i]) for _, cells in day.rows)]
    rows = [(room, cells) for room, cells in day.rows if any(_open(c) for c in cells)]
    title = f"{day.day:%A %d %B}"
    if not open_slots:
        return [Text(f"{title}: no open slot")]
    chunks: list[list[int]] = [[]]
    for i in open_slots:
        wider = _grid(day, rows, [*chunks[-1], i], title)
        # The table's own measure: console.measure would clamp it to the console's width.
        natural = wider.__rich_measure__(console, console.options).maximum
        if chunks[-1] and natural > console.width:
            chunks.append([])
        chunks[-1].append(i)
    if len(chunks) == 1:
        return [_grid(day, rows, chunks[0], title)]
    return [
        _grid(day, rows, c, f"{title}, {day.slots[c[0]].start:%H:%M}–{day.slots[c[-1]].end:%H:%M}")
        for c in chunks
    ]


def _open(cell: GridCell) -> bool:
    return cell.status is not CellStatus.UNAVAILABLE


def _grid(
    day: Day, rows: list[tuple[str, tuple[GridCell, ...]]], slots: list[int], title: str
) -> Table:
    grid = Table(title=title, title_justify="left")
    longest = max((len(room) for room, _ in rows), default=4)
    grid.add_column(
        "Room", min_width=min(longest, ROOM_WIDTH), max_width=ROOM_WIDTH, overflow="fold"
    )
    for i in slots:
        s = day.slots[i]
        grid.add_column(
            f"{s.code}\n{s.start:%H:%M}", no_wrap=True, max_width=CELL_WIDTH, overflow="ellipsis"
        )
    for room, cells in rows:
        grid.add_row(
            Text(room),
            *(Text(cells[i].team or _MARKS.get(cells[i].status, "?")) for i in slots),
        )
    return grid


def audit_json(entries: list[AuditEntry]) -> str:
    rows: list[dict[str, Any]] = [
        {
            "id": e.id,
            "at": e.at.isoformat(),
            "actor": e.actor,
            "frontend": e.frontend,
            "person_id": e.person_id,
            "person": e.person,
            "author": e.author,
            "text": e.text,
            "events": [ev.to_json() for ev in e.events],
            "reverts": e.reverts,
            "undone_by": e.undone_by,
        }
        for e in entries
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False)


def print_audit(console: Console, entries: list[AuditEntry]) -> None:
    table = Table()
    # Who: the person with the nick and the front end, "Alice Smith (alice, irc)".
    for column in ("#", "When (UTC)", "Who", "Command", "Changes", "Undone"):
        table.add_column(column, overflow="fold")
    for e in entries:
        kinds = sorted({ev.kind for ev in e.events})
        summary = f"{len(e.events)}: {', '.join(kinds)}" if len(kinds) <= 3 else f"{len(e.events)}"
        table.add_row(
            str(e.id),
            f"{e.at:%Y-%m-%d %H:%M:%S}",
            Text(e.author),
            Text(e.text),
            summary,
            f"by #{e.undone_by}" if e.undone_by else "",
        )
    console.print(table)
