"""Account identity on a real network with services: InspIRCd 3 and Atheme.

The bot logs in with SASL; people register and log in with NickServ. A command acts as
the sender's account, so a chair keeps the role under another nick and nobody gains it
by taking the chair's nick (tests/bot/irc/services.py starts the network).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ptghub.bot.irc.adapter import IrcBot
from ptghub.bot.irc.config import IrcConfig
from ptghub.store.store import Store
from tests.bot.irc.client import IrcClient
from tests.bot.irc.services import AccountNetwork
from tests.support import ORGANIZER

pytestmark = pytest.mark.irc

CHANNEL = "#ptg"
PASSWORDS = {"ptgbot": "bot-secret-1", "nchair": "chair-secret-2", "mallory": "mal-secret-3"}
REFUSED = "Only a chair of nova or an organizer can change it"


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AccountNetwork]:
    started = AccountNetwork(Path(tmp_path_factory.mktemp("services")))
    try:
        started.start()
        for nick, password in PASSWORDS.items():
            started.register(nick, password)
        yield started
    finally:
        started.stop()


@pytest.fixture
def people(network: AccountNetwork) -> Iterator[Callable[[str, str], IrcClient]]:
    clients: list[IrcClient] = []

    def connect(nick: str, user: str) -> IrcClient:
        client = IrcClient(network.host, network.port, nick, user)
        clients.append(client)
        return client.connect()

    yield connect
    for client in clients:
        client.close()


@pytest.fixture
def bots() -> Iterator[list[IrcBot]]:
    started: list[IrcBot] = []
    yield started
    for bot in started:
        bot.stop()


def login(client: IrcClient, account: str) -> None:
    client.say("NickServ", f"IDENTIFY {account} {PASSWORDS[account]}")
    client.expect(lambda line: line.command == "900")


def reply(client: IrcClient) -> str:
    line = client.expect(
        lambda line: (
            line.command == "PRIVMSG"
            and line.nick == "ptgbot"
            and line.text.startswith(f"{client.nick}: ")
        )
    )
    return line.text


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout} s: {what}"
        time.sleep(0.02)


def test_bot_logs_in_with_sasl_and_learns_accounts_from_whox_join_and_account_notify(
    store: Store,
    network: AccountNetwork,
    people: Callable[[str, str], IrcClient],
    bots: list[IrcBot],
) -> None:
    chair = people("nchair", "nc")
    login(chair, "nchair")
    chair.join(CHANNEL)  # before the bot: it learns her account from WHOX
    bot = IrcBot(
        store,
        IrcConfig(
            server=network.host,
            port=network.port,
            password=PASSWORDS["ptgbot"],
            channel=CHANNEL,
        ),
    )
    bots.append(bot)
    bot.start()
    assert bot.in_channel.wait(20)

    assert bot.caps.sasl_ok
    assert {"account-tag", "account-notify", "extended-join"} <= bot.caps.enabled
    assert "WHOX" in bot.isupport
    wait_until(lambda: bot.roster.account("nchair") == "nchair", "WHOX told nchair's account")
    mallory = people("mallory", "mal")
    login(mallory, "mallory")
    mallory.join(CHANNEL)  # extended-join carries her account
    wait_until(lambda: bot.roster.account("mallory") == "mallory", "extended-join account")
    dora = people("dora", "dora")
    dora.join(CHANNEL)
    wait_until(lambda: "dora" in bot.roster, "dora joined")
    assert bot.roster.account("dora") is None
    login(dora, "nchair")  # account-notify: dora logs in to the chair's account (a 2nd client)
    wait_until(lambda: bot.roster.account("dora") == "nchair", "account-notify")


def test_commands_follow_the_account_not_the_nick(
    store: Store,
    network: AccountNetwork,
    people: Callable[[str, str], IrcClient],
    bots: list[IrcBot],
) -> None:
    store.run("~requirevoice", ORGANIZER)
    config = IrcConfig(server=network.host, port=network.port, channel=CHANNEL)
    bot = IrcBot(store, config)  # no password: the bot itself needs no account here
    bots.append(bot)
    bot.start()
    assert bot.in_channel.wait(20)
    chair = people("nchair", "nc")
    login(chair, "nchair")
    chair.join(CHANNEL)

    chair.say(CHANNEL, "#nova now Placement API")
    assert reply(chair) == "nchair: OK, nova now discusses: Placement API"
    chair.send("NICK chair_lunch")
    chair.expect(r" NICK :?chair_lunch")
    chair.nick = "chair_lunch"
    chair.say(CHANNEL, "#nova next Cells")
    assert reply(chair) == "chair_lunch: OK, nova next: Cells"

    impostor = people("nchair", "evil")  # the nick is free now; the account is not hers
    impostor.join(CHANNEL)
    impostor.say(CHANNEL, "#nova now Hijacked")
    assert reply(impostor).startswith(f"nchair: {REFUSED}; nchair is neither. nchair has roles")
    login(impostor, "mallory")
    impostor.say(CHANNEL, "#nova now Hijacked")
    assert reply(impostor) == f"nchair: {REFUSED}; mallory is neither."

    assert [(e.actor, e.text) for e in store.audit()[2:]] == [
        ("nchair", "#nova now Placement API"),
        ("nchair", "#nova next Cells"),
    ]
