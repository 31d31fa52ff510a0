"""Account identity on IRC, line by line: SASL, account-tag, account-notify, extended-join,
WHOX, and the NickServ fallback.

Here the test itself plays the server: it accepts the bot's real connection on a local
socket, writes the raw lines a network with services (Libera, OFTC) writes, and reads
what the bot answers, so it can also play what a real network rarely does on demand
(SASL failing, no CAP at all, CAP LS on two lines). Everything on the bot's side is the
real adapter: jaraco's parser, the negotiation, the roster and the core, on a real store.
test_services.py runs the main paths on a real InspIRCd with Atheme services.
"""

from __future__ import annotations

import base64
import socket
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest

from ptghub.bot.irc.adapter import IrcBot
from ptghub.bot.irc.config import IrcConfig
from ptghub.store.store import Store
from tests.support import ORGANIZER

pytestmark = pytest.mark.irc

SERVER = ":irc.test"
TIMEOUT = 10.0
REFUSED = "Only a chair of nova or an organizer can change it"


class ScriptedServer:
    """Accepts one client and lets the test speak the server's side, line by line."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.received: list[str] = []
        self._conn: socket.socket | None = None
        self._buffer = b""

    def accept(self) -> None:
        self.listener.settimeout(TIMEOUT)
        self._conn, _ = self.listener.accept()
        self._conn.settimeout(TIMEOUT)

    def send(self, *lines: str) -> None:
        assert self._conn is not None
        self._conn.sendall(b"".join(line.encode() + b"\r\n" for line in lines))

    def expect(self, start: str) -> str:
        """The next line from the bot that starts with ``start`` (earlier ones skipped)."""
        assert self._conn is not None
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            while b"\r\n" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\r\n", 1)
                line = raw.decode()
                self.received.append(line)
                if line.startswith(start):
                    return line
            data = self._conn.recv(4096)
            if not data:
                break
            self._buffer += data
        raise AssertionError(f"no line starting {start!r}; received: {self.received}")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self.listener.close()


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer()
    yield scripted
    scripted.close()


@pytest.fixture
def config(server: ScriptedServer) -> IrcConfig:
    return IrcConfig(server="127.0.0.1", port=server.port, nick="ptgbot", channel="#ptg")


@pytest.fixture
def bots() -> Iterator[list[IrcBot]]:
    started: list[IrcBot] = []
    yield started
    for bot in started:
        bot.stop()


def start(store: Store, config: IrcConfig, bots: list[IrcBot], server: ScriptedServer) -> IrcBot:
    bot = IrcBot(store, config)
    bots.append(bot)
    bot.start()
    server.accept()
    assert server.expect("CAP LS") == "CAP LS 302"
    server.expect("USER ")
    return bot


def register(server: ScriptedServer, isupport: str) -> None:
    server.send(
        f"{SERVER} 001 ptgbot :Welcome",
        f"{SERVER} 005 ptgbot {isupport} :are supported by this server",
        f"{SERVER} 376 ptgbot :End of MOTD",
    )


def say(server: ScriptedServer, source: str, text: str, tags: str = "") -> str:
    """``source`` says ``text`` in #ptg; the bot's answer to that nick there."""
    nick = source.split("!")[0]
    server.send(f"{tags + ' ' if tags else ''}:{source} PRIVMSG #ptg :{text}")
    return server.expect(f"PRIVMSG #ptg :{nick}: ").split(" :", 1)[1]


def test_sasl_login_and_account_tag_bind_commands_to_accounts(
    store: Store, server: ScriptedServer, config: IrcConfig, bots: list[IrcBot]
) -> None:
    store.run("~requirevoice", ORGANIZER)
    bot = start(store, replace(config, password="s3cret"), bots, server)
    server.send(
        f"{SERVER} CAP * LS * :multi-prefix sasl=PLAIN,EXTERNAL",
        f"{SERVER} CAP * LS :account-tag account-notify extended-join server-time",
    )
    request = "CAP REQ :account-notify account-tag extended-join multi-prefix sasl"
    assert server.expect("CAP REQ") == request
    server.send(f"{SERVER} CAP * ACK :{request.split(':')[1]}")
    assert server.expect("AUTHENTICATE") == "AUTHENTICATE PLAIN"
    server.send("AUTHENTICATE +")
    credentials = server.expect("AUTHENTICATE ").split()[1]
    assert base64.b64decode(credentials) == b"\0ptgbot\0s3cret"
    server.send(
        f"{SERVER} 900 ptgbot ptgbot!ptgbot@bot.example ptgbot :You are now logged in",
        f"{SERVER} 903 ptgbot :SASL authentication successful",
    )
    server.expect("CAP END")
    register(server, "WHOX PREFIX=(ov)@+ CHANMODES=b,k,l,imnt")
    server.expect("JOIN #ptg")
    server.send(":ptgbot!ptgbot@bot.example JOIN #ptg ptgbot :ptghub bot")
    server.expect("WHO #ptg %tna,")

    # The account on the message decides, whatever the nick.
    tag = "@time=2022-04-04T13:30:00.000Z;account=nchair"
    assert say(server, "nchair!nc@chair.example", "#nova now Placement API", tag) == (
        "nchair: OK, nova now discusses: Placement API"
    )
    assert say(server, "laptop!nc@laptop.example", "#nova next Cells", "@account=nchair") == (
        "laptop: OK, nova next: Cells"
    )
    # The chair's nick without the account tag: someone not logged in.
    assert say(server, "nchair!x@evil.example", "#nova now Hijacked").startswith(
        f"nchair: {REFUSED}; nchair is neither. nchair has roles, but this connection"
    )
    assert say(server, "nchair!x@evil.example", "#nova now Hijacked", "@account=mallory") == (
        f"nchair: {REFUSED}; mallory is neither."
    )

    assert bot.caps.sasl_ok
    assert not [line for line in server.received if "NickServ" in line]
    assert [(e.actor, e.text) for e in store.audit()[2:]] == [
        ("nchair", "#nova now Placement API"),
        ("nchair", "#nova next Cells"),
    ]


def test_accounts_from_whox_extended_join_and_account_notify_follow_nick_changes(
    store: Store, server: ScriptedServer, config: IrcConfig, bots: list[IrcBot]
) -> None:
    store.run("~requirevoice", ORGANIZER)
    start(store, config, bots, server)
    server.send(f"{SERVER} CAP * LS :account-notify extended-join sasl")
    assert server.expect("CAP REQ") == "CAP REQ :account-notify extended-join"  # no password
    server.send(f"{SERVER} CAP ptgbot ACK :account-notify extended-join")
    server.expect("CAP END")
    register(server, "WHOX PREFIX=(ov)@+")
    server.send(
        ":ptgbot!ptgbot@bot.example JOIN #ptg * :ptghub bot",
        f"{SERVER} 353 ptgbot = #ptg :ptgbot nchair bob",
        f"{SERVER} 366 ptgbot #ptg :End of NAMES",
    )
    token = server.expect("WHO #ptg %tna,").split(",")[1]
    server.send(
        f"{SERVER} 354 ptgbot {token} nchair nchair",
        f"{SERVER} 354 ptgbot {token} bob 0",
        f"{SERVER} 315 ptgbot #ptg :End of WHO",
    )

    nchair = "nchair!nc@chair.example"
    assert say(server, nchair, "#nova now A") == "nchair: OK, nova now discusses: A"
    assert say(server, "bob!b@bob.example", "#nova now B").startswith(f"bob: {REFUSED}")
    server.send(f":{nchair} NICK nchair_lunch")  # an account survives a nick change
    assert say(server, "nchair_lunch!nc@chair.example", "#nova now C") == (
        "nchair_lunch: OK, nova now discusses: C"
    )
    server.send(":nchair_lunch!nc@chair.example QUIT :bye")
    server.send(":nchair!x@evil.example JOIN #ptg * :Evil")  # extended-join: no account
    assert say(server, "nchair!x@evil.example", "#nova now D").startswith(f"nchair: {REFUSED}")
    server.send(":dora!d@dora.example JOIN #ptg nchair :Dora")  # the chair's account
    assert say(server, "dora!d@dora.example", "#nova now E") == ("dora: OK, nova now discusses: E")
    server.send(":dora!d@dora.example ACCOUNT *")  # logged out
    assert say(server, "dora!d@dora.example", "#nova now F") == f"dora: {REFUSED}; dora is neither."
    server.send(":bob!b@bob.example ACCOUNT nchair")  # logged in
    assert say(server, "bob!b@bob.example", "#nova now G") == "bob: OK, nova now discusses: G"

    assert [e.text for e in store.audit()[2:]] == [
        "#nova now A",
        "#nova now C",
        "#nova now E",
        "#nova now G",
    ]


def test_without_cap_or_sasl_the_bot_identifies_to_nickserv(
    store: Store, server: ScriptedServer, config: IrcConfig, bots: list[IrcBot]
) -> None:
    start(store, replace(config, password="s3cret"), bots, server)
    server.send(f"{SERVER} 421 ptgbot CAP :Unknown command")
    register(server, "PREFIX=(ov)@+")

    assert server.expect("PRIVMSG NickServ") == "PRIVMSG NickServ :IDENTIFY ptgbot s3cret"
    assert server.expect("JOIN") == "JOIN #ptg"
    assert not [line for line in server.received if line.startswith(("WHO", "CAP END"))]


def test_failed_sasl_ends_negotiation_and_falls_back_to_nickserv(
    store: Store, server: ScriptedServer, config: IrcConfig, bots: list[IrcBot]
) -> None:
    start(store, replace(config, password="wrong"), bots, server)
    server.send(f"{SERVER} CAP * LS :sasl")
    server.expect("CAP REQ :sasl")
    server.send(f"{SERVER} CAP * ACK :sasl")
    server.expect("AUTHENTICATE PLAIN")
    server.send("AUTHENTICATE +")
    server.expect("AUTHENTICATE ")
    server.send(f"{SERVER} 904 ptgbot :SASL authentication failed")
    server.expect("CAP END")
    register(server, "PREFIX=(ov)@+")

    assert server.expect("PRIVMSG NickServ") == "PRIVMSG NickServ :IDENTIFY ptgbot wrong"
