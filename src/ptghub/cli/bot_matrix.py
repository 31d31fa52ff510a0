"""``ptghub bot matrix``: run the Matrix bot in the foreground (docs/matrix.md).

Options override the settings (``PTGHUB_MATRIX_*``, the TOML file); the secrets (access
token, password) come only from settings, never from the command line, where other
users of the machine could read them in the process list. Ctrl-C and SIGTERM (how
systemd and containers stop a service) both stop the bot cleanly: it finishes the
request at hand, closes its connection to the homeserver and exits with status 0.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from ptghub.cli.bot import bot_app
from ptghub.cli.context import err, follow_as_set, out, reports_errors, state_of
from ptghub.cli.leased import leased, run_until_signal
from ptghub.logs import configure as configure_logs

if TYPE_CHECKING:
    from ptghub.bot.matrix.adapter import MatrixBot
    from ptghub.bot.matrix.config import MatrixBotError


@bot_app.command("matrix")
@reports_errors
def bot_matrix(
    ctx: typer.Context,
    homeserver: Annotated[
        str | None,
        typer.Option(help="Homeserver URL [env: PTGHUB_MATRIX_HOMESERVER]."),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option(help="The bot's user id, @ptgbot:example.org [env: PTGHUB_MATRIX_USER]."),
    ] = None,
    room: Annotated[
        str | None,
        typer.Option(help="Room id or alias to serve [env: PTGHUB_MATRIX_ROOM]."),
    ] = None,
    event: Annotated[
        str | None,
        typer.Option(
            "--event", "-e", help="Event slug [env: PTGHUB_MATRIX_EVENT] (default: current)."
        ),
    ] = None,
) -> None:
    """Run the Matrix bot: the command language in a room and in direct messages.

    The access token (PTGHUB_MATRIX_ACCESS_TOKEN) or password (PTGHUB_MATRIX_PASSWORD)
    comes from the environment or the settings file. Ctrl-C or SIGTERM stops it.
    Several processes may run the bot of one room: one joins, the others wait to take
    over (PTGHUB_LEASE_TTL).
    """
    state = state_of(ctx)
    overrides: dict[str, Any] = {
        "matrix_homeserver": homeserver,
        "matrix_user": user,
        "matrix_room": room,
        "matrix_event": event,
    }
    settings = state.settings.model_copy(
        update={k: v for k, v in overrides.items() if v is not None}
    )
    try:
        from ptghub.bot.matrix.adapter import MatrixBot
        from ptghub.bot.matrix.config import MatrixBotError, MatrixConfig
    except ImportError as error:
        err.print(Text(f"The Matrix bot needs matrix-nio ({error}): pip install 'ptghub[matrix]'"))
        raise typer.Exit(2) from None
    if not settings.matrix_room:
        err.print("No room to serve: pass --room or set PTGHUB_MATRIX_ROOM.")
        raise typer.Exit(2)
    config = MatrixConfig(
        homeserver=settings.matrix_homeserver,
        room=settings.matrix_room,
        user=settings.matrix_user,
        access_token=settings.matrix_access_token,
        password=settings.matrix_password,
    )
    try:
        config.check()
        store = state.store()
        store.state(settings.matrix_event)  # an unknown event is refused before connecting
    except MatrixBotError as error:
        err.print(Text(str(error)))
        raise typer.Exit(2) from None
    configure_logs(state.settings.log_format)
    follow_as_set(store, state.settings)
    logging.getLogger("nio").setLevel(logging.WARNING)  # nio logs every response at INFO
    out.print(Text(f"Matrix bot for {config.room} on {config.homeserver} (Ctrl-C stops it)"))
    failed: list[MatrixBotError] = []
    done = threading.Event()

    def make() -> InThread:
        bot = MatrixBot(
            config, store, event=settings.matrix_event, write_rate=settings.bot_write_limit()
        )
        return InThread(bot, failed, done)

    name = f"matrix:{config.homeserver}/{config.room}"
    run_until_signal(leased(store, state.settings, name, "Matrix bot", make), done)
    if failed:
        err.print(Text(str(failed[0])))
        raise typer.Exit(1)
    out.print("Stopped.")


class InThread:
    """A Matrix bot run in a thread of its own, as the lease runs its companions; a
    ``MatrixBotError`` it ends with is kept in ``failed`` and ends the command."""

    def __init__(self, bot: MatrixBot, failed: list[MatrixBotError], done: threading.Event):
        self.bot = bot
        self.failed = failed
        self.done = done
        self.thread = threading.Thread(target=self._run, name="ptghub-matrix", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.bot.stop()  # thread-safe: the event loop finishes and closes the client
        self.thread.join()

    def _run(self) -> None:
        from ptghub.bot.matrix.config import MatrixBotError

        try:
            self.bot.run_forever()
        except MatrixBotError as error:
            self.failed.append(error)
            self.done.set()
