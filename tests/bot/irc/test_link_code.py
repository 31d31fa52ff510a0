"""``link CODE`` on a real IRC server: a person signed in on the web links their IRC nick
by sending the code shown on their page to the bot in private; from then on the nick
carries the roles granted to their web nick. A used or expired code and a nick of another
person are refused, and nothing is linked."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from ptghub.bot.irc.adapter import IrcBot
from ptghub.core.model import Actor
from ptghub.store.link_codes import EXPIRED_CODE, USED_CODE
from ptghub.store.store import Store
from ptghub.web.app import create_app
from tests.bot.irc.client import IrcClient
from tests.bot.irc.conftest import BOT_NICK, CHANNEL
from tests.bot.irc.test_adapter import reply
from tests.support import Clock
from tests.web.signing_in import sign_in

pytestmark = pytest.mark.irc

Person = Callable[..., IrcClient]
StartBot = Callable[..., IrcBot]
ORGANIZER = Actor("olivia", frontend="test")


def signed_in_chair(store: Store) -> int:
    """Alice Smith, signed in on the web, whose web nick chairs nova in a closed event."""
    account = store.accounts.sign_up("alice@example.org", "Alice Smith")
    store.run("~requirevoice", ORGANIZER)
    store.run(f"~role grant {account.web_nick} chair nova", ORGANIZER)
    return account.person_id


def code_from_the_web(store: Store) -> str:
    """Alice signs in on the web, her web nick is made a chair of nova, and her page
    gives her a link code."""
    store.accounts.sign_up("alice@example.org", "Alice Smith")  # her first sign-in
    with TestClient(create_app(store)) as client:
        me = sign_in(client, store, "alice@example.org")
        store.run("~requirevoice", ORGANIZER)
        store.run(f"~role grant {me.account.web_nick} chair nova", ORGANIZER)
        page = client.post("/me/chat/link", data=me.form())
    match = re.search(r"<code>/msg ptgbot link ([0-9A-Z]{4}-[0-9A-Z]{4})</code>", page.text)
    assert match is not None, page.text
    return match.group(1)


def test_a_linked_irc_nick_carries_the_roles_of_the_web_account(
    store: Store, start_bot: StartBot, person: Person
) -> None:
    code = code_from_the_web(store)
    start_bot()
    alice = person("alice", "al")
    alice.say(CHANNEL, "#nova now Placement API")
    assert reply(alice).startswith("alice: Only a chair of nova or an organizer can change it")

    alice.say(BOT_NICK, f"link {code}")
    assert reply(alice, private=True).startswith(
        "OK, linked IRC nick alice to Alice Smith; your roles in Test PTG: chair of nova. "
        "Your commands from this connection act as alice until you quit or change nick."
    )
    alice.say(CHANNEL, "#nova now Placement API")
    assert reply(alice) == "alice: OK, nova now discusses: Placement API"
    assert store.audit()[-1].author == "Alice Smith (alice, irc)"


def test_a_used_or_expired_code_is_refused(
    store: Store, start_bot: StartBot, person: Person, clock: Clock
) -> None:
    alice_id = signed_in_chair(store)
    start_bot()
    used = store.link_codes.create(alice_id)
    store.link_codes.redeem(used, "alice_laptop")
    alice = person("alice", "al")

    alice.say(BOT_NICK, f"link {used}")
    assert reply(alice, private=True) == USED_CODE
    expired = store.link_codes.create(alice_id)
    clock.advance(minutes=10)
    alice.say(BOT_NICK, f"link {expired}")
    assert reply(alice, private=True) == EXPIRED_CODE
    assert store.link_codes.nicks(alice_id) == ["alice@web", "alice_laptop"]


def test_a_nick_of_another_person_is_refused(
    store: Store, start_bot: StartBot, person: Person
) -> None:
    alice_id = signed_in_chair(store)
    store.people.add("Mallory Jones", ["mallory"])
    start_bot()
    mallory = person("mallory", "m")

    mallory.say(BOT_NICK, f"link {store.link_codes.create(alice_id)}")
    assert reply(mallory, private=True) == (
        "The IRC nick mallory already belongs to another person; nothing changed. "
        "If it is yours, ask an organizer to help."
    )
    assert store.link_codes.nicks(alice_id) == ["alice@web"]
    mallory.say(CHANNEL, "#nova now Hijacked")
    assert reply(mallory).startswith("mallory: Only a chair of nova or an organizer")
