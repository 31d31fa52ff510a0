"""The bot core through the in-process transport: one behaviour for every chat network."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from ptghub.bot.conversation import (
    CHANNEL_TOKEN_WARNING,
    IDENTIFY_USAGE,
    UNKNOWN_TOKEN,
    BotCore,
    split_lines,
)
from ptghub.bot.memory import MemoryTransport
from ptghub.bot.outbox import Outbox
from ptghub.bot.transport import Incoming, Sender
from ptghub.core.events import EventCreated
from ptghub.core.model import Actor, RoleKind
from ptghub.core.ratelimit import Rate
from ptghub.store.store import Store
from tests.support import Clock as EventClock
from tests.support import small_event

CHANNEL = "#openstack-ptg"
CHAIR = Sender("nchair", host="nc@chair.example.org")
ALICE = Sender("alice", host="alice@example.org")
BOB = Sender("bob", host="bob@impostor.example.org")
ORGANIZER = Sender("olivia", host="olivia@example.org")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def transport() -> MemoryTransport:
    return MemoryTransport()


@pytest.fixture
def outbox_clock() -> Clock:
    return Clock()


@pytest.fixture
def bot(store: Store, transport: MemoryTransport, outbox_clock: Clock) -> BotCore:
    outbox = Outbox(transport, burst=1, interval=2.0, clock=outbox_clock)
    return BotCore(store, transport, frontend="irc", outbox=outbox)


def say(bot: BotCore, sender: Sender, text: str) -> None:
    bot.handle(Incoming(sender, text, CHANNEL))


def tell(bot: BotCore, sender: Sender, text: str) -> None:
    bot.handle(Incoming(sender, text))


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


def test_identify_with_valid_token_acts_as_token_owner(
    bot: BotCore, transport: MemoryTransport, store: Store
) -> None:
    say(bot, ORGANIZER, "~requirevoice")
    _, secret = store.tokens.create("nchair")
    tell(bot, BOB, f"identify {secret}")
    say(bot, BOB, "#nova now Placement API")

    assert transport.sent[1:] == [
        (
            "bob",
            "OK, your commands from this connection now act as nchair, "
            "until you quit or change nick.",
        ),
        (CHANNEL, "bob: OK, nova now discusses: Placement API"),
    ]
    assert store.audit()[-1].actor == "nchair"
    assert bot.identity(BOB) == "nchair"


def test_identify_binding_holds_only_for_that_connection(bot: BotCore, store: Store) -> None:
    _, secret = store.tokens.create("nchair")
    tell(bot, BOB, f"identify {secret}")

    assert bot.identity(Sender("bob", host="bob@elsewhere.example.org")) == "bob"


def test_identify_in_channel_is_refused_without_running(
    bot: BotCore, transport: MemoryTransport, store: Store
) -> None:
    say(bot, ORGANIZER, "~requirevoice")
    _, secret = store.tokens.create("nchair")
    say(bot, BOB, f"identify {secret}")
    say(bot, BOB, f"+identify {secret}")
    say(bot, BOB, "#nova now Hijacked")

    assert transport.sent[1:] == [
        (CHANNEL, f"bob: {CHANNEL_TOKEN_WARNING}"),
        (CHANNEL, f"bob: {CHANNEL_TOKEN_WARNING}"),
        (CHANNEL, "bob: Only a chair of nova or an organizer can change it; bob is neither."),
    ]
    assert bot.identity(BOB) == "bob"


def test_identify_in_channel_chat_without_token_shape_is_chatter(
    bot: BotCore, transport: MemoryTransport
) -> None:
    say(bot, BOB, "identify the owners first please")

    assert transport.sent == []


def test_identify_with_unknown_or_missing_token_says_so(
    bot: BotCore, transport: MemoryTransport
) -> None:
    tell(bot, BOB, "identify ptg_not-a-real-token")
    tell(bot, BOB, "identify")

    assert transport.sent == [("bob", UNKNOWN_TOKEN), ("bob", IDENTIFY_USAGE)]
    assert bot.identity(BOB) == "bob"


def test_identify_revoked_token_is_unknown(
    bot: BotCore, transport: MemoryTransport, store: Store
) -> None:
    token_id, secret = store.tokens.create("nchair")
    store.tokens.revoke(token_id)
    tell(bot, BOB, f"identify {secret}")

    assert transport.sent == [("bob", UNKNOWN_TOKEN)]
    assert bot.identity(BOB) == "bob"


def test_identify_expired_token_says_when_it_expired(
    bot: BotCore, transport: MemoryTransport, store: Store, clock: EventClock
) -> None:
    token_id, secret = store.tokens.create("nchair", expires=clock.now + timedelta(hours=1))
    clock.advance(hours=1)
    tell(bot, BOB, f"identify {secret}")

    assert transport.sent == [
        (
            "bob",
            f"This token (#{token_id}) expired on 2022-04-04 14:30 UTC; ask an organizer for "
            "a new one ('ptghub token create --for NICK').",
        )
    ]
    assert bot.identity(BOB) == "bob"


def test_identify_token_of_another_event_is_refused(
    bot: BotCore, transport: MemoryTransport, store: Store
) -> None:
    created, *rest = small_event()
    assert isinstance(created, EventCreated)
    other = [EventCreated(replace(created.info, slug="other-ptg")), *rest]
    store.create_event(other, Actor("loader", operator=True), "load other")
    token_id, secret = store.tokens.create("nchair", event="other-ptg")
    tell(bot, BOB, f"identify {secret}")

    assert transport.sent == [
        (
            "bob",
            f"This token (#{token_id}) acts only on event 'other-ptg', not on 'test-ptg'; use "
            "a token made for that event or for every event.",
        )
    ]
    assert bot.identity(BOB) == "bob"


def test_nick_change_drops_identify_binding(bot: BotCore, store: Store) -> None:
    _, secret = store.tokens.create("nchair")
    tell(bot, BOB, f"identify {secret}")
    bot.on_nick_change(BOB, "bob_")
    renamed = Sender("bob_", host=BOB.host)
    bot.on_nick_change(renamed, "bob")

    assert bot.identity(renamed) == "bob_"
    assert bot.identity(BOB) == "bob"


def test_quit_drops_identify_binding(bot: BotCore, store: Store) -> None:
    _, secret = store.tokens.create("nchair")
    tell(bot, BOB, f"identify {secret}")
    bot.on_quit(BOB)

    assert bot.identity(BOB) == "bob"


def test_account_identity_beats_nick(
    bot: BotCore, transport: MemoryTransport, store: Store
) -> None:
    say(bot, ORGANIZER, "~requirevoice")
    say(bot, Sender("bob", account="nchair"), "#nova now Placement API")
    say(bot, Sender("nchair", account="bob"), "#nova next Hijacked")

    assert transport.sent[1:] == [
        (CHANNEL, "bob: OK, nova now discusses: Placement API"),
        (CHANNEL, "nchair: Only a chair of nova or an organizer can change it; bob is neither."),
    ]
    assert store.audit()[-1].actor == "nchair"


def test_account_identity_beats_identify(
    bot: BotCore, transport: MemoryTransport, store: Store
) -> None:
    _, secret = store.tokens.create("nchair")
    sender = Sender("bob", account="bob", host=BOB.host)
    tell(bot, sender, f"identify {secret}")

    assert transport.sent == [
        (
            "bob",
            "You are logged in to the network as bob; your commands already act as that "
            "account, so no token is needed.",
        )
    ]
    assert bot.identity(sender) == "bob"


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


@pytest.fixture
def strict(store: Store, transport: MemoryTransport, outbox_clock: Clock) -> BotCore:
    """A core that, like the IRC adapter, gives roles only to proven identities."""
    outbox = Outbox(transport, burst=1, interval=2.0, clock=outbox_clock)
    return BotCore(store, transport, frontend="irc", outbox=outbox, require_proof=True)


def test_require_proof_bare_nick_keeps_no_roles_until_identify(
    strict: BotCore, transport: MemoryTransport, store: Store
) -> None:
    store.run("~requirevoice", Actor("olivia", frontend="test"))
    _, secret = store.tokens.create("nchair")
    say(strict, CHAIR, "#nova now Hijacked")
    tell(strict, CHAIR, f"identify {secret}")
    say(strict, CHAIR, "#nova now Placement API")

    assert transport.sent[0] == (
        CHANNEL,
        "nchair: Only a chair of nova or an organizer can change it; nchair is neither. "
        "nchair has roles, but this connection has not proven it is nchair: send "
        "'identify TOKEN' to the bot in private (or log in to the network) first.",
    )
    assert transport.sent[2] == (CHANNEL, "nchair: OK, nova now discusses: Placement API")
    assert [e.text for e in store.audit()[2:]] == ["#nova now Placement API"]


def test_require_proof_account_is_proof(
    strict: BotCore, transport: MemoryTransport, store: Store
) -> None:
    store.run("~requirevoice", Actor("olivia", frontend="test"))
    say(strict, Sender("laptop", account="nchair"), "#nova now Placement API")

    assert transport.sent == [(CHANNEL, "laptop: OK, nova now discusses: Placement API")]


def test_sender_trust_becomes_the_actors(
    strict: BotCore, transport: MemoryTransport, store: Store
) -> None:
    store.run("~requirevoice", Actor("olivia", frontend="test"))
    voiced = Sender("bob", host=BOB.host, trust=frozenset({RoleKind.CHAIR}))
    say(strict, voiced, "#nova now Placement API")

    assert transport.sent == [(CHANNEL, "bob: OK, nova now discusses: Placement API")]


def test_disconnect_forgets_every_identify_binding(bot: BotCore, store: Store) -> None:
    _, secret = store.tokens.create("nchair")
    tell(bot, BOB, f"identify {secret}")
    bot.on_disconnect()

    assert bot.identity(BOB) == "bob"


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
