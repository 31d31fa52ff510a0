"""User commands: in, out, seen, subscribe, unsubscribe (bare in private, + or # in a channel)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ptghub.commands.registry import Notice
from ptghub.commands.run import execute
from ptghub.core.errors import InvalidInput, NotFound, Refused
from ptghub.core.events import PresenceChanged, SubscriptionChanged
from ptghub.core.model import Actor, Presence, Subscription
from ptghub.store.store import Store
from tests.commands.helpers import MONDAY, Chat
from tests.support import ALICE, NOVA_CHAIR, ORGANIZER

BOB = Actor("bob", frontend="test")


# -- in / out -------------------------------------------------------------------------


def test_in_checks_into_a_team_by_its_slug(chat: Chat) -> None:
    outcome = chat.say("in #NOVA")
    assert outcome.reply == "OK, checked into #nova - thanks for the update!"
    assert outcome.events == (PresenceChanged("alice", None, Presence("alice", "#nova", MONDAY)),)


def test_in_checks_into_any_place(chat: Chat) -> None:
    assert chat.reply("in Hallway near the coffee") == (
        "OK, checked into Hallway near the coffee - thanks for the update!"
    )
    assert chat.state.presence["alice"] == Presence("alice", "Hallway near the coffee", MONDAY)


def test_in_again_replaces_the_previous_place(chat: Chat) -> None:
    chat.say("in #nova")
    chat.now = datetime(2022, 4, 4, 15, 0, tzinfo=UTC)
    chat.say("in #cinder")
    assert chat.state.presence["alice"] == Presence("alice", "#cinder", chat.now)


@pytest.mark.parametrize("text", ["+in #nova", "#in #nova", "#IN #nova"])
def test_in_with_channel_prefix(chat: Chat, text: str) -> None:
    outcome = chat.say(text, private=False)
    assert outcome.reply == "OK, checked into #nova - thanks for the update!"


def test_in_bare_in_a_channel_is_chatter(chat: Chat) -> None:
    assert execute(chat.state, "in #nova", ALICE, chat.now, private=False) is None


def test_in_unknown_team_is_not_found(chat: Chat) -> None:
    error = chat.refuse("in #manila")
    assert (type(error), error.message) == (
        NotFound,
        "Unknown team '#manila'. Send '~list' to see the teams.",
    )


def test_in_without_place_is_refused(chat: Chat) -> None:
    error = chat.refuse("in")
    assert (type(error), error.message) == (InvalidInput, "Missing location (in #TEAM|LOCATION).")


def test_out_checks_out_and_keeps_where(chat: Chat) -> None:
    chat.say("in #nova")
    later = datetime(2022, 4, 4, 16, 5, tzinfo=UTC)
    chat.now = later
    assert chat.reply("out") == "OK, checked out of #nova - thanks for the update!"
    assert chat.state.presence["alice"] == Presence("alice", "#nova", MONDAY, later)


def test_out_when_not_checked_in_is_refused(chat: Chat) -> None:
    error = chat.refuse("out")
    assert (type(error), error.message) == (Refused, "You weren't checked in anywhere yet!")


def test_out_twice_is_refused(chat: Chat) -> None:
    chat.say("in #nova")
    chat.say("out")
    error = chat.refuse("out")
    assert (type(error), error.message) == (
        Refused,
        "You already checked out of #nova at Mon 13:30 UTC!",
    )


def test_out_with_parameter_is_refused(chat: Chat) -> None:
    chat.say("in #nova")
    error = chat.refuse("out #nova")
    assert (type(error), error.message) == (
        InvalidInput,
        "The 'out' command does not take any parameter.",
    )


# -- seen -----------------------------------------------------------------------------


def test_seen_says_where_a_person_checked_in(chat: Chat) -> None:
    chat.say("in #nova", ALICE)
    assert chat.reply("seen alice", BOB) == "alice was last seen in #nova at Mon 13:30 UTC."


def test_seen_is_case_insensitive(chat: Chat) -> None:
    chat.say("in #nova", ALICE)
    assert chat.reply("seen ALICE", BOB) == "alice was last seen in #nova at Mon 13:30 UTC."


def test_seen_uses_irc_case_mapping(chat: Chat) -> None:
    chat.say("in #nova", Actor("[alice]", frontend="test"))
    assert chat.reply("seen {ALICE}", BOB) == "[alice] was last seen in #nova at Mon 13:30 UTC."


def test_seen_after_check_in_under_other_case_finds_the_same_person(chat: Chat) -> None:
    chat.say("in #nova", Actor("Alice", frontend="test"))
    chat.say("out", ALICE)
    assert chat.reply("seen aLiCe", BOB) == "Alice checked out of #nova at Mon 13:30 UTC."


def test_seen_after_check_out(chat: Chat) -> None:
    chat.say("in #nova")
    chat.now = datetime(2022, 4, 5, 9, 45, tzinfo=UTC)
    chat.say("out")
    assert chat.reply("seen alice", BOB) == "alice checked out of #nova at Tue 09:45 UTC."


def test_seen_unknown_nick(chat: Chat) -> None:
    assert chat.reply("seen carol") == "carol never checked in anywhere."


@pytest.mark.parametrize("text", ["seen", "seen alice bob"])
def test_seen_needs_a_single_nick(chat: Chat, text: str) -> None:
    error = chat.refuse(text)
    assert (type(error), error.message) == (InvalidInput, "The 'seen' command needs a single nick.")


def test_seen_too_long_nick_is_refused(chat: Chat) -> None:
    error = chat.refuse("seen " + "n" * 65)
    assert (type(error), error.message) == (
        InvalidInput,
        f"'{'n' * 39}…' is not a valid nick; use 1 to 64 printable characters without spaces.",
    )


def test_store_seen_is_case_insensitive(store: Store) -> None:
    store.run("in #nova", ALICE)
    result = store.run("seen ALICE", ORGANIZER)
    assert result is not None
    assert (result.reply, result.audit_id) == (
        "alice was last seen in #nova at Mon 13:30 UTC.",
        None,
    )


# -- subscribe / unsubscribe ----------------------------------------------------------


def test_subscribe_sets_pattern(chat: Chat) -> None:
    outcome = chat.say("subscribe nova.*(api|quota)")
    assert outcome.reply == "Subscription set to nova.*(api|quota) (previously none)."
    assert outcome.events == (
        SubscriptionChanged("alice", None, Subscription("alice", "nova.*(api|quota)")),
    )


def test_subscribe_again_replaces_pattern(chat: Chat) -> None:
    chat.say("subscribe nova")
    assert chat.reply("subscribe cinder") == (
        "Subscription set to cinder; it replaces your previous one, nova (one per nick: "
        "combine patterns with '|')."
    )
    assert chat.state.subscriptions == {"alice": Subscription("alice", "cinder")}


def test_subscribe_without_pattern_shows_the_current_one(chat: Chat) -> None:
    assert chat.reply("subscribe") == "You don't have a subscription regex set yet."
    chat.say("subscribe nova")
    outcome = chat.say("subscribe")
    assert (outcome.reply, outcome.events) == ("Your current subscription regex is: nova", ())


def test_subscribe_invalid_regex_is_refused(chat: Chat) -> None:
    error = chat.refuse("subscribe nova(")
    assert (type(error), error.message) == (
        InvalidInput,
        "Invalid regex: missing ): nova( (backreferences and lookaround are not supported).",
    )


def test_subscribe_catastrophic_pattern_is_stored_and_matches_fast(chat: Chat) -> None:
    chat.say("subscribe (a+)+$", BOB)
    assert chat.state.subscriptions["bob"] == Subscription("bob", "(a+)+$")
    hostile = "a" * 289 + "!"
    assert chat.say(f"#nova now {hostile}").notices == ()
    matching = "a" * 290
    assert chat.say(f"#nova now {matching}").notices == (Notice("bob", f"#nova now {matching}"),)


def test_unsubscribe_cancels(chat: Chat) -> None:
    chat.say("subscribe nova")
    assert chat.reply("unsubscribe") == "Cancelled subscription nova"
    assert chat.state.subscriptions == {}
    assert chat.say("#nova now Quotas", NOVA_CHAIR).notices == ()


def test_unsubscribe_without_subscription_changes_nothing(chat: Chat) -> None:
    outcome = chat.say("unsubscribe")
    assert (outcome.reply, outcome.events) == ("You don't have a subscription regex set yet.", ())


def test_unsubscribe_with_parameter_is_refused(chat: Chat) -> None:
    error = chat.refuse("unsubscribe nova")
    assert (type(error), error.message) == (
        InvalidInput,
        "The 'unsubscribe' command does not take any parameter.",
    )


def test_notices_skip_the_speaker_under_any_of_their_nicks(chat: Chat) -> None:
    chat.say("subscribe nova", ALICE)
    alias = Actor("alice_", frontend="test", aliases=frozenset({"alice"}))
    assert chat.say("#nova now Quotas", alias).notices == ()


def test_store_subscription_survives_and_notifies(store: Store) -> None:
    store.run("+subscribe NOVA", ALICE, private=False)
    assert store.state().subscriptions == {"alice": Subscription("alice", "NOVA")}
    result = store.run("#nova next Quotas", NOVA_CHAIR, private=False)
    assert result is not None and result.notices == (Notice("alice", "#nova next Quotas"),)
