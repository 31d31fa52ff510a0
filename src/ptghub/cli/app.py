"""The ``ptghub`` command line: setup, events, the command language, audit and access.

Exit codes: 0 done, 1 refused (permission or state), 2 invalid input.

A person typing ``ptghub cmd ...`` waits for every module imported here: modules that
only some commands need (the event file parser, the demo, the board, the planner) are
imported inside those commands, so ``bench/cli.py`` stays within its budget.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.text import Text

from ptghub.cli.lazy import LazyGroup
from ptghub.core.errors import PtgError
from ptghub.core.model import Actor
from ptghub.settings import Settings

if TYPE_CHECKING:
    from ptghub.store.results import Result
    from ptghub.store.store import Store

app = typer.Typer(
    cls=LazyGroup,
    help="ptghub runs a Project Teams Gathering: teams, rooms, schedule, live board.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
event_app = typer.Typer(help="Load, list and show events.", no_args_is_help=True)
role_app = typer.Typer(help="Give or take organizer and chair roles.", no_args_is_help=True)
person_app = typer.Typer(help="People and the chat nicks they use.", no_args_is_help=True)
app.add_typer(event_app, name="event")
app.add_typer(role_app, name="role")
app.add_typer(person_app, name="person")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EventOption = Annotated[
    str | None, typer.Option("--event", "-e", help="Event slug (default: the current event).")
]
AsOption = Annotated[
    str | None,
    typer.Option("--as", help="Act as this nick, with its roles (default: the operator)."),
]


class State:
    settings: Settings
    _store: Store | None = None

    def store(self) -> Store:
        if self._store is None:
            from ptghub.store.store import Store

            self._store = Store.open(self.settings.effective_database_url)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def _state(ctx: typer.Context) -> State:
    state = ctx.find_root().obj
    assert isinstance(state, State)
    return state


def _operator() -> Actor:
    return Actor(os.environ.get("USER") or "operator", frontend="cli", operator=True)


def _actor(nick: str | None) -> Actor:
    return _operator() if nick is None else Actor(nick, frontend="cli")


def _fail(error: PtgError) -> NoReturn:
    err.print(Text(error.message))
    raise typer.Exit(error.exit_code)


@app.callback()
def main_callback(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(help="Data directory [env: PTGHUB_DATA_DIR] (default ~/.local/share/ptghub)."),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(help="Database URL [env: PTGHUB_DATABASE_URL] (default SQLite in data dir)."),
    ] = None,
) -> None:
    overrides: dict[str, Any] = {"data_dir": data_dir, "database_url": database_url}
    state = State()
    state.settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    ctx.obj = state
    ctx.call_on_close(state.close)


@app.command()
def init(ctx: typer.Context) -> None:
    """Create the data directory and the database (or bring its schema up to date)."""
    from ptghub.store.engine import private_dir

    state = _state(ctx)
    private_dir(state.settings.data_dir)
    state.store()
    out.print(Text(f"Database ready: {state.settings.effective_database_url}"))


HostOption = Annotated[str, typer.Option(help="Address to listen on.")]
PortOption = Annotated[int, typer.Option(help="Port to listen on.")]


def _serve(state: State, host: str, port: int, path: str = "/", *, irc: bool = False) -> None:
    import uvicorn

    from ptghub.web.app import create_app
    from ptghub.web.limits import WebLimits
    from ptghub.web.server import uvicorn_config

    bot = None
    if irc:  # the IRC bot runs in threads of this process and stops with the server
        from ptghub.bot.irc import IrcBot
        from ptghub.bot.irc_config import IrcConfig

        try:
            config = IrcConfig.from_settings(state.settings)
            state.store().version(config.event)
        except PtgError as error:
            _fail(error)
        bot = IrcBot(state.store(), config)
        bot.start()
        out.print(Text(f"IRC bot: {config.nick} in {config.channel} on {config.server}"))
    out.print(Text(f"ptghub is serving on http://{host}:{port}{path} (Ctrl-C stops it)"))
    try:
        limits = WebLimits.from_settings(state.settings)
        # Open live streams never end by themselves: give them 3 s after Ctrl-C, not forever.
        server_config = uvicorn_config(
            create_app(state.store(), state.settings, limits=limits),
            limits,
            host=host,
            port=port,
            log_level="warning",
            timeout_graceful_shutdown=3,
        )
        uvicorn.Server(server_config).run()
    finally:
        if bot is not None:
            bot.stop()


@app.command()
def serve(
    ctx: typer.Context,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    irc: Annotated[
        bool, typer.Option("--irc", help="Also run the IRC bot (settings PTGHUB_IRC_*).")
    ] = False,
) -> None:
    """Run the web server: event pages, live board, JSON API, calendar feeds.

    Limits on bodies, rates, connections and streams per client: settings PTGHUB_WEB_*
    (docs/web-server.md).
    """
    _serve(_state(ctx), host, port, irc=irc)


@app.command()
def demo(
    ctx: typer.Context,
    fresh: Annotated[
        bool, typer.Option(help="Delete the demo's local SQLite database first.")
    ] = False,
    serve: Annotated[bool, typer.Option(help="Serve it after loading (--no-serve: don't).")] = True,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
) -> None:
    """Load the April 2022 virtual PTG (once), show its board, and serve it."""
    from importlib import resources

    from ptghub import demo as demo_event
    from ptghub.cli.render import print_board
    from ptghub.core.board import build_board
    from ptghub.eventfile import load_event_file

    state = _state(ctx)
    if fresh:
        if state.settings.database_url:
            err.print("--fresh only deletes the default SQLite database; unset the URL.")
            raise typer.Exit(2)
        for suffix in ("", "-wal", "-shm"):
            (state.settings.data_dir / f"ptghub.sqlite3{suffix}").unlink(missing_ok=True)
    store = state.store()
    if demo_event.SLUG not in {e.slug for e in store.events()}:
        with resources.as_file(resources.files(demo_event) / demo_event.FILE) as path:
            result = store.create_event(load_event_file(path), _operator(), "ptghub demo")
        for nick, text in demo_event.SAMPLE_COMMANDS:
            store.run(text, Actor(nick, frontend="demo"), event=demo_event.SLUG)
        out.print(Text(result.reply))
    else:
        out.print(Text(f"Event '{demo_event.SLUG}' is already loaded; --fresh starts over."))
    store.set_current(demo_event.SLUG)
    info = store.state(demo_event.SLUG).info
    assert info is not None
    # Show the event as on its first day, mid-afternoon UTC, when most teams meet.
    at = datetime.combine(info.start, datetime.min.time(), UTC).replace(hour=15, minute=30)
    print_board(out, build_board(store.state(demo_event.SLUG), at))
    where = (
        f"--database-url {state.settings.database_url}"
        if state.settings.database_url
        else f"--data-dir {state.settings.data_dir}"
    )
    out.print(
        Text(
            f"Database: {state.settings.effective_database_url}\n"
            f"Try: ptghub {where} cmd --as nova-chair '#nova now Placement API'\n"
            f"     ptghub {where} board"
        )
    )
    if serve:
        _serve(state, host, port, f"/events/{demo_event.SLUG}/board")


@event_app.command("load")
def event_load(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Event definition file (YAML).", exists=True)],
    current: Annotated[bool, typer.Option(help="Make it the current event.")] = False,
) -> None:
    """Create an event from its definition file (see docs/event-file.md)."""
    from ptghub.eventfile import load_event_file

    store = _state(ctx).store()
    try:
        events = load_event_file(file)
        result = store.create_event(events, _operator(), f"event load {file.name}")
    except PtgError as error:
        _fail(error)
    if current:
        store.set_current(result.events[0].info.slug)  # type: ignore[attr-defined]
    out.print(Text(result.reply))


@event_app.command("list")
def event_list(ctx: typer.Context) -> None:
    """List the events; * marks the current one."""
    for summary in _state(ctx).store().events():
        mark = "*" if summary.current else " "
        info = summary.info
        out.print(Text(f"{mark} {summary.slug}  {info.name}  {info.start} – {info.end}"))


@event_app.command("use")
def event_use(ctx: typer.Context, slug: str) -> None:
    """Make SLUG the current event."""
    try:
        _state(ctx).store().set_current(slug)
    except PtgError as error:
        _fail(error)
    out.print(Text(f"OK, {slug} is the current event."))


@event_app.command("show")
def event_show(ctx: typer.Context, event: EventOption = None) -> None:
    """Show an event's details, rooms, slots and teams."""
    from rich.table import Table

    try:
        state = _state(ctx).store().state(event)
    except PtgError as error:
        _fail(error)
    info = state.info
    assert info is not None
    out.print(Text(f"{info.name} ({info.slug}), {info.format.value}, {info.timezone}"))
    out.print(Text(f"{info.start} – {info.end}, contact {info.contact}"))
    out.print(Text(f"{len(state.rooms)} rooms, {len(state.slots)} slots, {len(state.teams)} teams"))
    table = Table("Team", "Name", "Kind", "Onboarding")
    for team in state.teams.values():
        table.add_row(
            Text(team.slug), Text(team.name), team.kind.value, "yes" if team.onboarding else ""
        )
    out.print(table)


def _print_result(result: Result | None) -> None:
    if result is None:
        return
    out.print(Text(result.reply))
    if result.notices:
        nicks = ", ".join(sorted({n.nick for n in result.notices}))
        out.print(Text(f"Subscribers matched: {nicks} (the chat bots deliver their notices)"))


@app.command()
def cmd(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="One command, e.g. '#nova now Placement API'.")],
    as_: AsOption = None,
    event: EventOption = None,
) -> None:
    """Run one command of the chat language exactly as the bot would; print the reply."""
    try:
        _print_result(_state(ctx).store().run(text, _actor(as_), event=event))
    except PtgError as error:
        _fail(error)


@app.command()
def board(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
    all_days: Annotated[bool, typer.Option("--all-days", help="Show every day's grid.")] = False,
    event: EventOption = None,
) -> None:
    """Show the live board: messages, now and next per team, and the day's grid."""
    from ptghub.cli.render import board_json, print_board
    from ptghub.core.board import build_board

    store = _state(ctx).store()
    try:
        current = build_board(store.state(event), store.clock())
    except PtgError as error:
        _fail(error)
    if as_json:
        out.print(board_json(current), markup=False)
    else:
        print_board(out, current, all_days=all_days)


@app.command()
def undo(
    ctx: typer.Context,
    change: Annotated[int, typer.Argument(help="The change's number in 'ptghub audit'.")],
    as_: AsOption = None,
) -> None:
    """Revert one change; the undo is itself a change in the audit log."""
    try:
        _print_result(_state(ctx).store().undo(change, _actor(as_)))
    except PtgError as error:
        _fail(error)


def _role(ctx: typer.Context, action: str, nick: str, role: str, team: str | None) -> None:
    text = f"~role {action} {nick} {role}" + (f" {team}" if team else "")
    try:
        _print_result(_state(ctx).store().run(text, _operator()))
    except PtgError as error:
        _fail(error)


RoleArg = Annotated[str, typer.Argument(help="'organizer', or 'chair' followed by TEAM.")]


@role_app.command("grant")
def role_grant(
    ctx: typer.Context, nick: str, role: RoleArg, team: str | None = typer.Argument(None)
) -> None:
    """Make NICK an organizer, or a chair of TEAM, in the current event."""
    _role(ctx, "grant", nick, role, team)


@role_app.command("revoke")
def role_revoke(
    ctx: typer.Context, nick: str, role: RoleArg, team: str | None = typer.Argument(None)
) -> None:
    """Take a role back from NICK."""
    _role(ctx, "revoke", nick, role, team)


@person_app.command("add")
def person_add(
    ctx: typer.Context,
    nicks: Annotated[list[str], typer.Argument(help="The person's chat nicks.")],
    name: Annotated[str, typer.Option("--name", help="Display name.")],
) -> None:
    """Record a person and their nicks; roles granted to one nick hold for all."""
    try:
        person = _state(ctx).store().people.add(name, nicks)
    except PtgError as error:
        _fail(error)
    out.print(Text(f"OK, person #{person.id} {person.display_name}: {', '.join(person.nicks)}"))


@person_app.command("list")
def person_list(ctx: typer.Context) -> None:
    """List people and their nicks."""
    for person in _state(ctx).store().people.list():
        out.print(Text(f"#{person.id}  {person.display_name}  {', '.join(person.nicks)}"))
