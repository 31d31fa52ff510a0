"""A self-healing link to one IRC network and one channel, under the IRC bot.

It connects (TLS optional), negotiates capabilities and SASL (``caps``), registers
under the configured nick or an alternative, identifies to NickServ when SASL did not
happen, joins the channel and stays there: after a drop it reconnects with exponential
backoff and jitter (``backoff``), after a kick it rejoins, and it pings a silent server. Lines sent
through ``send_line`` while the link is down wait (bounded) and go out, in order, once
the link is back in its channel. Every write holds the reactor's mutex, which the
reactor thread holds while it handles a line, so writes from other threads never
interleave with its own.

What the bot does with the channel lives in ``adapter.IrcBot``, a subclass that adds its
own handlers for the same events (``_handlers``).
"""

from __future__ import annotations

import logging
import random
import socket
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import irc.client

from ptghub.bot.irc.backoff import Backoff
from ptghub.bot.irc.caps import CapNegotiation
from ptghub.bot.irc.config import IrcConfig
from ptghub.core.model import nick_key

log = logging.getLogger(__name__)

Handler = Callable[[Any, irc.client.Event], None]

PENDING_MAX = 500  # lines kept while disconnected; older ones are dropped first
CONNECT_TIMEOUT = 15.0
REGISTER_TIMEOUT = 60.0
REJOIN_DELAY = 10.0
# jaraco's names for 471, 473, 474, 475, 403, 405 and 477 (networks use 477 for "log in
# to NickServ first", which the rejoin then gets past).
JOIN_FAILURES: tuple[str, ...] = (
    "channelisfull",
    "inviteonlychan",
    "bannedfromchan",
    "badchannelkey",
)
JOIN_FAILURES += ("nosuchchannel", "toomanychannels", "nochanmodes")
SASL_RESULTS = {
    "saslsuccess": True,
    "saslalready": True,
    "saslfail": False,
    "sasltoolong": False,
    "saslaborted": False,
    "nicklocked": False,
}


class IrcLink:
    """The connection of one IRC bot; ``start()`` runs it in a thread, ``stop()`` quits."""

    def __init__(self, config: IrcConfig) -> None:
        self.config = config
        self.reactor = irc.client.Reactor()
        self.connection = self.reactor.server()
        self.caps = CapNegotiation(self._write, account=config.nick, password=config.password)
        self.isupport: dict[str, str] = {}
        self.in_channel = threading.Event()  # set while the bot sits in its channel
        self.backoff = Backoff(config.min_backoff, config.max_backoff)
        self.connects = 0  # successful registrations, for logs and tests
        self._pending: deque[str] = deque(maxlen=PENDING_MAX)
        self._ready = False  # lines go out directly (else they wait in _pending)
        self._registered = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._next_attempt = 0.0
        self._connected_at = 0.0
        self._last_heard = 0.0
        self._pinged = False
        self._nick_tries = 0
        self._next_reclaim = 0.0
        for name, handler in self._link_handlers().items():
            self.reactor.add_global_handler(name, self._guarded(handler), -10)
        for name, handler in self._handlers().items():
            self.reactor.add_global_handler(name, self._guarded(handler), 0)

    def _handlers(self) -> dict[str, Handler]:
        """A subclass's handlers, run after the link's own for the same event."""
        return {}

    # -- lifecycle --------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the IRC bot is already running")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="ptghub-irc", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Quit the network and end the reactor thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def nick(self) -> str:
        """The nick the bot has now (another than configured when that one was taken)."""
        return (
            str(self.connection.get_nickname() or self.config.nick)
            if self._registered
            else self.config.nick
        )

    def connected(self) -> bool:
        """Registered with the server and sitting in its channel (the metrics' bot state)."""
        return self.in_channel.is_set() and bool(self.connection.is_connected())

    @property
    def pending(self) -> int:
        """Lines waiting for the link to come back."""
        with self.reactor.mutex:
            return len(self._pending)

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                self._tick()
                try:
                    self.reactor.process_once(timeout=0.1)
                except Exception:
                    # A broken socket must not end the bot: drop the link, reconnect.
                    log.exception("IRC: error while reading from the server")
                    with self.reactor.mutex:
                        self.connection.disconnect("Read error")
        finally:
            with self.reactor.mutex:
                self.connection.disconnect("ptghub bot stopping")
                self.connection.close()

    def _tick(self) -> None:
        now = time.monotonic()
        with self.reactor.mutex:
            if not self.connection.is_connected():
                if now >= self._next_attempt:
                    self._connect()
                return
            if not self._registered:
                if now - self._connected_at > REGISTER_TIMEOUT:
                    self.connection.disconnect("Registration timed out")
                return
            if now >= self._next_reclaim and not self._is_me(self.config.nick):
                # Whoever holds our nick may have left unseen (no shared channel): ask.
                self._next_reclaim = now + self.config.reclaim_interval
                self._write(f"NICK {self.config.nick}")
            silence = now - self._last_heard
            if silence > self.config.ping_interval + self.config.ping_timeout:
                log.warning("IRC: no answer from the server for %.0f s; reconnecting", silence)
                self.connection.disconnect("Ping timeout")
            elif silence > self.config.ping_interval and not self._pinged:
                self._pinged = True
                self._write(f"PING :{self.connection.get_server_name() or 'keepalive'}")

    def _connect(self) -> None:
        config = self.config
        self.caps = CapNegotiation(self._write, account=config.nick, password=config.password)
        self.isupport.clear()
        self._nick_tries = 0
        self._pinged = False
        log.info("IRC: connecting to %s:%d as %s", config.server, config.port, config.nick)
        try:
            self.connection.connect(
                config.server,
                config.port,
                config.nick,
                username=config.nick,
                ircname="ptghub bot",
                connect_factory=self._open,
            )
        except irc.client.ServerConnectionError as error:
            self._schedule_reconnect(str(error))
            return
        self._connected_at = self._last_heard = time.monotonic()

    def _open(self, address: tuple[str, int]) -> Any:
        sock: Any = socket.create_connection(address, timeout=CONNECT_TIMEOUT)
        try:
            if self.config.tls:
                context = ssl.create_default_context()  # verifies the certificate and name
                sock = context.wrap_socket(sock, server_hostname=self.config.server)
            # Before NICK/USER (which jaraco sends next): the server then waits for CAP END.
            sock.sendall(b"CAP LS 302\r\n")
        except OSError:
            sock.close()
            raise
        return sock

    def _schedule_reconnect(self, why: str) -> None:
        delay = self.backoff.next()
        self._next_attempt = time.monotonic() + delay
        log.warning("IRC: %s; next attempt in %.1f s", why or "disconnected", delay)

    # -- sending ----------------------------------------------------------------------

    def send_line(self, line: str) -> None:
        """Send one raw line now, or after the reconnect when the link is down."""
        with self.reactor.mutex:
            if self._ready and not self._pending:
                self._write(line, keep=True)
            else:
                self._pending.append(line)

    def _write(self, line: str, *, keep: bool = False) -> None:
        """Write now; with ``keep``, a line the dropped link did not take waits instead."""
        with self.reactor.mutex:
            if self.connection.is_connected():
                self.connection.send_raw(line)
                if self.connection.is_connected():
                    return
            if keep:
                self._pending.appendleft(line)

    def _flush_pending(self) -> None:
        self._ready = True
        while self._pending and self.connection.is_connected():
            self._write(self._pending.popleft(), keep=True)

    # -- the link's handlers (reactor thread, holding the mutex) ----------------------

    def _link_handlers(self) -> dict[str, Handler]:
        handlers: dict[str, Handler] = {
            "all_raw_messages": self._on_raw,
            "cap": lambda c, e: self.caps.on_cap(list(e.arguments)),
            "authenticate": lambda c, e: self.caps.on_authenticate(e.target or ""),
            "welcome": self._on_welcome,
            "featurelist": self._on_featurelist,
            "nicknameinuse": self._on_nick_taken,
            "erroneusnickname": self._on_nick_taken,
            "unavailresource": self._on_nick_taken,
            "join": self._on_join,
            "part": self._on_part,
            "kick": self._on_kick,
            "nick": lambda c, e: self._reclaim_nick(e.source.nick),
            "quit": lambda c, e: self._reclaim_nick(e.source.nick),
            "disconnect": self._on_disconnect,
            "error": lambda c, e: log.warning("IRC server error: %s", e.target),
        }
        for name, success in SASL_RESULTS.items():
            handlers[name] = self._sasl_result(success)
        for name in JOIN_FAILURES:
            handlers[name] = self._on_join_failed
        return handlers

    @staticmethod
    def _guarded(handler: Handler) -> Handler:
        def run(connection: Any, event: irc.client.Event) -> None:
            try:
                handler(connection, event)
            except Exception:
                # One bad line (or a database hiccup) must not stop the reactor thread.
                log.exception("IRC: handling %s failed", event.type)

        return run

    def _sasl_result(self, success: bool) -> Handler:
        def handle(connection: Any, event: irc.client.Event) -> None:
            self.caps.on_sasl_result(success, " ".join(event.arguments))

        return handle

    def _on_raw(self, connection: Any, event: irc.client.Event) -> None:
        self._last_heard = time.monotonic()
        self._pinged = False

    def _on_welcome(self, connection: Any, event: irc.client.Event) -> None:
        self._registered = True
        self.connects += 1
        self.backoff.reset()
        self._next_reclaim = time.monotonic() + self.config.reclaim_interval
        self.caps.ended = True  # registered: whatever was not negotiated never will be
        config = self.config
        if config.password and not self.caps.sasl_ok:
            self._write(f"PRIVMSG NickServ :IDENTIFY {config.nick} {config.password}")
        log.info("IRC: registered as %s; joining %s", connection.get_nickname(), config.channel)
        self._write(f"JOIN {config.channel}")

    def _on_featurelist(self, connection: Any, event: irc.client.Event) -> None:
        for token in event.arguments[:-1]:  # the last is "are supported by this server"
            name, _, value = token.partition("=")
            if name.startswith("-"):
                self.isupport.pop(name[1:].upper(), None)
            else:
                self.isupport[name.upper()] = value

    def _on_nick_taken(self, connection: Any, event: irc.client.Event) -> None:
        if self._registered:
            return  # our attempt to take back the configured nick failed; keep this one
        self._nick_tries += 1
        base = self.config.nick if event.type == "nicknameinuse" else "ptgbot"
        if self._nick_tries <= 2:
            nick = base + "_" * self._nick_tries
        else:
            nick = f"{base[:20]}{random.randint(100, 9999)}"
        log.warning("IRC: nick unavailable (%s); trying %s", event.type, nick)
        self._write(f"NICK {nick}")

    def _is_me(self, nick: str) -> bool:
        return nick_key(nick) == nick_key(self.connection.get_nickname() or "")

    def _is_my_channel(self, channel: str | None) -> bool:
        return channel is not None and nick_key(channel) == nick_key(self.config.channel)

    def _on_join(self, connection: Any, event: irc.client.Event) -> None:
        if self._is_my_channel(event.target) and self._is_me(event.source.nick):
            self.in_channel.set()
            self._flush_pending()
            log.info("IRC: in %s", self.config.channel)

    def _on_join_failed(self, connection: Any, event: irc.client.Event) -> None:
        log.error(
            "IRC: cannot join %s (%s); trying again in %.0f s",
            self.config.channel,
            " ".join(event.arguments),
            REJOIN_DELAY,
        )
        self._flush_pending()  # private notices and replies still go
        self.reactor.scheduler.execute_after(REJOIN_DELAY, self._rejoin)

    def _rejoin(self) -> None:
        if self._registered and not self.in_channel.is_set():
            self._write(f"JOIN {self.config.channel}")

    def _on_part(self, connection: Any, event: irc.client.Event) -> None:
        if self._is_my_channel(event.target) and self._is_me(event.source.nick):
            self._left_channel()

    def _on_kick(self, connection: Any, event: irc.client.Event) -> None:
        if (
            self._is_my_channel(event.target)
            and event.arguments
            and self._is_me(event.arguments[0])
        ):
            self._left_channel()

    def _left_channel(self) -> None:
        self.in_channel.clear()
        self.reactor.scheduler.execute_after(REJOIN_DELAY, self._rejoin)

    def _reclaim_nick(self, freed: str) -> None:
        """Take the configured nick back when whoever held it lets it go."""
        wanted = self.config.nick
        if nick_key(freed) == nick_key(wanted) and not self._is_me(wanted):
            self._write(f"NICK {wanted}")

    def _on_disconnect(self, connection: Any, event: irc.client.Event) -> None:
        self._registered = False
        self._ready = False
        self.in_channel.clear()
        if not self._stop.is_set():
            self._schedule_reconnect(f"disconnected ({' '.join(event.arguments)})")
