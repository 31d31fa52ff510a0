"""The board and the audit log for the terminal (rich tables), and as JSON for machines.

The commands that print them (``board``, ``demo``, ``audit``) import it when they run.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ptghub.core.board import Board
from ptghub.core.clock import simulated
from ptghub.core.codec import encode
from ptghub.core.model import CellStatus
from ptghub.store.audit_log import AuditEntry

_MARKS = {CellStatus.FREE: "·", CellStatus.UNAVAILABLE: " "}


def board_json(board: Board) -> str:
    return json.dumps(encode(board), indent=2, ensure_ascii=False)


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
    # Text(...) keeps user strings literal: rich markup in a topic must not be interpreted.
    slot = f"slot {board.current_slot}" if board.current_slot else "no slot running"
    console.print(Text(f"{board.name} ({board.event}) — {board.at:%a %d %b %H:%M} UTC, {slot}"))
    if board.ended:
        end = board.ended
        console.print(Text(f"This event ended on {end:%A} {end.day} {end:%B %Y}."))
    for message in board.motd:
        console.print(Text(f"[{message.level.value}] {message.text}"))
    active = [line for line in board.teams if line.now or line.next]
    now, upcoming = ("Last topic", "Was next") if board.ended else ("Now", "Next")
    title = "Last topics" if board.ended else "Now and next"
    table = Table(title=title, title_justify="left")
    for column in ("Team", now, upcoming, "Where", "Video", "Etherpad"):
        table.add_column(column, overflow="fold")
    for line in active:
        table.add_row(
            Text(line.slug),
            Text(line.now or ""),
            Text("\n".join(line.next)),
            Text(line.location or ""),
            Text(line.video_url or ""),
            Text(line.etherpad),
        )
    if active:
        console.print(table)
    else:
        console.print("No team has set a topic yet.")
    if board.checkins:
        where = ", ".join(f"{place} ({count})" for place, count in board.checkins)
        console.print(Text(f"Checked in: {where}"))
    today = board.at.date()
    days = [d for d in board.days if all_days or d.day == today] or list(board.days[:1])
    for day in days:
        grid = Table(title=f"{day.day:%A %d %B}", title_justify="left")
        grid.add_column("Room")
        for s in day.slots:
            grid.add_column(f"{s.code}\n{s.start:%H:%M}", no_wrap=True)
        for room, cells in day.rows:
            grid.add_row(
                Text(room),
                *(Text(c.team if c.team else _MARKS.get(c.status, "?")) for c in cells),
            )
        console.print(grid)
    console.print("· free (book with '#TEAM book ROOM-SLOT')")


def audit_json(entries: list[AuditEntry]) -> str:
    rows: list[dict[str, Any]] = [
        {
            "id": e.id,
            "at": e.at.isoformat(),
            "actor": e.actor,
            "frontend": e.frontend,
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
    for column in ("#", "When (UTC)", "Who", "Via", "Command", "Changes", "Undone"):
        table.add_column(column, overflow="fold")
    for e in entries:
        kinds = sorted({ev.kind for ev in e.events})
        summary = f"{len(e.events)}: {', '.join(kinds)}" if len(kinds) <= 3 else f"{len(e.events)}"
        table.add_row(
            str(e.id),
            f"{e.at:%Y-%m-%d %H:%M:%S}",
            Text(e.actor),
            e.frontend,
            Text(e.text),
            summary,
            f"by #{e.undone_by}" if e.undone_by else "",
        )
    console.print(table)
