"""``ptghub cmd``, ``board`` and ``undo``: the command language at the terminal.

``cmd`` runs one command exactly as the chat bots would, ``board`` shows what the
commands made of the event, ``undo`` takes one change back. ``print_result`` prints a
change's reply for these and for ``ptghub role``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from ptghub.cli.context import acting_as, out, reports_errors, state_of
from ptghub.cli.options import AsOption, ClockOption, ClockSpeedOption, EventOption, JsonOption

if TYPE_CHECKING:
    from ptghub.store.results import Result


def print_result(result: Result | None) -> None:
    """The reply, and which subscribers the change concerns (the bots tell them)."""
    if result is None:
        return
    out.print(Text(result.reply))
    if result.notices:
        nicks = ", ".join(sorted({n.nick for n in result.notices}))
        out.print(Text(f"Subscribers matched: {nicks} (the chat bots deliver their notices)"))


@reports_errors
def cmd(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="One command, e.g. '#nova now Placement API'.")],
    as_: AsOption = None,
    event: EventOption = None,
) -> None:
    """Run one command of the chat language exactly as the bot would; print the reply."""
    print_result(state_of(ctx).store().run(text, acting_as(as_), event=event))


@reports_errors
def board(
    ctx: typer.Context,
    as_json: JsonOption = False,
    all_days: Annotated[bool, typer.Option("--all-days", help="Show every day's grid.")] = False,
    event: EventOption = None,
    clock: ClockOption = None,
    clock_speed: ClockSpeedOption = None,
) -> None:
    """Show the live board: messages, now and next per team, and the day's grid.

    With --clock (or PTGHUB_CLOCK), as of that simulated moment: what a server started
    with the same clock shows.
    """
    from ptghub.cli.tables import board_json, print_board, print_clock
    from ptghub.core.board import build_board

    state = state_of(ctx)
    state.use_clock(clock, clock_speed)
    store = state.store()
    current = build_board(store.state(event), store.clock())
    if as_json:
        out.print(board_json(current), markup=False)
    else:
        print_clock(out, store.clock)
        print_board(out, current, all_days=all_days)


@reports_errors
def undo(
    ctx: typer.Context,
    change: Annotated[int, typer.Argument(help="The change's number in 'ptghub audit'.")],
    as_: AsOption = None,
) -> None:
    """Revert one change; the undo is itself a change in the audit log."""
    print_result(state_of(ctx).store().undo(change, acting_as(as_)))
