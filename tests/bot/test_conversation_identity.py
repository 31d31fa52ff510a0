"""Who the bot core takes a sender for: ``identify TOKEN`` in private binds a connection to
the token's owner until it quits, changes nick or is cut; a network account beats both
the nick and a token; with ``require_proof`` a bare nick holds no roles."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from ptghub.bot.conversation import CHANNEL_TOKEN_WARNING, IDENTIFY_USAGE, UNKNOWN_TOKEN, BotCore
from ptghub.bot.memory import MemoryTransport
from ptghub.bot.outbox import Outbox
from ptghub.bot.transport import Sender
from ptghub.core.events import EventCreated
from ptghub.core.model import Actor, RoleKind
from ptghub.store.store import Store
from tests.bot.chat import BOB, CHAIR, CHANNEL, ORGANIZER, Clock, say, tell
from tests.support import Clock as EventClock
from tests.support import small_event


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
