"""What the IRC bot needs to know, checked once, from the settings and the CLI's flags."""

from __future__ import annotations

from dataclasses import dataclass

from ptghub.core.errors import InvalidInput
from ptghub.core.ratelimit import Rate
from ptghub.settings import Settings

CHANNEL_PREFIXES = "#&+!"
NICK_FORBIDDEN = " ,*?!@#:&+\r\n\0"
WRITE_RATE = Rate(20, 60, 10)  # the default of the bot_write_rate setting


@dataclass(frozen=True, slots=True)
class IrcConfig:
    """Connection and behaviour of one IRC bot; times in seconds.

    ``password`` logs the bot in (SASL PLAIN as account ``nick``, else NickServ);
    ``trust_channel_modes`` makes channel ops organizers and voiced users chairs.
    """

    server: str
    port: int = 6667
    tls: bool = False
    nick: str = "ptgbot"
    password: str | None = None
    channel: str = "#ptg"
    event: str | None = None
    announce: bool = False
    trust_channel_modes: bool = False
    min_backoff: float = 1.0  # first reconnection delay, doubling up to max_backoff
    max_backoff: float = 60.0
    ping_interval: float = 90.0  # silence after which the bot pings the server
    ping_timeout: float = 60.0  # further silence after which the link counts as dead
    reclaim_interval: float = 60.0  # on another nick: how often to try the configured one
    notice_burst: int = 4  # outbox: notices sent at once, then one per notice_interval
    notice_interval: float = 2.0
    announce_interval: float = 2.0  # how often announce looks for changes made elsewhere
    # Every line the bot writes: ``send_burst`` at once, then one per ``send_interval``,
    # each person's in turn, at most ``send_queue`` waiting per person (see fairqueue).
    send_burst: int = 4
    send_interval: float = 1.0
    send_queue: int = 10
    write_rate: Rate | None = WRITE_RATE  # changes per chat identity (None: no limit)

    def __post_init__(self) -> None:
        if not self.server.strip():
            raise InvalidInput("The IRC server is empty; give a host name, e.g. irc.oftc.net.")
        if not 0 < self.port < 65536:
            raise InvalidInput(f"The IRC port {self.port} is not between 1 and 65535.")
        if not self.nick or any(c in NICK_FORBIDDEN for c in self.nick) or self.nick[0].isdigit():
            raise InvalidInput(
                f"'{self.nick}' is not a valid IRC nick: letters, digits and -[]\\`^{{}}_|, "
                "not starting with a digit."
            )
        if (
            len(self.channel) < 2
            or self.channel[0] not in CHANNEL_PREFIXES
            or any(c in " ,\x07\r\n\0" for c in self.channel)
        ):
            raise InvalidInput(
                f"'{self.channel}' is not an IRC channel: it starts with # (e.g. #ptg) "
                "and has no spaces or commas."
            )
        if self.send_burst < 1 or self.send_interval <= 0 or self.send_queue < 1:
            raise InvalidInput(
                f"The IRC send pace needs a burst of 1 or more (not {self.send_burst}), an "
                f"interval above 0 s (not {self.send_interval}) and a queue of 1 or more "
                f"lines per person (not {self.send_queue})."
            )
        if not 0 < self.min_backoff <= self.max_backoff:
            raise InvalidInput(
                f"Reconnection delays must satisfy 0 < {self.min_backoff} <= {self.max_backoff}."
            )

    @classmethod
    def from_settings(cls, settings: Settings) -> IrcConfig:
        return cls(
            server=settings.irc_server,
            port=settings.irc_port,
            tls=settings.irc_tls,
            nick=settings.irc_nick,
            password=settings.irc_password or None,
            channel=settings.irc_channel,
            event=settings.irc_event,
            announce=settings.irc_announce,
            trust_channel_modes=settings.irc_trust_channel_modes,
            send_burst=settings.irc_send_burst,
            send_interval=settings.irc_send_interval,
            send_queue=settings.irc_send_queue,
            write_rate=settings.bot_write_limit(),
        )
