"""Track commands ``#TEAM VERB``: topics, subscription notices, links, colour, location."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ptghub.commands.registry import Notice
from ptghub.core.errors import InvalidInput, NotFound, Refused
from ptghub.core.events import TopicsChanged
from ptghub.core.model import Actor, Team, TeamKind, Topics
from ptghub.store.store import Store
from tests.commands.helpers import Chat
from tests.support import ALICE, NOVA_CHAIR, ORGANIZER

BOB = Actor("bob", frontend="test")


# -- now / next ---------------------------------------------------------------------


def test_now_sets_topic_and_replies(chat: Chat) -> None:
    outcome = chat.say("#nova now Placement API", NOVA_CHAIR)
    assert outcome.reply == "OK, nova now discusses: Placement API"
    assert outcome.events == (TopicsChanged("nova", Topics(), Topics(now="Placement API")),)
    assert chat.state.topics["nova"] == Topics(now="Placement API")


def test_now_empties_next_and_keeps_location(chat: Chat) -> None:
    chat.say("#nova location Room 101")
    chat.say("#nova now Quotas")
    chat.say("#nova next Unified limits")
    chat.say("#nova next Placement")
    chat.say("#nova now Unified limits")
    assert chat.state.topics["nova"] == Topics("Unified limits", (), "Room 101")


def test_next_appends_in_order(chat: Chat) -> None:
    assert chat.reply("#nova next Quotas") == "OK, nova next: Quotas"
    chat.say("#nova next Unified limits")
    assert chat.state.topics["nova"] == Topics(None, ("Quotas", "Unified limits"))


def test_next_is_bounded_to_ten(chat: Chat) -> None:
    for n in range(10):
        chat.say(f"#nova next topic {n}")
    error = chat.refuse("#nova next topic 10")
    assert type(error) is Refused
    assert error.message == (
        "nova already has 10 next topics; set a new 'now' or '#nova clean' first."
    )
    assert chat.state.topics["nova"].next == tuple(f"topic {n}" for n in range(10))


def test_now_without_topic_is_refused(chat: Chat) -> None:
    error = chat.refuse("#nova now   ")
    assert (type(error), error.message) == (InvalidInput, "Missing topic (#TEAM now TOPIC).")


def test_now_topic_over_300_characters_is_refused(chat: Chat) -> None:
    error = chat.refuse("#nova now " + "x" * 301)
    assert (type(error), error.message) == (
        InvalidInput,
        "The topic (#TEAM now TOPIC) is 301 characters long; at most 300 are allowed.",
    )


def test_now_topic_of_300_characters_is_accepted(chat: Chat) -> None:
    chat.say("#nova now " + "x" * 300)
    assert chat.state.topics["nova"] == Topics(now="x" * 300)


def test_now_topic_may_hold_markup_verbatim(chat: Chat) -> None:
    chat.say("#nova now <script>alert(1)</script> & 'quotes'")
    assert chat.state.topics["nova"].now == "<script>alert(1)</script> & 'quotes'"


def test_now_for_team_not_scheduled_today_adds_a_note(chat: Chat) -> None:
    assert chat.reply("#cinder now Backups") == (
        "OK, cinder now discusses: Backups Note: cinder is not scheduled today."
    )


def test_next_for_team_not_scheduled_today_adds_a_note(chat: Chat) -> None:
    assert chat.reply("#cinder next Backups") == (
        "OK, cinder next: Backups Note: cinder is not scheduled today."
    )


def test_now_scheduled_today_follows_the_slot_date_not_the_weekday(chat: Chat) -> None:
    # nova is planned on Monday 2022-04-04; the Monday a week later is another day.
    chat.now += timedelta(days=7)
    assert chat.reply("#nova now Quotas") == (
        "OK, nova now discusses: Quotas Note: nova is not scheduled today."
    )


def test_now_scheduled_on_the_day_of_a_booking(chat: Chat) -> None:
    chat.say("#cinder book Coiste Bainisti-Tue-A1")
    chat.now += timedelta(days=1)
    assert chat.reply("#cinder now Backups") == "OK, cinder now discusses: Backups"


def test_now_works_with_team_name_in_any_case(chat: Chat) -> None:
    assert chat.reply("#NOVA now Quotas", NOVA_CHAIR) == "OK, nova now discusses: Quotas"
    chat.say("#Nova next Limits", NOVA_CHAIR)
    assert chat.state.topics["nova"] == Topics("Quotas", ("Limits",))


def test_store_added_team_is_case_insensitive(store: Store) -> None:
    store.run("~add Manila", ORGANIZER)
    result = store.run("#manila now Shares", ALICE)
    assert result is not None and result.reply == (
        "OK, manila now discusses: Shares Note: manila is not scheduled today."
    )
    store.run("#MANILA next Snapshots", ALICE)
    state = store.state()
    assert state.teams["manila"] == Team("manila", "Manila", TeamKind.PROJECT_TEAM)
    assert state.topics["manila"] == Topics("Shares", ("Snapshots",))


def test_command_on_unknown_team_is_not_found(chat: Chat) -> None:
    error = chat.refuse("#manila now Shares")
    assert (type(error), error.message) == (
        NotFound,
        "Unknown team '#manila'. Send '~list' to see the teams.",
    )


def test_unknown_track_verb_suggests_the_closest(chat: Chat) -> None:
    error = chat.refuse("#nova nxt Quotas")
    assert (type(error), error.message) == (
        InvalidInput,
        "Unknown command '#nova nxt'. Did you mean 'next'? Expected one of: book, clean, "
        "clear, color, etherpad, location, next, now, outcome, recording, unbook, url.",
    )


# -- subscriptions --------------------------------------------------------------------


def test_now_notifies_matching_subscribers_but_not_the_speaker(chat: Chat) -> None:
    chat.say("subscribe nova", ALICE)
    chat.say("subscribe nova", NOVA_CHAIR)
    chat.say("subscribe cinder", BOB)
    outcome = chat.say("#nova now Placement API", NOVA_CHAIR)
    assert outcome.notices == (Notice("alice", "#nova now Placement API"),)


def test_next_notifies_matching_subscribers(chat: Chat) -> None:
    chat.say("subscribe ^#nova next", BOB)
    assert chat.say("#nova next Quotas").notices == (Notice("bob", "#nova next Quotas"),)
    assert chat.say("#nova now Quotas").notices == ()


def test_notices_match_case_insensitively_against_team_verb_and_topic(chat: Chat) -> None:
    chat.say("subscribe NOVA NOW .*API", BOB)
    outcome = chat.say("#nova now placement api", NOVA_CHAIR)
    assert outcome.notices == (Notice("bob", "#nova now placement api"),)


def test_notices_use_the_subscriber_nick_as_typed(chat: Chat) -> None:
    chat.say("subscribe quotas", Actor("Bob[away]", frontend="test"))
    outcome = chat.say("#cinder now Quotas", NOVA_CHAIR)
    assert outcome.notices == (Notice("Bob[away]", "#cinder now Quotas"),)


def test_notices_skip_the_speaker_whatever_the_case_of_the_nick(chat: Chat) -> None:
    chat.say("subscribe nova", Actor("Alice", frontend="test"))
    assert chat.say("#nova now Quotas", ALICE).notices == ()


def test_store_result_carries_notices_for_subscribers(store: Store) -> None:
    store.run("subscribe nova.*api", ALICE)
    result = store.run("#nova now Placement API", NOVA_CHAIR)
    assert result is not None
    assert result.notices == (Notice("alice", "#nova now Placement API"),)


# -- clean / clear --------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["clean", "clear"])
def test_clean_removes_now_next_and_location(chat: Chat, verb: str) -> None:
    chat.say("#nova now Quotas")
    chat.say("#nova next Limits")
    chat.say("#nova location Room 101")
    assert chat.reply(f"#nova {verb}") == "OK, cleaned now, next and location of nova."
    assert "nova" not in chat.state.topics


def test_clean_of_clean_team_changes_nothing(chat: Chat) -> None:
    outcome = chat.say("#nova clean")
    assert (outcome.reply, outcome.events) == ("nova had no now, next or location to clean.", ())


def test_clean_with_parameter_is_refused(chat: Chat) -> None:
    error = chat.refuse("#nova clean now")
    assert (type(error), error.message) == (
        InvalidInput,
        "'#TEAM clean' does not take any parameter.",
    )


# -- etherpad / url / color -----------------------------------------------------------


def test_etherpad_sets_override(chat: Chat) -> None:
    reply = chat.reply("#nova etherpad https://pads.example.org/p/nova-ptg")
    assert reply == "OK, nova etherpad is https://pads.example.org/p/nova-ptg"
    assert chat.state.teams["nova"].etherpad == "https://pads.example.org/p/nova-ptg"
    assert chat.state.etherpad_url(chat.state.teams["nova"]) == (
        "https://pads.example.org/p/nova-ptg"
    )


def test_etherpad_auto_drops_override(chat: Chat) -> None:
    chat.say("#nova etherpad https://pads.example.org/p/nova-ptg")
    outcome = chat.say("#nova etherpad AUTO")
    assert outcome.reply == "OK, nova etherpad is https://etherpad.opendev.org/p/test-ptg-nova"
    assert chat.state.teams["nova"].etherpad is None


def test_etherpad_auto_without_override_is_unchanged(chat: Chat) -> None:
    outcome = chat.say("#nova etherpad auto")
    assert outcome.reply == (
        "OK, nova etherpad is https://etherpad.opendev.org/p/test-ptg-nova (unchanged)"
    )
    assert outcome.events == ()


def test_etherpad_with_two_words_is_refused(chat: Chat) -> None:
    error = chat.refuse("#nova etherpad https://a.example.org https://b.example.org")
    assert (type(error), error.message) == (
        InvalidInput,
        "'#TEAM etherpad' takes a single URL parameter; got 2 words.",
    )


def test_etherpad_javascript_url_is_refused(chat: Chat) -> None:
    error = chat.refuse("#nova etherpad javascript:alert(1)")
    assert (type(error), error.message) == (
        InvalidInput,
        "'javascript:alert(1)' is not a valid etherpad URL; expected an http:// or https:// "
        "address.",
    )


def test_url_sets_video_override(chat: Chat) -> None:
    reply = chat.reply("#nova url https://meet.example.org/nova")
    assert reply == "OK, nova video URL is https://meet.example.org/nova"
    team = chat.state.teams["nova"]
    assert chat.state.video_url(team, chat.state.rooms["austin"]) == (
        "https://meet.example.org/nova"
    )


def test_url_none_drops_override(chat: Chat) -> None:
    chat.say("#nova url https://meet.example.org/nova")
    assert chat.reply("#nova url None") == "OK, nova uses its room's video URL"
    team = chat.state.teams["nova"]
    assert team.video_url is None
    assert chat.state.video_url(team, chat.state.rooms["austin"]) == (
        "https://meet.example.org/austin"
    )


def test_url_ftp_is_refused(chat: Chat) -> None:
    error = chat.refuse("#nova url ftp://files.example.org/nova")
    assert (type(error), error.message) == (
        InvalidInput,
        "'ftp://files.example.org/nova' is not a valid video URL; expected an http:// or "
        "https:// address.",
    )


@pytest.mark.parametrize(
    "value",
    ["red", "RebeccaPurple", "#42f4c5", "#FFF", "#11223344", "rgb(10, 20, 30)",
     "rgba(10,20,30,0.5)", "hsl(120deg 50% 50%)", "hsl(120 50% 50% / 0.5)"],
)  # fmt: skip
def test_color_accepts_css_colours(chat: Chat, value: str) -> None:
    assert chat.reply(f"#nova color {value}") == f"OK, nova colour is {value}"
    assert chat.state.teams["nova"].color == value


def test_color_same_value_is_unchanged(chat: Chat) -> None:
    chat.say("#nova color red")
    outcome = chat.say("#nova color red")
    assert (outcome.reply, outcome.events) == ("OK, nova colour is red (unchanged)", ())


def test_color_missing_is_refused(chat: Chat) -> None:
    error = chat.refuse("#nova color")
    assert (type(error), error.message) == (
        InvalidInput,
        "'#TEAM color' takes a single colour parameter; got 0 words.",
    )


@pytest.mark.parametrize(
    "value",
    ["red; background:url(x)", "expression(alert(1))", "url(https://x.example.org)", "bluish",
     "#12345", "#ggg", "rgb(1, 2)"],
)  # fmt: skip
def test_color_not_a_css_colour_is_refused(chat: Chat, value: str) -> None:
    error = chat.refuse(f"#nova color {value}")
    assert (type(error), error.message) == (
        InvalidInput,
        f"'{value}' is not a CSS colour; use a name (red), #rgb, #rrggbb or rgb(r, g, b).",
    )
    assert chat.state.teams["nova"].color is None


@pytest.mark.parametrize("value", ["rgb(123)", "rgb(1.5.5)", "rgb(١,٢,٣)"])
def test_color_malformed_rgb_function_is_refused(chat: Chat, value: str) -> None:
    error = chat.refuse(f"#nova color {value}")
    assert type(error) is InvalidInput


# -- location -------------------------------------------------------------------------


def test_location_sets_where_the_team_meets(chat: Chat) -> None:
    assert chat.reply("#nova location Booth 3, level 2") == "OK, nova is in Booth 3, level 2"
    assert chat.state.topics["nova"] == Topics(location="Booth 3, level 2")


def test_location_same_value_is_unchanged(chat: Chat) -> None:
    chat.say("#nova location Booth 3")
    outcome = chat.say("#nova location Booth 3")
    assert (outcome.reply, outcome.events) == ("OK, nova is in Booth 3 (unchanged)", ())


def test_location_over_100_characters_is_refused(chat: Chat) -> None:
    error = chat.refuse("#nova location " + "x" * 101)
    assert (type(error), error.message) == (
        InvalidInput,
        "The location (#TEAM location TEXT) is 101 characters long; at most 100 are allowed.",
    )
