"""``ptghub init``, ``serve`` and ``demo``: a database, and the web server over it.

``demo`` loads the demo event into the database with its past up to the clock
(``demo.load``) and serves its board as if the event were running: on a simulated clock
(``core.clock``) that starts on its second day, with a replay of plausible activity
(``demo.replay``) started and stopped with the server.
``serve --clock`` runs any event on a simulated clock, to rehearse it. The web server,
uvicorn, the event file parser and the IRC bot are imported when these commands run.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from ptghub.cli.context import State, err, follow_as_set, operator, out, reports_errors, state_of
from ptghub.cli.options import ClockOption, ClockSpeedOption

if TYPE_CHECKING:
    from ptghub.web.app import Companion

HostOption = Annotated[str, typer.Option(help="Address to listen on.")]
PortOption = Annotated[int, typer.Option(help="Port to listen on.")]


def init(ctx: typer.Context) -> None:
    """Create the data directory and the database (or bring its schema up to date)."""
    from ptghub.store.engine import private_dir

    state = state_of(ctx)
    private_dir(state.settings.data_dir)
    state.store()
    out.print(Text(f"Database ready: {state.settings.effective_database_url}"))


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` for uvicorn; if it cannot be had (a busy port
    above all), say so and how to choose another, and exit 1 before claiming to serve."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        why = (
            "the port is in use (is ptghub already running?)"
            if error.errno == errno.EADDRINUSE
            else error.strerror or str(error)
        )
        other = port + 1 if 0 < port < 65535 else 8000
        err.print(
            Text(
                f"Cannot listen on {host}:{port}: {why}. Choose another port with --port, "
                f"e.g. 'ptghub serve --port {other}' or 'ptghub demo --port {other}' "
                f"('make demo PORT={other}')."
            )
        )
        raise typer.Exit(1) from None
    return sock


def serve_web(
    state: State,
    host: str,
    port: int,
    path: str = "/",
    *,
    irc: bool = False,
    companions: Sequence[Companion] = (),
    workers: int = 1,
) -> None:
    """Serve the web site (and, with ``irc``, the IRC bot in threads) until Ctrl-C;
    ``companions`` (the demo's replay) and the mail sender (when ``PTGHUB_SMTP_HOST`` is
    set) start and stop with the server. The mail sender and the bot act only while this
    process holds their leases (``cli.leased``): of several servers, one sends and one
    bot joins. With ``workers`` above 1, that many processes serve (``cli.workers``),
    each with its own store, and the leases choose the one that sends and chats."""
    import uvicorn

    from ptghub.cli.leased import leased
    from ptghub.cli.mail import MAIL_LEASE, mail_worker_for
    from ptghub.cli.tables import print_clock
    from ptghub.logs import configure, uvicorn_log_config
    from ptghub.web.app import create_app
    from ptghub.web.limits import WebLimits
    from ptghub.web.server import uvicorn_config

    # The mail sender runs beside the server when SMTP is configured (checked before
    # anything says "serving": a configuration that cannot work is refused first).
    mailer, mail_line = mail_worker_for(state.store(), state.settings)
    configure(state.settings.log_format)
    # Each runs in one process at a time however many run: the one holding its lease.
    leased_mailer = None
    if mailer is not None:
        worker = mailer
        leased_mailer = leased(
            state.store(), state.settings, MAIL_LEASE, "Mail sender", lambda: worker
        )
    sock = listening_socket(host, port)  # before anything says "serving"
    bot = None
    try:
        if workers > 1:  # `demo` and its replay keep one process: no companions here
            assert not companions, "companions run in the one process of serve_web"
            where = (host, port, path)
            _serve_workers(state, sock, where, mail_line, irc=irc, workers=workers)
            return
        if irc:  # the IRC bot runs in threads of this process and stops with the server
            from ptghub.bot.irc.config import IrcConfig
            from ptghub.cli.bot_irc import irc_leased

            config = IrcConfig.from_settings(state.settings)
            state.store().version(config.event)
            out.print(Text(f"IRC bot: {config.nick} in {config.channel} on {config.server}"))
            follow_as_set(state.store(), state.settings)  # the bot starts the follower
            bot = irc_leased(state.store(), state.settings, config)
            bot.start()
        out.print(Text(mail_line))
        print_clock(out, state.store().clock)
        out.print(Text(f"ptghub is serving on http://{host}:{port}{path} (Ctrl-C stops it)"))
        limits = WebLimits.from_settings(state.settings)
        # Open live streams never end by themselves: give them 3 s after Ctrl-C, not forever.
        server_config = uvicorn_config(
            create_app(
                state.store(),
                state.settings,
                limits=limits,
                companions=[*companions, *([leased_mailer] if leased_mailer else [])],
            ),
            limits,
            host=host,
            port=port,
            log_level="warning",
            timeout_graceful_shutdown=3,
            **uvicorn_log_config(state.settings.log_format),
        )
        uvicorn.Server(server_config).run(sockets=[sock])
    finally:
        sock.close()
        if bot is not None:
            bot.stop()


def _serve_workers(
    state: State,
    sock: socket.socket,
    where: tuple[str, int, str],
    mail_line: str,
    *,
    irc: bool,
    workers: int,
) -> None:
    """``serve_web`` with several worker processes: the same checks and lines first."""
    from ptghub.cli.tables import print_clock
    from ptghub.cli.workers import WorkerPlan, run_workers
    from ptghub.core.clock import simulated

    host, port, path = where
    store = state.store()  # open, so migrated: once, before any worker opens it
    if irc:
        from ptghub.bot.irc.config import IrcConfig

        config = IrcConfig.from_settings(state.settings)
        store.version(config.event)
        out.print(Text(f"IRC bot: {config.nick} in {config.channel} on {config.server}"))
    out.print(Text(mail_line))
    print_clock(out, store.clock)
    out.print(
        Text(
            f"ptghub is serving on http://{host}:{port}{path} with {workers} workers "
            "(Ctrl-C stops them)"
        )
    )
    plan = WorkerPlan(
        state.settings,
        simulated(store.clock),  # one origin: the same moment in every worker
        host,
        port,
        irc=irc,
        options={"log_level": "warning", "timeout_graceful_shutdown": 3},
    )
    run_workers(plan, workers, sock)


@reports_errors
def serve(
    ctx: typer.Context,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    irc: Annotated[
        bool, typer.Option("--irc", help="Also run the IRC bot (settings PTGHUB_IRC_*).")
    ] = False,
    clock: ClockOption = None,
    clock_speed: ClockSpeedOption = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Worker processes serving on the one port, each with its own database "
            "connections: every page, stream and API route in each, a change through "
            "any of them seen by the viewers of all. SQLite works for one machine; "
            "PostgreSQL is the backend for several machines.",
        ),
    ] = 1,
) -> None:
    """Run the web server: event pages, live board, JSON API, calendar feeds.

    Limits on bodies, rates, connections and streams per client: settings PTGHUB_WEB_*
    (docs/web-server.md), counted per worker process. --clock runs the server on a
    simulated clock, to rehearse an event: every page then says so. With PTGHUB_SMTP_HOST
    set it also sends the mail outbox (docs/mail.md); it says on start whether mail is
    sent. Of several processes on one database, one sends mail and one runs the --irc
    bot; the others stand by. --workers N runs N processes (docs/web-server.md, "Several
    workers and machines"). /healthz, /readyz and /metrics are for monitoring;
    PTGHUB_LOG_FORMAT=json logs JSON lines (docs/monitoring.md).
    """
    state = state_of(ctx)
    state.use_clock(clock, clock_speed)
    serve_web(state, host, port, irc=irc, workers=workers)


@reports_errors
def demo(
    ctx: typer.Context,
    fresh: Annotated[
        bool, typer.Option(help="Delete the demo's local SQLite database first.")
    ] = False,
    serve: Annotated[bool, typer.Option(help="Serve it after loading (--no-serve: don't).")] = True,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    clock: Annotated[
        str | None,
        typer.Option(
            "--clock",
            metavar="MOMENT",
            help="Where the simulated clock starts (default: the event's second day, "
            "15:10 in its zone); 'now': the real time (the event is then over). A first "
            "load also writes the event's past up to that moment: from its end on "
            "(e.g. 2022-04-09T00:00Z, or 'now'), the whole week, as a finished PTG's "
            "recaps show it [env: PTGHUB_CLOCK].",
        ),
    ] = None,
    clock_speed: ClockSpeedOption = None,
    replay: Annotated[
        bool,
        typer.Option(
            help="While serving, replay plausible activity every few seconds (topics, a "
            "booking, check-ins, a message) as audited changes, until the event's end; "
            "--no-replay: a still board."
        ),
    ] = True,
) -> None:
    """Load the April 2022 virtual PTG (once), show its board, and serve it as if it ran.

    The server's clock is simulated: it starts on the event's second day and runs at
    --clock-speed; every page says so. The first load writes what the demo's people did
    before the clock's start (topics, check-ins, bookings, messages) into the audit log,
    as if they had used ptghub all along; with --clock at the event's end or after, the
    whole week.
    """
    from importlib import resources

    from ptghub import demo as demo_event
    from ptghub.cli.tables import print_board, print_clock
    from ptghub.core.board import build_board
    from ptghub.core.clock import simulated
    from ptghub.core.events import EventCreated
    from ptghub.eventfile import load_event_file

    state = state_of(ctx)
    if fresh:
        if state.settings.database_url:
            err.print("--fresh only deletes the default SQLite database; unset the URL.")
            raise typer.Exit(2)
        for suffix in ("", "-wal", "-shm"):
            (state.settings.data_dir / f"ptghub.sqlite3{suffix}").unlink(missing_ok=True)
    with resources.as_file(resources.files(demo_event) / demo_event.FILE) as path:
        events = load_event_file(path)
    if clock is None and state.settings.clock is None:
        info = next(e.info for e in events if isinstance(e, EventCreated))
        clock = demo_event.clock_start(info.start, info.timezone).isoformat()
    state.use_clock(clock, clock_speed)
    store = state.store()
    if demo_event.SLUG not in {e.slug for e in store.events()}:
        from ptghub.demo.load import load

        out.print(Text(load(store, events, operator(), "ptghub demo").reply))
    else:
        out.print(Text(f"Event '{demo_event.SLUG}' is already loaded; --fresh starts over."))
    store.set_current(demo_event.SLUG)
    print_clock(out, store.clock)
    print_board(out, build_board(store.state(demo_event.SLUG), store.clock()))
    where = (
        f"--database-url {state.settings.database_url}"
        if state.settings.database_url
        else f"--data-dir {state.settings.data_dir}"
    )
    # The same moment for the terminal's board (a later one agrees within the slot).
    board_clock = f" --clock {store.clock():%Y-%m-%dT%H:%MZ}" if simulated(store.clock) else ""
    out.print(
        Text(
            f"Database: {state.settings.effective_database_url}\n"
            f"Try: ptghub {where} cmd --as nova-chair '#nova now Placement API'\n"
            f"     ptghub {where} board{board_clock}"
        )
    )
    if serve:
        from ptghub.demo.replay import Replay

        companions = [Replay(store, demo_event.SLUG)] if replay else []
        serve_web(state, host, port, f"/events/{demo_event.SLUG}/board", companions=companions)
