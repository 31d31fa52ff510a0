"""``ptghub plan``: build a draft schedule from the needs, compare, pin, publish.

The three commands of the organizers' workflow: ``ptghub needs load FILE``, then
``ptghub plan run`` (a draft, with its figures), then ``ptghub plan publish`` (the draft
on the board, one audited change that ``ptghub undo`` takes back). Exit codes as
everywhere: 0 done, 1 refused, 2 invalid input.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from ptghub.cli.context import acting_as, out, reports_errors, state_of
from ptghub.cli.options import AsOption, EventOption, JsonOption
from ptghub.core.codec import encode
from ptghub.core.errors import InvalidInput
from ptghub.core.model import EventState
from ptghub.core.needs import hours
from ptghub.planner.diff import ScheduleDiff, render
from ptghub.planner.instance import Cell, Placement
from ptghub.planner.publish import cell_namer
from ptghub.store import plan_workflow
from ptghub.store.plan_versions import PlanRecord, Plans, PlanStatus

plan_app = typer.Typer(
    help="Build a draft schedule with the solver, compare it, publish it.", no_args_is_help=True
)

NumberArg = Annotated[
    int | None, typer.Argument(help="The plan's number (default: the latest draft).")
]
ShownArg = Annotated[
    int | None,
    typer.Argument(help="The plan's number (default: the latest draft, else the newest plan)."),
]


def _team_namer(state: EventState) -> Callable[[str], str]:
    def name(team: str) -> str:
        found = state.teams.get(team)
        return found.slug if found else team

    return name


def _placement(state: EventState, placement: Placement) -> str:
    team = _team_namer(state)
    guests = "".join(f" +{team(g)}" for g in placement.guests)
    return team(placement.team) + guests


def _print_changes(state: EventState, changes: ScheduleDiff, heading: str) -> None:
    out.print(Text(heading))
    out.print(Text(render(changes, cell_name=cell_namer(state), team_name=_team_namer(state))))


def _print_report(state: EventState, record: PlanRecord) -> None:
    report = record.report
    team = _team_namer(state)
    placed = sum(h.placed for h in report.hours)
    wanted = sum(h.wanted for h in report.hours)
    verdict = "clash-free" if report.clash_free else f"{len(report.violations)} broken rule(s)"
    out.print(
        Text(
            f"Plan #{record.number} "
            f"({record.status.value}, {report.method}, {report.seconds:.1f} s, planned at "
            f"{report.at:%a %d %b %H:%M} UTC): {hours(placed)} of {hours(wanted)} wanted "
            f"placed; {verdict}."
        )
    )
    if report.stages:
        stages = Table("Stage", "Objective", "Bound", "Optimal", "Seconds", title_justify="left")
        for stage in report.stages:
            stages.add_row(
                stage.name,
                str(stage.objective),
                str(stage.bound),
                "yes" if stage.optimal else "no",
                f"{stage.seconds:.1f}",
            )
        out.print(stages)
    table = Table("Team", "Placed", "Wanted", title="Hours per team", title_justify="left")
    for line in report.hours:
        short = " (short)" if line.placed < line.wanted else ""
        table.add_row(Text(team(line.team)), hours(line.placed) + short, hours(line.wanted))
    out.print(table)
    if report.unmet:
        out.print(Text("Unmet wishes:"))
        for sentence in report.unmet:
            out.print(Text(f"- {sentence}"))
    if report.clash_free:
        out.print(Text("Checker: every hard rule holds."))
    else:
        out.print(Text("Checker: broken hard rules:"))
        for finding in report.violations:
            out.print(Text(f"- {finding.message}"))
    _print_changes(state, report.changes, "Against the board when it was made:")


def _dump(data: Any) -> None:
    out.print(json.dumps(data, indent=2, ensure_ascii=False), markup=False)


AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        help="Plan as of this time instead of now: slots begun by then are kept as they "
        "are. ISO 8601, UTC unless it has an offset: 2022-04-01 or 2022-04-05T14:00+02:00.",
    ),
]


def _parse_at(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"--at {value!r} is not a time; expected ISO 8601, e.g. 2022-04-01 or "
            "2022-04-05T14:00+02:00."
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@plan_app.command("run")
@reports_errors
def run(
    ctx: typer.Context,
    time_limit: Annotated[
        float, typer.Option(help="Seconds the solver may take.", min=0.1, max=3600)
    ] = plan_workflow.DEFAULT_TIME_LIMIT,
    work_limit: Annotated[
        float | None,
        typer.Option(
            help="Instead of --time-limit: units of the solver's deterministic work (about "
            "a second each on one core); the same plan on any machine, however loaded.",
            min=0.1,
            max=3600,
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed of the solver.")] = 0,
    at: AtOption = None,
    as_json: JsonOption = False,
    as_: AsOption = None,
    event: EventOption = None,
) -> None:
    """Plan the event from the teams' needs and store a draft (the board is unchanged).

    Slots that have begun and chairs' bookings are kept as they are; the published
    schedule is the starting point, and what would move is reported.
    """
    store = state_of(ctx).store()
    record = plan_workflow.run(
        store,
        acting_as(as_),
        event=event,
        time_limit=time_limit,
        work_limit=work_limit,
        seed=seed,
        at=_parse_at(at),
    )
    state = store.state(event)
    if as_json:
        _dump(record.to_json())
        return
    _print_report(state, record)
    if record.report.clash_free:
        out.print(Text(f"Publish it with: ptghub plan publish {record.number}"))
    else:  # one message: it cannot be published, and why (above)
        out.print(Text("It cannot be published as it is: it breaks the hard rules above."))


def _days(state: EventState) -> list[list[str]]:
    days: dict[object, list[str]] = {}
    for key, slot in state.slots.items():
        days.setdefault(slot.day, []).append(key)
    return list(days.values())


def _print_grid(state: EventState, record: PlanRecord) -> None:
    broken = {cell for finding in record.report.violations for cell in finding.cells}
    rooms = [key for key, room in state.rooms.items() if room.bookable]
    for slots in _days(state):
        day = state.slots[slots[0]].day
        grid = Table(title=f"{day:%A %d %B}", title_justify="left")
        grid.add_column("Room")
        for key in slots:
            times = state.slots[key]
            grid.add_column(f"{times.code}\n{times.start:%H:%M}", no_wrap=True)
        for room in rooms:
            row = [Text(state.rooms[room].name)]
            for slot in slots:
                cell: Cell = (room, slot)
                placement = record.schedule.get(cell)
                if placement is not None:
                    text = _placement(state, placement) + (" !" if cell in broken else "")
                else:
                    text = "·" if cell in state.cells else " "
                row.append(Text(text))
            grid.add_row(*row)
        out.print(grid)
    out.print("· free   ! breaks a hard rule (see 'ptghub plan run' or --json)")


@plan_app.command("show")
@reports_errors
def show(
    ctx: typer.Context,
    number: ShownArg = None,
    as_list: Annotated[bool, typer.Option("--list", help="One line per cell.")] = False,
    as_json: JsonOption = False,
    event: EventOption = None,
) -> None:
    """Show a plan: its figures and its grid (or its cells as a list)."""
    store = state_of(ctx).store()
    record = plan_workflow.find(store, number, event=event, drafts_only=False)
    state = store.state(event)
    if as_json:
        _dump(record.to_json())
        return
    _print_report(state, record)
    if as_list:
        name = cell_namer(state)
        order = {key: i for i, key in enumerate(state.slots)}
        for cell in sorted(record.schedule, key=lambda c: (order.get(c[1], -1), c[0])):
            out.print(Text(f"{name(cell)}  {_placement(state, record.schedule[cell])}"))
    else:
        _print_grid(state, record)


def _against(value: str) -> int | None:
    if value == "published":
        return None
    try:
        return int(value)
    except ValueError:
        raise InvalidInput(
            f"--against '{value}' is not a plan: expected 'published' or a plan's number."
        ) from None


@plan_app.command("diff")
@reports_errors
def diff(
    ctx: typer.Context,
    number: ShownArg = None,
    against: Annotated[
        str,
        typer.Option(help="'published' (the board as it is now) or another plan's number."),
    ] = "published",
    as_json: JsonOption = False,
    event: EventOption = None,
) -> None:
    """What a plan changes, per team: cells added, removed, moved to another room or slot."""
    store = state_of(ctx).store()
    other = _against(against)
    record = plan_workflow.find(store, number, event=event, drafts_only=False)
    changes = plan_workflow.compare(store, record, other, event=event)
    state = store.state(event)
    if as_json:
        _dump({**encode(changes), "share": changes.share})
        return
    what = "the board" if other is None else f"plan #{other}"
    _print_changes(state, changes, f"Plan #{record.number} against {what}:")


@plan_app.command("pin")
@reports_errors
def pin(
    ctx: typer.Context,
    cell: Annotated[str, typer.Argument(help="ROOM-SLOT, e.g. Austin-Tue-15h.")],
    team: Annotated[str, typer.Argument(help="The team to keep in that cell.")],
    as_: AsOption = None,
    event: EventOption = None,
) -> None:
    """Keep TEAM in the cell in every later run (the board is unchanged until publish).

    Example, on the demo event: ptghub plan pin Austin-Tue-15h nova
    """
    result = plan_workflow.pin(state_of(ctx).store(), acting_as(as_), cell, team, event=event)
    out.print(Text(result.reply))


@plan_app.command("unpin")
@reports_errors
def unpin(
    ctx: typer.Context,
    cell: Annotated[str, typer.Argument(help="ROOM-SLOT, e.g. Austin-Tue-15h.")],
    as_: AsOption = None,
    event: EventOption = None,
) -> None:
    """Let later runs place any team in the cell again."""
    result = plan_workflow.pin(state_of(ctx).store(), acting_as(as_), cell, None, event=event)
    out.print(Text(result.reply))


@plan_app.command("publish")
@reports_errors
def publish(
    ctx: typer.Context,
    number: NumberArg = None,
    at: AtOption = None,
    as_: AsOption = None,
    event: EventOption = None,
) -> None:
    """Put a draft on the board: its cells become planned for their teams, in one change."""
    record, result = plan_workflow.publish(
        state_of(ctx).store(), acting_as(as_), number, event=event, at=_parse_at(at)
    )
    if result.audit_id is None:
        out.print(Text(f"OK, plan #{record.number} is published; the board showed it already."))
        return
    out.print(
        Text(
            f"OK, plan #{record.number} is published: {len(result.events)} cell change(s), "
            f"recorded as change #{result.audit_id} ('ptghub undo {result.audit_id}' "
            "takes it back)."
        )
    )


_STATUS_TEXT = {
    PlanStatus.DRAFT: "draft",
    PlanStatus.PUBLISHED: "published",
    PlanStatus.SUPERSEDED: "superseded",
}


@plan_app.command("versions")
@reports_errors
def versions(ctx: typer.Context, as_json: JsonOption = False, event: EventOption = None) -> None:
    """List the drafts and published versions of the event's plan, oldest first."""
    store = state_of(ctx).store()
    records = Plans(store.engine).all(event)
    current = Plans(store.engine).current(event)
    if as_json:
        _dump([{k: v for k, v in r.to_json().items() if k != "schedule"} for r in records])
        return
    if not records:
        out.print("No plan yet; 'ptghub plan run' makes a draft.")
        return
    for r in records:
        status = _STATUS_TEXT[r.status]
        if current is not None and r.number == current.number:
            status += " (on the board)"
        placed = sum(h.placed for h in r.report.hours)
        wanted = sum(h.wanted for h in r.report.hours)
        verdict = "clash-free" if r.report.clash_free else f"{len(r.report.violations)} broken"
        line = (
            f"#{r.number}  {status}  made {r.created_at:%Y-%m-%d %H:%M} UTC by {r.created_by}, "
            f"{r.report.method}, {hours(placed)} of {hours(wanted)}, {verdict}"
        )
        if r.published_at is not None:
            line += f"; published {r.published_at:%Y-%m-%d %H:%M} UTC"
            if r.published_audit_id is not None:
                line += f" as change #{r.published_audit_id}"
            if r.undone_by is not None:
                line += f", undone by #{r.undone_by}"
        out.print(Text(line))
