"""One person's flood on a real IRC server: the others' replies, the bot's link, identify.

ngircd reads about three lines a second from each client and drops a client whose unread
input passes 2 KB, for the flooder and the bot alike. The checks are on order (which line
came first, over both clients' sockets), never on how many seconds something took.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ptghub.bot.irc.adapter import SLOW_DOWN, IrcBot
from ptghub.core.ratelimit import Rate
from ptghub.store.store import Store
from tests.bot.irc.client import IrcClient
from tests.bot.irc.conftest import BOT_NICK, CHANNEL
from tests.bot.irc.test_adapter import commands, reply, wait_until
from tests.support import ORGANIZER

pytestmark = pytest.mark.irc

Person = Callable[..., IrcClient]
StartBot = Callable[..., IrcBot]
FLOOD = 25  # of each: '+in nova' in the channel, 'help' in private (4 lines each)
SHARE = 8  # reply lines one person may have waiting


def test_flood_from_one_person_delays_anothers_reply_by_a_line_or_two_and_is_told_once(
    store: Store, start_bot: StartBot, person: Person
) -> None:
    # A pace ngircd keeps up with (it reads ~3 lines a second); no write limit, so that
    # every '+in' is applied and shows in the audit log once it has been handled.
    bot = start_bot(send_burst=3, send_interval=0.4, send_queue=SHARE, write_rate=None)
    flooder = person("flooder")
    bob = person("bob")

    for _ in range(FLOOD):
        flooder.say(BOT_NICK, "help")
    for _ in range(FLOOD):
        flooder.say(CHANNEL, "+in #nova")
    # The bot has handled the whole flood (ngircd hands it over at its pace): first-in,
    # first-out, hundreds of reply lines would now wait ahead of anyone else's.
    wait_until(lambda: len(commands(store)) == FLOOD, "the bot handled the flood", 120)
    bob.say(CHANNEL, "+seen flooder")
    answer = bob.expect(
        lambda line: line.command == "PRIVMSG" and line.text.startswith("bob: "), 60
    )
    wait_until(lambda: bot.sender.pending("flooder") == 0, "the flooder's replies went", 120)
    flooder.say(BOT_NICK, "seen bob")  # on the same socket, after all the others
    flooder.expect(lambda line: line.text == "bob never checked in anywhere.", 60)

    assert answer.text.startswith("bob: flooder was last seen in #nova at ")
    to_flooder = [
        line
        for line in flooder.lines
        if line.command == "PRIVMSG" and line.nick == BOT_NICK and line.seq > answer.seq
    ]
    # Bob's reply came while the flooder's share was still waiting: at most two of its
    # lines (and the few already on their way) went ahead of bob's.
    assert len(to_flooder) >= SHARE - 3
    assert flooder.received(BOT_NICK, "PRIVMSG").count(SLOW_DOWN) == 1
    assert bot.connects == 1  # never dropped for flooding the server
    assert bot.in_channel.is_set()


def test_identify_is_refused_from_someone_outside_the_channel(
    store: Store, start_bot: StartBot, person: Person
) -> None:
    store.run("~requirevoice", ORGANIZER)
    _, secret = store.tokens.create("nchair")
    start_bot()
    chair = person("nchair", "nc", join=False)

    chair.say(BOT_NICK, f"identify {secret}")
    refusal = reply(chair, private=True)
    chair.say(BOT_NICK, "#nova now Placement API")

    assert refusal == (
        f"Join {CHANNEL} first, then identify again: I accept 'identify' only from people "
        f"in {CHANNEL}, so that I see when they leave. Nothing changed."
    )
    assert reply(chair, private=True).startswith(
        "Only a chair of nova or an organizer can change it; nchair is neither."
    )
    assert commands(store) == [("olivia", "test", "~requirevoice")]


def test_identify_binding_ends_when_the_chair_quits_after_acting_in_private(
    store: Store, start_bot: StartBot, person: Person
) -> None:
    store.run("~requirevoice", ORGANIZER)
    _, secret = store.tokens.create("nchair")
    start_bot()
    chair = person("nchair", "nc")  # in the channel: the bot sees the quit
    chair.say(BOT_NICK, f"identify {secret}")
    reply(chair, private=True)
    chair.say(BOT_NICK, "#nova now Placement API")
    assert reply(chair, private=True) == "OK, nova now discusses: Placement API"
    chair.close()

    # Same nick, user and host, never in the channel, talking to the bot in private.
    impostor = person("nchair", "nc", join=False)
    impostor.say(BOT_NICK, "#nova now Hijacked")

    assert reply(impostor, private=True).startswith(
        "Only a chair of nova or an organizer can change it; nchair is neither."
    )
    assert commands(store) == [
        ("olivia", "test", "~requirevoice"),
        ("nchair", "irc", "#nova now Placement API"),
    ]


def test_identify_binding_ends_when_the_chair_leaves_the_channel(
    store: Store, start_bot: StartBot, person: Person
) -> None:
    store.run("~requirevoice", ORGANIZER)
    _, secret = store.tokens.create("nchair")
    start_bot()
    chair = person("nchair", "nc")
    chair.say(BOT_NICK, f"identify {secret}")
    reply(chair, private=True)
    chair.send(f"PART {CHANNEL}")
    chair.expect(rf"PART :?{CHANNEL}")

    chair.say(BOT_NICK, "#nova now Placement API")  # now out of sight: acts as a bare nick

    assert reply(chair, private=True).startswith(
        "Only a chair of nova or an organizer can change it; nchair is neither."
    )
    assert commands(store) == [("olivia", "test", "~requirevoice")]


def test_changes_past_the_write_rate_get_one_polite_refusal_over_irc(
    store: Store, start_bot: StartBot, person: Person
) -> None:
    start_bot(write_rate=Rate(2, 60))
    alice = person("alice")
    for place in ("#nova", "#cinder", "#nova", "#cinder"):
        alice.say(CHANNEL, f"+in {place}")
    alice.say(CHANNEL, "+seen alice")

    assert reply(alice) == "alice: OK, checked into #nova - thanks for the update!"
    assert reply(alice) == "alice: OK, checked into #cinder - thanks for the update!"
    assert reply(alice) == "alice: Too many changes from you; try again in 30 seconds."
    assert reply(alice).startswith("alice: alice was last seen in #cinder at ")
    assert [text for _, _, text in commands(store)] == ["+in #nova", "+in #cinder"]
