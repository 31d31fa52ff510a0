"""``ptghub bot irc``: run the IRC bot until Ctrl-C or SIGTERM.

Flags override the settings (``PTGHUB_IRC_*`` variables, the ``PTGHUB_CONFIG`` file);
the password comes only from there, never from a flag, which would show in ``ps``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from ptghub.cli.bot import bot_app
from ptghub.cli.context import err, follow_as_set, out, reports_errors, state_of
from ptghub.cli.options import EventOption
from ptghub.logs import configure as configure_logs
from ptghub.settings import Settings

if TYPE_CHECKING:
    from ptghub.bot.irc.config import IrcConfig
    from ptghub.live.leased import Leased
    from ptghub.store.store import Store


def irc_config(settings: Settings, overrides: dict[str, Any]) -> IrcConfig:
    """The bot's configuration: ``settings`` with the flags that were given."""
    from ptghub.bot.irc.config import IrcConfig  # imported when used: the CLI starts faster

    given = {f"irc_{name}": value for name, value in overrides.items() if value is not None}
    return IrcConfig.from_settings(settings.model_copy(update=given))


@bot_app.command("irc")
@reports_errors
def bot_irc(
    ctx: typer.Context,
    server: Annotated[
        str | None, typer.Option(help="IRC server host [env: PTGHUB_IRC_SERVER].")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port [env: PTGHUB_IRC_PORT].")] = None,
    tls: Annotated[
        bool | None, typer.Option("--tls/--no-tls", help="Use TLS [env: PTGHUB_IRC_TLS].")
    ] = None,
    nick: Annotated[str | None, typer.Option(help="The bot's nick [env: PTGHUB_IRC_NICK].")] = None,
    channel: Annotated[
        str | None, typer.Option(help="Channel to join, e.g. '#ptg' [env: PTGHUB_IRC_CHANNEL].")
    ] = None,
    event: EventOption = None,
    announce: Annotated[
        bool | None,
        typer.Option(
            "--announce/--no-announce",
            help="Announce changes made elsewhere (web, API, CLI) [env: PTGHUB_IRC_ANNOUNCE].",
        ),
    ] = None,
) -> None:
    """Run the IRC bot: the command language in a channel and in private.

    The password (SASL, else NickServ) is read from PTGHUB_IRC_PASSWORD or irc_password
    in the PTGHUB_CONFIG file only. Several processes may run the bot of one channel:
    one joins, the others wait to take over (PTGHUB_LEASE_TTL). See docs/bots.md.
    """
    from ptghub.cli.leased import run_until_signal

    state = state_of(ctx)
    overrides = {"server": server, "port": port, "tls": tls, "nick": nick, "channel": channel}
    overrides |= {"event": event, "announce": announce}
    config = irc_config(state.settings, overrides)
    state.store().version(config.event)  # fail now on an unknown event, not in a thread
    configure_logs(state.settings.log_format)
    follow_as_set(state.store(), state.settings)
    where = f"{config.server}:{config.port}{' (TLS)' if config.tls else ''}"
    out.print(Text(f"ptghub IRC bot: {config.nick} in {config.channel} on {where} (Ctrl-C stops)"))
    run_until_signal(irc_leased(state.store(), state.settings, config))
    err.print(Text("ptghub IRC bot stopped."))


def irc_leased(store: Store, settings: Settings, config: IrcConfig) -> Leased:
    """The IRC bot of ``config``, run by one process at a time: a lease per channel."""
    from ptghub.bot.irc.adapter import IrcBot
    from ptghub.cli.leased import leased

    name = f"irc:{config.server}/{config.channel.lower()}"
    return leased(store, settings, name, "IRC bot", lambda: IrcBot(store, config))
