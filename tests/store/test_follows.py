"""store.attendees.follows: teams and patterns a person follows, their settings and their
calendar feed (both backends)."""

from __future__ import annotations

import pytest

from ptghub.core.errors import InvalidInput, NotFound
from ptghub.store.follows import MAX_PATTERNS, Followed
from ptghub.store.person_settings import Settings
from ptghub.store.store import Store
from tests.store.racing import in_threads
from tests.support import Clock

EVENT = "test-ptg"


def _person(store: Store, address: str = "ada@example.org") -> int:
    return store.accounts.sign_up(address).person_id


def test_following_a_team_is_idempotent_and_by_key(store: Store, clock: Clock) -> None:
    follows = store.attendees.follows
    ada = _person(store)
    assert follows.follow_team(ada, EVENT, "#Nova") is True
    assert follows.follow_team(ada, EVENT, "nova") is False
    clock.advance(seconds=1)
    assert follows.follow_team(ada, EVENT, "cinder") is True
    assert follows.of(ada, EVENT) == Followed(("nova", "cinder"), ())
    assert follows.followers(EVENT, "NOVA") == (ada,)


def test_unfollowing_is_idempotent(store: Store) -> None:
    follows = store.attendees.follows
    ada = _person(store)
    follows.follow_team(ada, EVENT, "nova")
    assert follows.unfollow_team(ada, EVENT, "nova") is True
    assert follows.unfollow_team(ada, EVENT, "nova") is False
    assert follows.of(ada, EVENT) == Followed()


def test_an_unknown_team_is_refused_naming_the_teams(store: Store) -> None:
    ada = _person(store)
    with pytest.raises(NotFound) as refused:
        store.attendees.follows.follow_team(ada, EVENT, "swift")
    assert refused.value.message == (
        "There is no team 'swift' at test-ptg; its teams: cinder, first-contact, nova, relmgt."
    )
    assert store.attendees.follows.of(ada, EVENT) == Followed()


def test_an_unknown_event_is_refused(store: Store) -> None:
    with pytest.raises(NotFound) as refused:
        store.attendees.follows.follow_team(_person(store), "no-ptg", "nova")
    assert refused.value.message == "Unknown event 'no-ptg'; 'ptghub event list' shows the events."


def test_patterns_are_added_once_and_removed(store: Store, clock: Clock) -> None:
    follows = store.attendees.follows
    ada, bob = _person(store), _person(store, "bob@example.org")
    assert follows.add_pattern(ada, EVENT, "  placement|quota ") is True
    assert follows.add_pattern(ada, EVENT, "placement|quota") is False
    clock.advance(seconds=1)
    follows.add_pattern(bob, EVENT, "#nova")
    assert follows.of(ada, EVENT) == Followed((), ("placement|quota",))
    assert follows.patterns(EVENT) == ((ada, "placement|quota"), (bob, "#nova"))
    assert follows.remove_pattern(ada, EVENT, "placement|quota") is True
    assert follows.remove_pattern(ada, EVENT, "placement|quota") is False
    assert follows.patterns(EVENT) == ((bob, "#nova"),)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("(a", "Invalid regex: missing ): (a (backreferences and lookaround are not supported)."),
        ("(a)\\1", "Invalid regex: invalid escape sequence: \\1 "
         "(backreferences and lookaround are not supported)."),
        ("a" * 201, "The pattern is 201 characters long; at most 200 are allowed."),
        ("   ", "Give a pattern: a regular expression matched, without regard to case, "
         "against '#team now topic' and '#team next topic', e.g. placement|quota."),
    ],
)  # fmt: skip
def test_a_bad_pattern_gets_the_chats_message_and_changes_nothing(
    store: Store, pattern: str, message: str
) -> None:
    ada = _person(store)
    with pytest.raises(InvalidInput) as refused:
        store.attendees.follows.add_pattern(ada, EVENT, pattern)
    assert refused.value.message == message
    assert store.attendees.follows.of(ada, EVENT) == Followed()


def test_patterns_are_capped_per_person(store: Store) -> None:
    follows = store.attendees.follows
    ada = _person(store)
    for n in range(MAX_PATTERNS):
        follows.add_pattern(ada, EVENT, f"topic{n}")
    assert follows.add_pattern(ada, EVENT, "topic0") is False  # already there: no refusal
    with pytest.raises(InvalidInput) as refused:
        follows.add_pattern(ada, EVENT, "one more")
    assert refused.value.message == (
        f"You follow {MAX_PATTERNS} patterns at this event already, the most there can be; "
        "remove one first, or combine several into one with '|'."
    )


def test_settings_default_then_saved(store: Store) -> None:
    settings = store.attendees.follows.settings
    ada = _person(store)
    assert settings.of(ada) == Settings()
    assert settings.set_time_zone(ada, "Asia/Tokyo") == Settings("Asia/Tokyo")
    chosen = settings.set_channels(ada, {"email", "browser"})
    assert chosen == Settings("Asia/Tokyo", False, True, True)
    assert chosen.channels == ("email", "browser")
    assert settings.set_time_zone(ada, "") == Settings(None, False, True, True)
    assert settings.of(ada) == Settings(None, False, True, True)


def test_bad_settings_are_refused(store: Store) -> None:
    settings = store.attendees.follows.settings
    ada = _person(store)
    with pytest.raises(InvalidInput) as zone:
        settings.set_time_zone(ada, "Mars/Olympus")
    assert zone.value.message == (
        "Unknown time zone 'Mars/Olympus'; use an IANA name such as UTC, Europe/Paris "
        "or America/Los_Angeles."
    )
    with pytest.raises(InvalidInput) as channel:
        settings.set_channels(ada, {"pigeon"})
    assert channel.value.message == (
        "Unknown notification channel 'pigeon'; the channels are chat, email, browser."
    )
    assert settings.of(ada) == Settings()


def test_a_feed_opens_for_its_secret_until_revoked(store: Store, clock: Clock) -> None:
    feeds = store.attendees.follows.feeds
    ada = _person(store)
    assert feeds.active(ada, EVENT) is None
    secret = feeds.create(ada, EVENT)
    assert feeds.owner(EVENT, secret) == ada
    assert feeds.owner("other-ptg", secret) is None
    assert feeds.owner(EVENT, secret + "x") is None
    active = feeds.active(ada, EVENT)
    assert active is not None and active.created_at == clock.now
    assert feeds.revoke(ada, EVENT) is True
    assert feeds.revoke(ada, EVENT) is False
    assert (feeds.owner(EVENT, secret), feeds.active(ada, EVENT)) == (None, None)


def test_a_new_feed_revokes_the_old_and_only_digests_are_kept(store: Store) -> None:
    feeds = store.attendees.follows.feeds
    ada = _person(store)
    old = feeds.create(ada, EVENT)
    new = feeds.create(ada, EVENT)
    assert (feeds.owner(EVENT, old), feeds.owner(EVENT, new)) == (None, ada)
    with store.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT digest FROM calendar_feeds").scalars().all()
    assert len(stored) == 2 and old not in stored and new not in stored


def test_the_same_follow_from_two_tabs_at_once_is_kept_once(store: Store) -> None:
    follows = store.attendees.follows
    ada = _person(store)
    added = in_threads([lambda: follows.follow_team(ada, EVENT, "nova")] * 4)
    assert sorted(added) == [False, False, False, True]
    first = in_threads([lambda: follows.settings.set_time_zone(ada, "UTC")] * 3)
    assert first == [Settings("UTC")] * 3
    assert follows.of(ada, EVENT) == Followed(("nova",))
