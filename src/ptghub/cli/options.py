"""Options that several ``ptghub`` commands take, spelt and explained the same everywhere."""

from __future__ import annotations

from typing import Annotated

import typer

EventOption = Annotated[
    str | None, typer.Option("--event", "-e", help="Event slug (default: the current event).")
]
AsOption = Annotated[
    str | None,
    typer.Option("--as", help="Act as this nick, with its roles (default: the operator)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]
ClockOption = Annotated[
    str | None,
    typer.Option(
        "--clock",
        metavar="MOMENT",
        help="Simulate the clock: it reads MOMENT (e.g. 2022-04-05T15:10Z) when the "
        "command starts, then runs at --clock-speed; 'now': the real time "
        "[env: PTGHUB_CLOCK].",
    ),
]
ClockSpeedOption = Annotated[
    str | None,
    typer.Option(
        "--clock-speed",
        metavar="SPEED",
        help="How fast a simulated clock runs: 1 is real time (the default), 60 makes a "
        "minute pass each second [env: PTGHUB_CLOCK_SPEED].",
    ),
]
