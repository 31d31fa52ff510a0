"""Permission with chat identity: roles the network vouches for, and unproven nicks.

``Actor.trust`` carries the old bot's trust (IRC ``trust_channel_modes``: op ->
organizer, voice -> chair of every team); ``Actor.proven`` is False for a chat nick that
nobody proved (no account, no ``identify``), whose roles then do not count.
"""

from __future__ import annotations

import pytest

from ptghub.core.errors import PermissionDenied
from ptghub.core.model import Actor, RoleKind
from ptghub.store.store import Store
from tests.commands.helpers import Chat
from tests.support import ORGANIZER

OP = Actor("mallory", frontend="irc", trust=frozenset({RoleKind.ORGANIZER}))
VOICED = Actor("mallory", frontend="irc", trust=frozenset({RoleKind.CHAIR}))
UNPROVEN_CHAIR = Actor("nchair", frontend="irc", proven=False)
UNPROVEN_ORGANIZER = Actor("olivia", frontend="irc", proven=False)
HINT = "has not proven it is {0}: send 'identify TOKEN' to the bot in private"


@pytest.fixture
def closed(chat: Chat) -> Chat:
    chat.say("~requirevoice", ORGANIZER)
    return chat


def test_trusted_organizer_may_run_organizer_commands(closed: Chat) -> None:
    assert closed.reply("~motd add info Welcome", OP) == "OK, message added."
    assert (
        closed.reply("#cinder now Backups", OP)
        == "OK, cinder now discusses: Backups Note: cinder is not scheduled today."
    )


def test_trusted_chair_may_change_any_team_but_not_organize(closed: Chat) -> None:
    assert (
        closed.reply("#cinder now Backups", VOICED)
        == "OK, cinder now discusses: Backups Note: cinder is not scheduled today."
    )
    assert closed.reply("#nova now Cells", VOICED) == "OK, nova now discusses: Cells"

    error = closed.refuse("~motd add info Welcome", VOICED)
    assert error.message == "'~motd' needs an organizer; mallory is not one."


def test_unproven_nick_keeps_no_roles_and_is_told_how_to_prove_it(closed: Chat) -> None:
    chair = closed.refuse("#nova now Hijacked", UNPROVEN_CHAIR)
    organizer = closed.refuse("~motd add info Hijacked", UNPROVEN_ORGANIZER)

    assert chair.message == (
        "Only a chair of nova or an organizer can change it; nchair is neither. nchair has "
        "roles, but this connection has not proven it is nchair: send 'identify TOKEN' to "
        "the bot in private (or log in to the network) first."
    )
    assert organizer.message.startswith("'~motd' needs an organizer; olivia is not one. ")
    assert HINT.format("olivia") in organizer.message


def test_unproven_nick_without_roles_gets_the_plain_refusal(closed: Chat) -> None:
    error = closed.refuse("#nova now Hijacked", Actor("mallory", proven=False))

    assert (
        error.message == "Only a chair of nova or an organizer can change it; mallory is neither."
    )


def test_unproven_nick_may_do_what_anyone_may(chat: Chat) -> None:
    assert chat.reply("#nova now Open", UNPROVEN_CHAIR) == "OK, nova now discusses: Open"
    assert chat.reply("subscribe nova", UNPROVEN_CHAIR).startswith("Subscription set to nova")


def test_other_nicks_of_a_person_do_not_make_an_unproven_nick_proven(store: Store) -> None:
    store.run("~requirevoice", ORGANIZER)
    store.people.add("Nova Chair", ["nchair", "nchair_laptop"])

    with pytest.raises(PermissionDenied, match="nchair_laptop has roles, but this connection"):
        store.run("#nova now Hijacked", Actor("nchair_laptop", frontend="irc", proven=False))
    result = store.run("#nova now Cells", Actor("nchair_laptop", frontend="irc"))
    assert result is not None
    assert result.reply == "OK, nova now discusses: Cells"


def test_trust_survives_the_lookup_of_a_persons_other_nicks(store: Store) -> None:
    store.run("~requirevoice", ORGANIZER)
    store.people.add("Mallory", ["mallory", "mal"])

    result = store.run("~motd add info Welcome", OP)
    assert result is not None
    assert result.reply == "OK, message added."
