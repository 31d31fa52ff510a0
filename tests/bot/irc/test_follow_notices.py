"""Follow notices by chat on a real IRC server: a person who follows a team on the web and
chose chat is told at the IRC nick they linked, once, whoever made the change."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ptghub.bot.irc.adapter import IrcBot
from ptghub.core.model import Actor
from ptghub.store.store import Store
from tests.bot.irc.client import IrcClient
from tests.bot.irc.conftest import BOT_NICK, CHANNEL
from tests.follows import choose, follow

pytestmark = pytest.mark.irc

Person = Callable[..., IrcClient]
StartBot = Callable[..., IrcBot]
WEB = Actor("olivia", frontend="web")


def linked_follower(store: Store, client: IrcClient, **channels: bool) -> int:
    """A person who signed up on the web, linked ``client``'s nick through the bot, follows
    nova and is told by ``channels``."""
    person = store.accounts.sign_up("alice@example.org").person_id
    code = store.link_codes.create(person)
    client.say(BOT_NICK, f"link {code}")
    assert client.from_(BOT_NICK, "PRIVMSG", client.nick).startswith("OK, linked IRC nick")
    follow(store, person, "team", "nova")
    choose(store, person, **channels)
    return person


def test_a_follower_with_a_linked_nick_is_told_of_changes_from_the_web_and_the_channel(
    store: Store, start_bot: StartBot, person: Person
) -> None:
    start_bot()
    chair = person("nchair", "nc")
    alice = person("alice", join=False)
    linked_follower(store, alice, chat=True)

    store.run("#nova now Placement API", WEB)
    assert alice.from_(BOT_NICK, "NOTICE", "alice") == "#nova now Placement API"

    chair.say(CHANNEL, "#nova next Cells")  # through this bot: its own change counts too
    assert alice.from_(BOT_NICK, "NOTICE", "alice") == "#nova next Cells"
    assert alice.received(BOT_NICK, "NOTICE") == ["#nova now Placement API", "#nova next Cells"]


def test_a_follower_also_subscribed_in_chat_is_told_once(
    store: Store, start_bot: StartBot, person: Person
) -> None:
    start_bot()
    alice = person("alice", join=False)
    linked_follower(store, alice, chat=True)
    alice.say(BOT_NICK, "subscribe nova")
    assert alice.from_(BOT_NICK, "PRIVMSG", "alice").startswith("Subscription set to nova")

    store.run("#nova now Placement API", WEB)
    store.run("#nova now Quotas", WEB)  # the next change: what came before has been sent

    assert alice.from_(BOT_NICK, "NOTICE", "alice") == "#nova now Placement API"
    assert alice.from_(BOT_NICK, "NOTICE", "alice") == "#nova now Quotas"
    assert alice.received(BOT_NICK, "NOTICE") == ["#nova now Placement API", "#nova now Quotas"]


def test_a_follower_who_did_not_choose_chat_is_not_told_there(
    store: Store, start_bot: StartBot, person: Person
) -> None:
    start_bot()
    alice = person("alice", join=False)
    linked_follower(store, alice, email=True, browser=True)
    alice.say(BOT_NICK, "subscribe Quotas")  # only the second change
    assert alice.from_(BOT_NICK, "PRIVMSG", "alice").startswith("Subscription set to Quotas")

    store.run("#nova now Placement API", WEB)
    store.run("#nova now Quotas", WEB)

    assert alice.from_(BOT_NICK, "NOTICE", "alice") == "#nova now Quotas"
    assert alice.received(BOT_NICK, "NOTICE") == ["#nova now Quotas"]
