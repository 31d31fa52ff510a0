"""``ptghub needs``: what each team asks of the schedule, and the event's planning rules.

Every change goes through ``Store.change`` with the builders of ``commands.needs``
(the API uses the same), so the permission checks, validation and audit are shared.
Exit codes as in the rest of the CLI: 0 done, 1 refused, 2 invalid input.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from ptghub.cli.context import acting_as, out, reports_errors, state_of
from ptghub.cli.options import AsOption, EventOption, JsonOption
from ptghub.commands import needs as needs_changes
from ptghub.core.errors import InvalidInput
from ptghub.core.model import EventState, team_key
from ptghub.core.needs import day_name, hours
from ptghub.core.permissions import require_team
from ptghub.core.team_needs import TeamNeeds
from ptghub.eventfile.needs_fields import rules_fields, team_fields
from ptghub.eventfile.needs_file import export_text, read_text
from ptghub.store.results import Result

needs_app = typer.Typer(
    help="Team needs (hours, days, clashes, joint sessions) and planning rules.",
    no_args_is_help=True,
)

HoursArg = Annotated[
    str, typer.Option("--hours", help="Hours the team needs in all (1.5 = 90 min).")
]


def _print(result: Result) -> None:
    out.print(Text(result.reply))


@needs_app.command("load")
@reports_errors
def load(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Needs file (YAML, see docs/needs.md).")],
    event: EventOption = None,
    as_: AsOption = None,
) -> None:
    """Replace every team's needs and the planning rules with those of FILE, as one change."""
    text = read_text(file)
    build = needs_changes.load_text(text, str(file))
    _print(
        state_of(ctx).store().change(build, acting_as(as_), f"needs load {file.name}", event=event)
    )


def _pairs(values: list[str], option: str, what: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for value in values:
        team, sep, amount = value.partition("=")
        if not sep or not team.strip() or not amount.strip():
            raise InvalidInput(f"{option} '{value}' is not TEAM={what}; e.g. {option} cinder=2.")
        pairs[team.strip()] = amount.strip()
    return pairs


def _number(text: str) -> Any:
    """Numbers typed on the command line, as a file would hold them (else the text)."""
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


@needs_app.command("set")
@reports_errors
def set_needs(
    ctx: typer.Context,
    team: Annotated[str, typer.Argument(help="The team, e.g. nova.")],
    hours_: HoursArg,
    max_per_day: Annotated[
        str | None, typer.Option("--max-per-day", help="At most this many hours a day.")
    ] = None,
    day: Annotated[
        list[str] | None, typer.Option("--day", help="Preferred day: a date or Mon, Tue...")
    ] = None,
    window: Annotated[
        list[str] | None, typer.Option("--window", help="Preferred time, HH:MM-HH:MM.")
    ] = None,
    avoid: Annotated[
        list[str] | None, typer.Option("--avoid", help="A team never to overlap with.")
    ] = None,
    rather_not: Annotated[
        list[str] | None,
        typer.Option("--rather-not", help="TEAM=WEIGHT: rather not overlap (weight 1 or more)."),
    ] = None,
    joint: Annotated[
        list[str] | None,
        typer.Option("--joint", help="TEAM=HOURS: a joint session this team hosts."),
    ] = None,
    room_size: Annotated[
        int | None, typer.Option("--room-size", help="People the room must hold.")
    ] = None,
    onboarding: Annotated[
        bool, typer.Option("--onboarding/--no-onboarding", help="Wants an onboarding session.")
    ] = False,
    cross_project: Annotated[
        bool,
        typer.Option("--cross-project/--no-cross-project", help="A cross-project team."),
    ] = False,
    event: EventOption = None,
    as_: AsOption = None,
) -> None:
    """State (replace) what TEAM needs: a chair of the team or an organizer."""
    fields: dict[str, Any] = {
        "hours": _number(hours_),
        "max_hours_per_day": None if max_per_day is None else _number(max_per_day),
        "days": list(day or []),
        "windows": list(window or []),
        "avoid": list(avoid or []),
        "rather_not": {
            t: _number(w) for t, w in _pairs(rather_not or [], "--rather-not", "WEIGHT").items()
        },
        "joint": {t: _number(h) for t, h in _pairs(joint or [], "--joint", "HOURS").items()},
        "room_size": room_size,
        "onboarding": onboarding,
        "cross_project": cross_project,
    }
    build = needs_changes.set_team(team, fields)
    _print(state_of(ctx).store().change(build, acting_as(as_), f"needs set {team}", event=event))


@needs_app.command("clear")
@reports_errors
def clear(
    ctx: typer.Context,
    team: Annotated[str, typer.Argument(help="The team, e.g. nova.")],
    event: EventOption = None,
    as_: AsOption = None,
) -> None:
    """Remove what TEAM needs: the planner leaves it out."""
    build = needs_changes.clear_team(team)
    _print(state_of(ctx).store().change(build, acting_as(as_), f"needs clear {team}", event=event))


@needs_app.command("rules")
@reports_errors
def rules(
    ctx: typer.Context,
    max_per_day: Annotated[
        str | None,
        typer.Option(
            "--max-per-day", help="At most this many hours a day per team ('none': no cap)."
        ),
    ] = None,
    max_total: Annotated[
        str | None,
        typer.Option(
            "--max-total", help="At most this many hours in all per team ('none': no cap)."
        ),
    ] = None,
    cross_project_day: Annotated[
        list[str] | None,
        typer.Option(
            "--cross-project-day",
            help="A day only for cross-project teams (repeat; 'none' clears them).",
        ),
    ] = None,
    onboarding_hours: Annotated[
        str | None, typer.Option("--onboarding-hours", help="Length of an onboarding session.")
    ] = None,
    window: Annotated[
        list[str] | None,
        typer.Option(
            "--window",
            help="The event's usual hours, HH:MM-HH:MM on the event's clock (repeat; 'none' "
            "clears them): a team that names no windows of its own prefers these.",
        ),
    ] = None,
    as_json: JsonOption = False,
    event: EventOption = None,
    as_: AsOption = None,
) -> None:
    """Show the planning rules; with options, change those given (organizers)."""
    given: dict[str, Any] = {}
    if max_per_day is not None:
        given["max_hours_per_day"] = _number(max_per_day)
    if max_total is not None:
        given["max_hours"] = _number(max_total)
    if cross_project_day is not None:
        days = [d for d in cross_project_day if d.strip().lower() != "none"]
        given["cross_project_days"] = days
    if onboarding_hours is not None:
        given["onboarding_hours"] = _number(onboarding_hours)
    if window is not None:
        given["windows"] = [w for w in window if w.strip().lower() != "none"]
    store = state_of(ctx).store()
    if given:
        build = needs_changes.set_rules(given, merge=True)
        text = "needs rules " + " ".join(f"{k}={v}" for k, v in given.items())
        _print(store.change(build, acting_as(as_), text, event=event))
    state = store.state(event)
    if as_json:
        typer.echo(json.dumps(rules_fields(state.plan_rules, as_json=True), indent=2))
        return
    _print_rules(state)


def _print_rules(state: EventState) -> None:
    r = state.plan_rules
    per_day = "no cap" if r.max_minutes_per_day is None else hours(r.max_minutes_per_day)
    total = "no cap" if r.max_minutes_total is None else hours(r.max_minutes_total)
    days = ", ".join(day_name(d) for d in sorted(r.cross_project_days)) or "none"
    usual = ", ".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in r.windows) or "any time"
    out.print(
        Text(
            f"Rules: per team and day {per_day}; per team in all {total}; "
            f"cross-project days {days}; onboarding session {hours(r.onboarding_minutes)}; "
            f"usual hours {usual}."
        )
    )


@needs_app.command("show")
@reports_errors
def show(
    ctx: typer.Context,
    team: Annotated[str | None, typer.Argument(help="Only this team.")] = None,
    as_json: JsonOption = False,
    event: EventOption = None,
) -> None:
    """Show what each team needs (or one team), and the planning rules."""
    state = state_of(ctx).store().state(event)
    if team is not None:
        require_team(state, team)
    keys = [team_key(team)] if team is not None else sorted(state.needs)
    if as_json:
        teams = {
            state.teams[k].slug: team_fields(state, state.needs[k], as_json=True)
            for k in keys
            if k in state.needs
        }
        if team is not None:
            slug = state.teams[keys[0]].slug
            one = {"team": slug, **teams[slug]} if slug in teams else None
            typer.echo(json.dumps(one, indent=2, ensure_ascii=False))
        else:
            body = {"rules": rules_fields(state.plan_rules, as_json=True), "teams": teams}
            typer.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return
    if team is None:
        _print_rules(state)
    stated = [state.needs[k] for k in keys if k in state.needs]
    if not stated:
        none = f"{state.teams[keys[0]].slug} has no needs stated." if team else "No needs yet."
        out.print(Text(none))
        return
    out.print(_table(state, stated))


def _table(state: EventState, stated: list[TeamNeeds]) -> Table:
    table = Table()
    columns = (
        "Team",
        "Hours",
        "Per day",
        "Days",
        "Windows",
        "Avoid",
        "Rather not",
        "Joint",
        "Room size",
        "Onboarding",
        "Cross-project",
    )
    for column in columns:
        # Names and hours stay whole; the lists fold when the terminal is narrow.
        table.add_column(column, overflow="fold", no_wrap=column in ("Team", "Hours", "Per day"))

    def slug(key: str) -> str:
        return state.teams[key].slug if key in state.teams else key

    for needs in stated:
        table.add_row(
            Text(slug(needs.team)),
            hours(needs.minutes),
            hours(needs.max_minutes_per_day) if needs.max_minutes_per_day is not None else "",
            ", ".join(f"{d:%a %d}" for d in sorted(needs.preferred_days)),
            ", ".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in needs.windows),
            Text(", ".join(sorted(slug(t) for t in needs.avoid))),
            Text(", ".join(f"{slug(t)} ({w})" for t, w in needs.rather_not)),
            Text(", ".join(f"{slug(t)} {hours(m)}" for t, m in needs.joint)),
            str(needs.room_size) if needs.room_size is not None else "",
            "yes" if needs.onboarding else "",
            "yes" if needs.cross_project else "",
        )
    return table


@needs_app.command("export")
@reports_errors
def export(ctx: typer.Context, event: EventOption = None) -> None:
    """Print the needs and rules as a needs file, which 'needs load' reads back."""
    state = state_of(ctx).store().state(event)
    typer.echo(export_text(state), nl=False)
