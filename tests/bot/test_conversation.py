"""The bot core through the in-process transport: one behaviour for every chat network.

Who a sender is (identify, accounts, proof of identity) is in test_conversation_identity.py."""

from __future__ import annotations

from ptghub.bot.conversation import BotCore, split_lines
from ptghub.bot.memory import MemoryTransport
from ptghub.bot.transport import Incoming, Sender
from ptghub.core.model import Actor
from ptghub.core.ratelimit import Rate
from ptghub.store.store import Store
from tests.bot.chat import ALICE, BOB, CHAIR, CHANNEL, ORGANIZER, Clock, say, tell


def test_track_commands_in_channel_reply_addressed_to_sender(
    bot: BotCore, transport: MemoryTransport, store: Store
) -> None:
    say(bot, CHAIR, "#nova book Austin-Mon-P1")
    say(bot, CHAIR, "#nova now Placement API")
    say(bot, CHAIR, "#nova next Cells")

    assert transport.sent == [
        (CHANNEL, "nchair: OK, Austin-Mon-P1 is now booked for nova."),
        (CHANNEL, "nchair: OK, nova now discusses: Placement API"),
        (CHANNEL, "nchair: OK, nova next: Cells"),
    ]
    assert [(e.actor, e.frontend, e.text) for e in store.audit()[1:]] == [
        ("nchair", "irc", "#nova book Austin-Mon-P1"),
        ("nchair", "irc", "#nova now Placement API"),
        ("nchair", "irc", "#nova next Cells"),
    ]


def test_subscription_notice_goes_to_outbox_not_inline(
    bot: BotCore, transport: MemoryTransport, outbox_clock: Clock
) -> None:
    tell(bot, ALICE, "subscribe nova")
    say(bot, CHAIR, "#nova now Placement API")
    say(bot, CHAIR, "#nova next Cells")

    assert transport.sent == [
        ("alice", "Subscription set to nova (previously none)."),
        (CHANNEL, "nchair: OK, nova now discusses: Placement API"),
        (CHANNEL, "nchair: OK, nova next: Cells"),
    ]
    assert len(bot.outbox) == 2

    # burst 1, then one message every 2 s
    assert bot.outbox.flush() == 1
    assert bot.outbox.flush() == 0
    assert bot.outbox.wait() == 2.0
    outbox_clock.now = 2.0
    assert bot.outbox.flush() == 1
    assert transport.sent[3:] == [
        ("alice", "#nova now Placement API"),
        ("alice", "#nova next Cells"),
    ]


def test_impostor_refused_on_closed_event(
    bot: BotCore, transport: MemoryTransport, store: Store
) -> None:
    say(bot, ORGANIZER, "~requirevoice")
    version = store.version()
    say(bot, BOB, "#nova now Hijacked")

    assert transport.sent == [
        (CHANNEL, "olivia: OK, only team chairs and organizers can now change teams."),
        (CHANNEL, "bob: Only a chair of nova or an organizer can change it; bob is neither."),
    ]
    assert store.version() == version
    assert len(bot.outbox) == 0


def test_channel_chatter_is_ignored(bot: BotCore, transport: MemoryTransport, store: Store) -> None:
    version = store.version()
    say(bot, ALICE, "hello there, is nova in Austin today?")

    assert transport.sent == []
    assert store.version() == version


def test_own_messages_are_ignored(bot: BotCore, transport: MemoryTransport, store: Store) -> None:
    version = store.version()
    tell(bot, Sender("PtgBot", host="bot@example.org"), "help")
    say(bot, Sender("ptgbot", host="bot@example.org"), "#in Austin")

    assert transport.sent == []
    assert store.version() == version


def test_refused_private_command_answers_privately(
    bot: BotCore, transport: MemoryTransport
) -> None:
    tell(bot, ALICE, "frobnicate")

    assert transport.sent == [
        (
            "alice",
            "Unknown command 'frobnicate'. Expected one of: help, in, out, seen, subscribe, "
            "unsubscribe.",
        )
    ]


def test_help_in_channel_is_split_into_addressed_lines(
    bot: BotCore, transport: MemoryTransport, store: Store
) -> None:
    result = store.run("help", Actor("alice", frontend="irc"))
    assert result is not None
    say(bot, ALICE, "+help")

    lines = result.reply.splitlines()
    assert len(lines) == 4
    assert transport.sent == [(CHANNEL, f"alice: {line}") for line in lines]


def test_split_lines_wraps_long_lines_at_spaces() -> None:
    text = "first line\n\n" + " ".join(["word"] * 5) + "\n" + "x" * 12

    assert split_lines(text, limit=10) == [
        "first line",
        "word word",
        "word word",
        "word",
        "xxxxxxxxxx",
        "xx",
    ]


def test_long_channel_reply_lines_fit_the_line_limit_with_prefix(
    bot: BotCore, transport: MemoryTransport
) -> None:
    bot.reply(Incoming(ALICE, "", CHANNEL), "a " * 300)

    # 197 words of "a" fill 393 characters, which with "alice: " make the 400 allowed
    assert transport.sent == [
        (CHANNEL, "alice: " + " ".join(["a"] * 197)),
        (CHANNEL, "alice: " + " ".join(["a"] * 103)),
    ]


def limited_bot(store: Store, transport: MemoryTransport, clock: Clock) -> BotCore:
    """Three changes at once per identity, then one every 20 s."""
    return BotCore(store, transport, frontend="irc", write_rate=Rate(3, 60), clock=clock)


def test_write_rate_refuses_changes_past_the_limit_once_and_applies_nothing(
    store: Store, transport: MemoryTransport
) -> None:
    clock = Clock()
    bot = limited_bot(store, transport, clock)
    for topic in ("One", "Two", "Three", "Four", "Five"):
        say(bot, CHAIR, f"#nova now {topic}")

    assert transport.to(CHANNEL) == [
        "nchair: OK, nova now discusses: One",
        "nchair: OK, nova now discusses: Two",
        "nchair: OK, nova now discusses: Three",
        "nchair: Too many changes from you; try again in 20 seconds.",
    ]
    assert [e.text for e in store.audit()[1:]] == [
        "#nova now One",
        "#nova now Two",
        "#nova now Three",
    ]


def test_write_rate_still_answers_reading_commands_and_other_people(
    store: Store, transport: MemoryTransport
) -> None:
    clock = Clock()
    bot = limited_bot(store, transport, clock)
    for topic in ("One", "Two", "Three", "Four"):
        say(bot, CHAIR, f"#nova now {topic}")
    transport.clear()

    tell(bot, CHAIR, "help subscribe")
    say(bot, ALICE, "#nova now Alice's topic")

    assert transport.to("nchair")[0].startswith("subscribe")
    assert transport.to(CHANNEL) == ["alice: OK, nova now discusses: Alice's topic"]


def test_write_rate_lets_a_change_through_once_the_wait_is_over(
    store: Store, transport: MemoryTransport
) -> None:
    clock = Clock()
    bot = limited_bot(store, transport, clock)
    for topic in ("One", "Two", "Three", "Four"):
        say(bot, CHAIR, f"#nova now {topic}")
    clock.now = 19.0
    say(bot, CHAIR, "#nova now Still too soon")  # limited, and already told: no answer
    clock.now = 20.0
    say(bot, CHAIR, "#nova now Five")

    assert transport.to(CHANNEL)[3:] == [
        "nchair: Too many changes from you; try again in 20 seconds.",
        "nchair: OK, nova now discusses: Five",
    ]
    assert [e.text for e in store.audit()[1:]][3:] == ["#nova now Five"]


def test_write_rate_counts_only_commands_that_changed_something(
    store: Store, transport: MemoryTransport
) -> None:
    clock = Clock()
    bot = limited_bot(store, transport, clock)
    for _ in range(5):
        tell(bot, CHAIR, "help")
    say(bot, CHAIR, "#nova now Placement API")

    assert transport.to(CHANNEL) == ["nchair: OK, nova now discusses: Placement API"]
