"""The IRC adapter on a real IRC server, with real IRC clients playing people.

The server is ngircd (or miniircd) started per test (tests/bot/irc/ircd.py); the store is
the small test event (SQLite, then PostgreSQL): nchair chairs nova, olivia organizes.
People: ``nchair`` (the chair), ``alice`` (an attendee), ``mallory`` (an impostor).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ptghub.bot.irc.adapter import IrcBot
from ptghub.bot.irc.config import IrcConfig
from ptghub.core.model import Actor
from ptghub.store.store import Store
from tests.bot.irc.client import IrcClient
from tests.bot.irc.conftest import BOT_NICK, CHANNEL
from tests.bot.irc.ircd import IrcServer
from tests.support import ORGANIZER

pytestmark = pytest.mark.irc

Person = Callable[..., IrcClient]
StartBot = Callable[..., IrcBot]


def reply(client: IrcClient, *, private: bool = False, bot: str = BOT_NICK) -> str:
    """The bot's next reply to ``client``: in private, else addressed to it in the channel."""
    if private:
        return client.from_(bot, "PRIVMSG", client.nick)
    line = client.expect(
        lambda line: (
            line.command == "PRIVMSG"
            and line.nick == bot
            and line.params[0] == CHANNEL
            and line.text.startswith(f"{client.nick}: ")
        )
    )
    return line.text


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout} s: {what}"
        time.sleep(0.02)


def commands(store: Store) -> list[tuple[str, str, str]]:
    """The audit log after the event's creation: (actor, front end, command)."""
    return [(e.actor, e.frontend, e.text) for e in store.audit()[1:]]


def test_chair_books_and_sets_now_and_next_with_replies_in_channel(
    store: Store, start_bot: StartBot, person: Person
) -> None:
    start_bot()
    chair = person("nchair", "nc")

    chair.say(CHANNEL, "#nova book Austin-Mon-P1")
    assert reply(chair) == "nchair: OK, Austin-Mon-P1 is now booked for nova."
    chair.say(CHANNEL, "#nova now Placement API")
    assert reply(chair) == "nchair: OK, nova now discusses: Placement API"
    chair.say(CHANNEL, "#nova next Cells")
    assert reply(chair) == "nchair: OK, nova next: Cells"

    assert commands(store) == [
        ("nchair", "irc", "#nova book Austin-Mon-P1"),
        ("nchair", "irc", "#nova now Placement API"),
        ("nchair", "irc", "#nova next Cells"),
    ]


def test_attendee_subscribed_in_private_gets_a_notice_when_now_matches(
    start_bot: StartBot, person: Person
) -> None:
    start_bot()
    chair = person("nchair", "nc")
    alice = person("alice", join=False)  # notices reach people outside the channel too

    alice.say(BOT_NICK, "subscribe nova")
    assert reply(alice, private=True) == "Subscription set to nova (previously none)."
    chair.say(CHANNEL, "#nova now Placement API")
    assert reply(chair) == "nchair: OK, nova now discusses: Placement API"

    assert alice.from_(BOT_NICK, "NOTICE", "alice") == "#nova now Placement API"


def test_a_now_set_on_the_web_reaches_the_irc_subscriber_without_any_announcement(
    store: Store, start_bot: StartBot, person: Person
) -> None:
    start_bot()  # announce is off: subscribers are told all the same
    alice = person("alice", join=False)
    alice.say(BOT_NICK, "subscribe nova")
    reply(alice, private=True)
    store.run("subscribe nova", Actor("@bob:example.org", frontend="matrix"))

    store.run("#nova now Placement API", Actor("olivia", frontend="web"))

    assert alice.from_(BOT_NICK, "NOTICE", "alice") == "#nova now Placement API"
    assert alice.received(BOT_NICK, "NOTICE") == ["#nova now Placement API"]


def test_impostor_with_the_chairs_nick_is_refused_before_identify_and_after_quit(
    store: Store, start_bot: StartBot, person: Person
) -> None:
    store.run("~requirevoice", ORGANIZER)
    _, secret = store.tokens.create("nchair")
    start_bot()
    refused = (
        "nchair: Only a chair of nova or an organizer can change it; nchair is neither. "
        "nchair has roles, but this connection has not proven it is nchair: send "
        "'identify TOKEN' to the bot in private (or log in to the network) first."
    )

    impostor = person("nchair", "mallory")
    impostor.say(CHANNEL, "#nova now Hijacked")
    assert reply(impostor) == refused
    impostor.close()

    chair = person("nchair", "nc")
    chair.say(BOT_NICK, f"identify {secret}")
    assert reply(chair, private=True) == (
        "OK, your commands from this connection now act as nchair, until you quit or change nick."
    )
    chair.say(CHANNEL, "#nova now Placement API")
    assert reply(chair) == "nchair: OK, nova now discusses: Placement API"
    chair.close()

    # Same nick and even the same user name as the chair had: the binding left with it.
    impostor = person("nchair", "nc")
    impostor.say(CHANNEL, "#nova now Hijacked again")
    assert reply(impostor) == refused
    assert commands(store) == [
        ("olivia", "test", "~requirevoice"),
        ("nchair", "irc", "#nova now Placement API"),
    ]


def test_nick_change_drops_the_identify_binding(
    store: Store, start_bot: StartBot, person: Person
) -> None:
    store.run("~requirevoice", ORGANIZER)
    _, secret = store.tokens.create("nchair")
    start_bot()
    chair = person("nchair", "nc")
    chair.say(BOT_NICK, f"identify {secret}")
    reply(chair, private=True)

    chair.send("NICK nchair_away")
    chair.expect(r"NICK :?nchair_away")
    chair.nick = "nchair_away"
    chair.send("NICK nchair")
    chair.expect(r"NICK :?nchair$")
    chair.nick = "nchair"
    chair.say(CHANNEL, "#nova now Placement API")

    assert reply(chair).startswith("nchair: Only a chair of nova or an organizer can change it")
    assert commands(store) == [("olivia", "test", "~requirevoice")]


def test_organizer_identifies_then_closes_the_event_over_irc(
    store: Store, start_bot: StartBot, person: Person
) -> None:
    _, secret = store.tokens.create("olivia")
    start_bot()
    olivia = person("olivia")
    mallory = person("mallory")

    olivia.say(CHANNEL, "~requirevoice")
    assert reply(olivia).startswith("olivia: '~requirevoice' needs an organizer")
    olivia.say(BOT_NICK, f"identify {secret}")
    reply(olivia, private=True)
    olivia.say(CHANNEL, "~requirevoice")
    assert reply(olivia) == "olivia: OK, only team chairs and organizers can now change teams."
    mallory.say(CHANNEL, "#nova now Hijacked")

    assert reply(mallory) == (
        "mallory: Only a chair of nova or an organizer can change it; mallory is neither."
    )
    assert commands(store) == [("olivia", "irc", "~requirevoice")]


def test_server_restart_bot_comes_back_sends_what_waited_and_applies_each_command_once(
    store: Store, ircd: IrcServer, start_bot: StartBot, person: Person
) -> None:
    bot = start_bot(announce=True)
    chair = person("nchair", "nc")
    chair.say(CHANNEL, "#nova book Austin-Mon-P1")
    assert reply(chair) == "nchair: OK, Austin-Mon-P1 is now booked for nova."

    ircd.stop()
    wait_until(lambda: not bot.in_channel.is_set(), "the bot noticed the server is gone")
    store.run("#nova next Cells", Actor("olivia", frontend="cli"))
    wait_until(lambda: bot.pending == 1, "the announcement waits for the link")
    with bot.reactor.mutex:  # hold the bot back until olivia is in the channel to hear it
        ircd.start()
        olivia = person("olivia")
    assert bot.in_channel.wait(20)

    assert olivia.from_(BOT_NICK, "NOTICE", CHANNEL) == "olivia (cli): #nova next Cells"
    chair = person("nchair", "nc")
    chair.say(CHANNEL, "#nova now Placement API")
    assert reply(chair) == "nchair: OK, nova now discusses: Placement API"
    assert bot.connects == 2
    assert commands(store) == [
        ("nchair", "irc", "#nova book Austin-Mon-P1"),
        ("olivia", "cli", "#nova next Cells"),
        ("nchair", "irc", "#nova now Placement API"),
    ]


def test_many_notices_queue_behind_flood_control_without_delaying_replies(
    store: Store, start_bot: StartBot, person: Person
) -> None:
    # One notice every 10 s: the queue lasts minutes, far beyond the reply's deadline, so
    # a reply that waited its turn behind the notices could not arrive in time.
    bot = start_bot(notice_burst=2, notice_interval=10.0)
    chair = person("nchair", "nc")
    alice = person("alice", join=False)
    alice.say(BOT_NICK, "subscribe nova")
    reply(alice, private=True)
    for number in range(40):  # subscribed after alice (and sorting after her too)
        store.run("subscribe nova", Actor(f"sub{number:02}", frontend="test"))

    chair.say(CHANNEL, "#nova now Placement API")
    assert reply(chair) == "nchair: OK, nova now discusses: Placement API"
    wait_until(lambda: len(bot.outbox) >= 35, "41 notices queue (2 go at once, then 1 per 10 s)")

    chair.say(CHANNEL, "#nova next Cells")
    assert reply(chair) == "nchair: OK, nova next: Cells"
    # The reply went out first, then the change's notices joined the queue behind the others.
    wait_until(lambda: len(bot.outbox) >= 60, "the notices of both changes wait their turn")
    # alice subscribed first: her notice is among the first to go
    assert alice.from_(BOT_NICK, "NOTICE", "alice") == "#nova now Placement API"


def test_nick_in_use_bot_takes_another_and_takes_its_own_back_when_free(
    start_bot: StartBot, person: Person
) -> None:
    squatter = person(BOT_NICK, "squatter", join=False)  # shares no channel with the bot
    bot = start_bot(reclaim_interval=0.5)
    chair = person("nchair", "nc")
    assert bot.nick == f"{BOT_NICK}_"
    chair.say(CHANNEL, "#nova now Placement API")
    assert reply(chair, bot=f"{BOT_NICK}_") == "nchair: OK, nova now discusses: Placement API"

    squatter.close()
    wait_until(lambda: bot.nick == BOT_NICK, "the bot took its nick back")
    chair.say(CHANNEL, "#nova next Cells")
    assert reply(chair) == "nchair: OK, nova next: Cells"


def test_changes_made_elsewhere_are_announced_and_the_bots_own_are_not(
    store: Store, start_bot: StartBot, person: Person
) -> None:
    start_bot(announce=True)
    chair = person("nchair", "nc")
    store.run("#nova now Placement API", Actor("olivia", frontend="api"))
    assert chair.from_(BOT_NICK, "NOTICE", CHANNEL) == "olivia (api): #nova now Placement API"

    chair.say(CHANNEL, "#nova next Cells")
    reply(chair)
    store.run("#cinder now Backups", Actor("olivia", frontend="web"))

    assert chair.from_(BOT_NICK, "NOTICE", CHANNEL) == "olivia (web): #cinder now Backups"
    assert chair.received(BOT_NICK, "NOTICE") == [
        "olivia (api): #nova now Placement API",
        "olivia (web): #cinder now Backups",
    ]


def test_trust_channel_modes_op_acts_as_organizer_and_voice_as_chair(
    store: Store, ircd: IrcServer, start_bot: StartBot, person: Person
) -> None:
    if ircd.kind != "ngircd":
        pytest.skip("channel modes need ngircd; miniircd has no ops or voice")
    store.run("~requirevoice", ORGANIZER)
    olivia = person("olivia")  # first in the channel: the server makes her its op
    start_bot(trust_channel_modes=True)
    mallory = person("mallory")

    mallory.say(CHANNEL, "#nova now Hijacked")
    assert reply(mallory).startswith("mallory: Only a chair of nova or an organizer")
    olivia.send(f"MODE {CHANNEL} +v mallory")
    mallory.expect(r" MODE #ptg \+v :?mallory")
    mallory.say(CHANNEL, "#nova now Placement API")
    assert reply(mallory) == "mallory: OK, nova now discusses: Placement API"
    olivia.say(CHANNEL, "~motd add info Welcome")
    assert reply(olivia) == "olivia: OK, message added."
    olivia.send(f"MODE {CHANNEL} -v mallory")
    mallory.expect(r" MODE #ptg -v :?mallory")
    mallory.say(CHANNEL, "#cinder now Hijacked")

    assert reply(mallory).startswith("mallory: Only a chair of cinder or an organizer")
    assert commands(store) == [
        ("olivia", "test", "~requirevoice"),
        ("mallory", "irc", "#nova now Placement API"),
        ("olivia", "irc", "~motd add info Welcome"),
    ]


def test_channel_modes_give_no_roles_unless_the_event_trusts_them(
    store: Store, ircd: IrcServer, start_bot: StartBot, person: Person
) -> None:
    store.run("~requirevoice", ORGANIZER)
    olivia = person("olivia")  # channel op (on ngircd), but trust_channel_modes is off
    start_bot()
    olivia.say(CHANNEL, "~motd add info Welcome")

    assert reply(olivia).startswith("olivia: '~motd' needs an organizer; olivia is not one.")
    assert commands(store) == [("olivia", "test", "~requirevoice")]


def test_tls_connection_verifies_the_servers_certificate(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    server = IrcServer(tmp_path / "tls-ircd", tls=True)
    server.start()
    assert server.tls_port is not None
    config = IrcConfig(
        server="127.0.0.1", port=server.tls_port, tls=True, channel=CHANNEL, min_backoff=0.2
    )
    bots: list[IrcBot] = []
    chair = IrcClient(server.host, server.port, "nchair", "nc")
    try:
        untrusted = IrcBot(store, config)  # a self-signed certificate nobody trusts
        bots.append(untrusted)
        untrusted.start()
        assert not untrusted.in_channel.wait(2)
        untrusted.stop()
        assert "certificate verify failed" in caplog.text
        monkeypatch.setenv("SSL_CERT_FILE", str(server.certificate))
        bot = IrcBot(store, config)
        bots.append(bot)
        bot.start()
        assert bot.in_channel.wait(20)
        chair.connect()
        chair.join(CHANNEL)
        chair.say(CHANNEL, "#nova now Placement API")
        assert reply(chair) == "nchair: OK, nova now discusses: Placement API"
    finally:
        chair.close()
        for started in bots:
            started.stop()
        server.stop()
