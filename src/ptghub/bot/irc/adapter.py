"""The IRC adapter: jaraco ``irc`` speaks the protocol, ``BotCore`` decides everything else.

Why the threaded ``irc.client.Reactor`` and not ``irc.client_aio``: the store and
``BotCore`` are synchronous (one database transaction per command) and the outbox drains
in a thread of its own; under asyncio every command would hop to a worker thread and
back. Here one reactor thread reads lines and runs their handlers in arrival order, so
each command is applied once, in order, and never again: a line is handled when it is
read, and nothing is replayed after a reconnect. The connection itself (reconnects,
CAP/SASL, nick, the lines that wait while the link is down, thread-safe writes) is
``link.IrcLink``; this module adds what the bot does in its channel.

Identity: a message's ``account-tag`` wins; else the account learned from extended JOIN,
ACCOUNT and WHOX; the host is the message's own ``user@host``. A bare nick carries no
roles (``require_proof``): people prove who they are with an account or ``identify``.
``identify`` is accepted only from people in the channel: the bot sees only the quits
of people who share a channel with it, and a binding it could not see end would pass
to whoever comes back with the same nick, user and host. Leaving the channel (part,
kick, quit) ends the binding.

Replies are PRIVMSGs; subscription notices and announcements are NOTICEs through the
rate-limited outbox. Every one of them goes out through one ``FairQueue``: paced to
the network's flood limit, each person's replies in turn (the notices take turns as one
more), so that one person's flood of commands delays the others by a line at most.
"""

from __future__ import annotations

import random
from typing import Any

import irc.client

from ptghub import metrics
from ptghub.bot.announce import Announcer
from ptghub.bot.conversation import BotCore
from ptghub.bot.fairqueue import FairQueue
from ptghub.bot.irc.config import IrcConfig
from ptghub.bot.irc.link import Handler, IrcLink
from ptghub.bot.irc.roster import Roster, account_or_none
from ptghub.bot.irc.wire import Wire, fit
from ptghub.bot.outbox import Outbox
from ptghub.bot.transport import Incoming, Sender, is_irc_nick
from ptghub.core.model import nick_key
from ptghub.store.store import Store

FRONTEND = "irc"
NOTICES = "*notices*"  # the fair queue's key of the outbox (no nick has a '*')
SLOW_DOWN = "Slow down: you sent more than I can answer; some replies to you were dropped."


class IrcBot(IrcLink):
    """Serves one event in one channel of one IRC network; ``start()`` / ``stop()``."""

    def __init__(self, store: Store, config: IrcConfig) -> None:
        self.sender = FairQueue(
            self.send_line,
            self._slow_down,
            burst=config.send_burst,
            interval=config.send_interval,
            per_key=config.send_queue,
            ready=lambda: self._ready,
        )
        self._askers: dict[str, str] = {}  # fair-queue key -> the nick as last written
        self.outbox = Outbox(
            Wire(self._queue_notice, "NOTICE"),
            burst=config.notice_burst,
            interval=config.notice_interval,
        )
        self.core = BotCore(
            store,
            Wire(self.send_line, "PRIVMSG"),
            event=config.event,
            nick=config.nick,
            frontend=FRONTEND,
            outbox=self.outbox,
            require_proof=True,  # any free IRC nick can be taken: roles need an account/identify
            reachable=is_irc_nick,
            replies=self._queue_reply,
            write_rate=config.write_rate,
            identify_refusal=self._identify_refusal,
        )
        # Always on: subscribers here must hear of a 'now' set on the web or on Matrix;
        # the channel announcements of those changes are the setting.
        self.announcer = Announcer(
            store,
            config.event,
            lambda line: self.outbox.put(config.channel, line),
            skip_frontends={FRONTEND},
            interval=config.announce_interval,
            announce=config.announce,
            notify=self.outbox.put,
            reachable=is_irc_nick,
        )
        self.roster = Roster()
        self._who_token = str(random.randint(100, 999))
        super().__init__(config)

    def start(self) -> None:
        self.sender.start()
        self.outbox.start()
        self.announcer.start()
        super().start()
        metrics.watch_bot("irc", self.connected)

    def stop(self, timeout: float = 10.0) -> None:
        """Quit the network and end the threads; queued replies and notices are dropped."""
        metrics.watch_bot("irc", None)
        self.announcer.stop()
        self.outbox.stop(drain=False, timeout=timeout)
        self.sender.stop(timeout)
        super().stop(timeout)

    @property
    def pending(self) -> int:
        """Lines not written yet: waiting for their turn, their pace or the link."""
        return super().pending + len(self.sender)

    # -- replies, identify ---------------------------------------------------------------

    def _queue_reply(self, asker: str, target: str, text: str) -> None:
        key = nick_key(asker)
        self._askers[key] = asker
        if len(self._askers) > self.sender.capacity:  # bounded: forget the oldest
            self._askers.pop(next(iter(self._askers)))
        self.sender.put(key, f"PRIVMSG {target} :{fit(text)}")

    def _queue_notice(self, line: str) -> None:
        self.sender.put(NOTICES, line, capped=False)  # the outbox bounds and paces these

    def _slow_down(self, key: str) -> str:
        return f"PRIVMSG {self._askers.get(key, key)} :{SLOW_DOWN}"

    def _identify_refusal(self, sender: Sender) -> str | None:
        if sender.nick in self.roster:
            return None
        channel = self.config.channel
        return (
            f"Join {channel} first, then identify again: I accept 'identify' only from "
            f"people in {channel}, so that I see when they leave. Nothing changed."
        )

    # -- handlers (reactor thread, after the link's own) ---------------------------------

    def _handlers(self) -> dict[str, Handler]:
        return {
            "welcome": self._on_welcome_bot,
            "featurelist": self._on_featurelist_bot,
            "join": self._on_join_bot,
            "namreply": self._on_names,
            "whospcrpl": self._on_whox,
            "account": self._on_account,
            "mode": self._on_mode,
            "nick": self._on_nick_bot,
            "quit": self._on_quit_bot,
            "part": self._on_part_bot,
            "kick": self._on_kick_bot,
            "pubmsg": self._on_pubmsg,
            "privmsg": self._on_privmsg,
            "disconnect": self._on_disconnect_bot,
        }

    def _on_welcome_bot(self, connection: Any, event: irc.client.Event) -> None:
        self.core.nick = connection.get_nickname()  # maybe an alternative: ignore our own

    def _on_featurelist_bot(self, connection: Any, event: irc.client.Event) -> None:
        self.roster.prefixes = dict(connection.features.prefix)

    def _on_join_bot(self, connection: Any, event: irc.client.Event) -> None:
        if not self._is_my_channel(event.target):
            return
        nick = event.source.nick
        if self._is_me(nick):
            self.roster.clear()
            if "WHOX" in self.isupport:
                self._write(f"WHO {self.config.channel} %tna,{self._who_token}")
            return
        account = None
        if "extended-join" in self.caps.enabled and event.arguments:
            account = event.arguments[0]
        self.roster.joined(nick, event.source.userhost, account)

    def _on_names(self, connection: Any, event: irc.client.Event) -> None:
        # 353 arguments after our nick: channel type, channel, names
        if len(event.arguments) >= 3 and self._is_my_channel(event.arguments[1]):
            self.roster.names(event.arguments[2].split())

    def _on_whox(self, connection: Any, event: irc.client.Event) -> None:
        # 354 arguments after our nick, for %tna: token, nick, account ("0": none)
        if len(event.arguments) >= 3 and event.arguments[0] == self._who_token:
            self.roster.seen(event.arguments[1], account=event.arguments[2])

    def _on_account(self, connection: Any, event: irc.client.Event) -> None:
        self.roster.set_account(event.source.nick, event.target)

    def _on_mode(self, connection: Any, event: irc.client.Event) -> None:
        if self._is_my_channel(event.target):
            self.roster.modes(event.arguments, getattr(connection.features, "chanmodes", []))

    def _on_nick_bot(self, connection: Any, event: irc.client.Event) -> None:
        old, new = event.source.nick, event.target
        if self._is_me(new):
            self.core.nick = new  # jaraco follows its own nick before handlers run
            return
        self.roster.renamed(old, new)
        self.core.on_nick_change(Sender(old, host=event.source.userhost), new)

    def _on_quit_bot(self, connection: Any, event: irc.client.Event) -> None:
        nick = event.source.nick
        self.roster.left(nick)
        self.core.on_quit(Sender(nick, host=event.source.userhost))

    def _on_part_bot(self, connection: Any, event: irc.client.Event) -> None:
        nick = event.source.nick
        if not self._is_my_channel(event.target):
            return
        if self._is_me(nick):
            self._lost_sight()
            return
        self.roster.left(nick)
        # Our one channel was the last we shared: we cannot follow this connection now.
        self.core.on_quit(Sender(nick, host=event.source.userhost))

    def _on_kick_bot(self, connection: Any, event: irc.client.Event) -> None:
        if not self._is_my_channel(event.target) or not event.arguments:
            return
        kicked = event.arguments[0]
        if self._is_me(kicked):
            self._lost_sight()
            return
        member = self.roster.left(kicked)
        self.core.on_quit(Sender(kicked, host=member.host if member else None))

    def _lost_sight(self) -> None:
        """Out of our channel, we no longer see anyone leave: every binding ends."""
        self.roster.clear()
        self.core.on_disconnect()

    def _on_pubmsg(self, connection: Any, event: irc.client.Event) -> None:
        if self._is_my_channel(event.target):
            self._dispatch(event, self.config.channel)

    def _on_privmsg(self, connection: Any, event: irc.client.Event) -> None:
        self._dispatch(event, None)

    def _dispatch(self, event: irc.client.Event, channel: str | None) -> None:
        source = event.source
        if source is None or source.userhost is None:
            return  # from a server, not a person
        nick, host = source.nick, source.userhost
        if "account-tag" in self.caps.enabled:
            # With account-tag, a message without the tag comes from someone logged out.
            tags = {tag["key"]: tag["value"] for tag in event.tags or []}
            account = account_or_none(tags.get("account"))
            self.roster.seen(nick, host=host, account=account)
        else:
            account = self.roster.account(nick)
        trust = self.roster.trust(nick) if self.config.trust_channel_modes else frozenset()
        text = event.arguments[0] if event.arguments else ""
        self.core.handle(Incoming(Sender(nick, account, host, trust), text, channel))

    def _on_disconnect_bot(self, connection: Any, event: irc.client.Event) -> None:
        self.roster.clear()
        self.core.on_disconnect()
