"""``link CODE`` in private links the sender's chat identity to the person whose code it
is (the network account when there is one, else the nick, then proven for this
connection); in a channel it is refused like a pasted token and the code is burnt."""

from __future__ import annotations

import pytest

from ptghub.bot.conversation import BotCore
from ptghub.bot.linking import CHANNEL_CODE_WARNING, LINK_USAGE, NOT_PROVEN_HERE, PROVE_LATER
from ptghub.bot.memory import MemoryTransport
from ptghub.bot.transport import Sender
from ptghub.core.model import Actor
from ptghub.store.accounts import Account
from ptghub.store.link_codes import EXPIRED_CODE, UNKNOWN_CODE, USED_CODE
from ptghub.store.store import Store
from tests.bot.chat import ALICE, CHANNEL, say, tell
from tests.support import Clock

ORGANIZER = Actor("olivia", frontend="test")


@pytest.fixture
def proving_bot(store: Store, transport: MemoryTransport) -> BotCore:
    """A bot that, like the IRC one, lets a bare nick hold no roles."""
    return BotCore(store, transport, frontend="irc", require_proof=True)


@pytest.fixture
def alice_account(store: Store) -> Account:
    """Alice signed in on the web once; her web nick chairs nova in a closed event."""
    account = store.accounts.sign_up("alice@example.org", "Alice Smith")
    store.run("~requirevoice", ORGANIZER)
    store.run(f"~role grant {account.web_nick} chair nova", ORGANIZER)
    return account


def test_link_in_private_links_the_nick_and_proves_this_connection(
    proving_bot: BotCore, transport: MemoryTransport, store: Store, alice_account: Account
) -> None:
    code = store.link_codes.create(alice_account.person_id)
    tell(proving_bot, ALICE, f"link {code}")
    say(proving_bot, ALICE, "#nova now Placement API")

    assert transport.sent == [
        (
            "alice",
            "OK, linked IRC nick alice to Alice Smith; your roles in Test PTG: chair of nova. "
            "Your commands from this connection act as alice until you quit or change nick. "
            + PROVE_LATER,
        ),
        (CHANNEL, "alice: OK, nova now discusses: Placement API"),
    ]
    assert store.people.get("alice").display_name == "Alice Smith"
    assert store.audit()[-1].author == "Alice Smith (alice, irc)"


def test_a_later_connection_of_a_linked_nick_must_prove_it_again(
    proving_bot: BotCore, transport: MemoryTransport, store: Store, alice_account: Account
) -> None:
    tell(proving_bot, ALICE, f"link {store.link_codes.create(alice_account.person_id)}")
    proving_bot.on_quit(ALICE)
    say(proving_bot, ALICE, "#nova now Placement API")

    assert transport.sent[-1][1].startswith(
        "alice: Only a chair of nova or an organizer can change it; alice is neither. "
        "alice has roles, but this connection has not proven it is alice"
    )


def test_link_with_a_network_account_links_the_account(
    bot: BotCore, transport: MemoryTransport, store: Store, alice_account: Account
) -> None:
    sender = Sender("alice_", account="alice", host="a@example.org")
    tell(bot, sender, f"link {store.link_codes.create(alice_account.person_id)}")

    assert transport.sent == [
        (
            "alice_",
            "OK, linked IRC account alice to Alice Smith; your roles in Test PTG: chair of nova.",
        )
    ]
    assert store.link_codes.nicks(alice_account.person_id) == ["alice", "alice@web"]


def test_link_from_matrix_links_the_user_id(
    store: Store, transport: MemoryTransport, alice_account: Account
) -> None:
    bot = BotCore(store, transport, frontend="matrix", nick="@ptgbot:example.org")
    mxid = "@alice:example.org"
    tell(
        bot, Sender(mxid, account=mxid), f"link {store.link_codes.create(alice_account.person_id)}"
    )

    assert transport.sent == [
        (
            mxid,
            "OK, linked Matrix id @alice:example.org to Alice Smith; your roles in Test PTG: "
            "chair of nova.",
        )
    ]


def test_link_in_a_channel_is_refused_and_burns_the_code(
    bot: BotCore, transport: MemoryTransport, store: Store, alice_account: Account
) -> None:
    code = store.link_codes.create(alice_account.person_id)
    say(bot, ALICE, f"link {code}")
    tell(bot, Sender("mallory", host="m@example.org"), f"link {code}")

    assert transport.sent == [(CHANNEL, f"alice: {CHANNEL_CODE_WARNING}"), ("mallory", USED_CODE)]
    assert store.people.find("mallory") is None


def test_link_as_channel_chatter_stays_chatter(
    bot: BotCore, transport: MemoryTransport, store: Store
) -> None:
    say(bot, ALICE, "link the etherpad please")
    assert transport.sent == []


def test_used_expired_and_unknown_codes_are_refused(
    bot: BotCore, transport: MemoryTransport, store: Store, alice_account: Account, clock: Clock
) -> None:
    used = store.link_codes.create(alice_account.person_id)
    tell(bot, ALICE, f"link {used}")
    tell(bot, Sender("alice2", host="a2@example.org"), f"link {used}")
    expired = store.link_codes.create(alice_account.person_id)
    clock.advance(minutes=11)
    tell(bot, Sender("alice3", host="a3@example.org"), f"link {expired}")
    tell(bot, Sender("alice4", host="a4@example.org"), "link ZZZZ-ZZZZ")
    tell(bot, ALICE, "link")

    assert [text for _, text in transport.sent[1:]] == [
        USED_CODE,
        EXPIRED_CODE,
        UNKNOWN_CODE,
        LINK_USAGE,
    ]
    assert store.link_codes.nicks(alice_account.person_id) == ["alice", "alice@web"]


def test_a_nick_of_another_person_is_refused(
    bot: BotCore, transport: MemoryTransport, store: Store, alice_account: Account
) -> None:
    store.people.add("Bob Jones", ["bob"])
    tell(
        bot,
        Sender("bob", host="b@example.org"),
        f"link {store.link_codes.create(alice_account.person_id)}",
    )

    assert transport.sent == [
        (
            "bob",
            "The IRC nick bob already belongs to another person; nothing changed. "
            "If it is yours, ask an organizer to help.",
        )
    ]


def test_linking_a_nick_already_linked_says_so(
    bot: BotCore, transport: MemoryTransport, store: Store, alice_account: Account
) -> None:
    tell(bot, ALICE, f"link {store.link_codes.create(alice_account.person_id)}")
    tell(bot, ALICE, f"link {store.link_codes.create(alice_account.person_id)}")

    assert transport.sent[-1][1].startswith(
        "IRC nick alice was already linked to Alice Smith; your roles in Test PTG: chair of nova."
    )


def test_a_nick_linked_where_the_bot_cannot_see_it_leave_is_not_proven_here(
    store: Store, transport: MemoryTransport, alice_account: Account
) -> None:
    bot = BotCore(
        store,
        transport,
        frontend="irc",
        require_proof=True,
        identify_refusal=lambda sender: "Join #ptg first.",
    )
    tell(bot, ALICE, f"link {store.link_codes.create(alice_account.person_id)}")
    say(bot, ALICE, "#nova now Placement API")

    assert transport.sent[0] == (
        "alice",
        "OK, linked IRC nick alice to Alice Smith; your roles in Test PTG: chair of nova. "
        + NOT_PROVEN_HERE,
    )
    assert transport.sent[1][1].startswith("alice: Only a chair of nova or an organizer")
    assert store.link_codes.nicks(alice_account.person_id) == ["alice", "alice@web"]
