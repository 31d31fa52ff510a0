"""Who is owed a follow notice: followed teams, matching patterns, chosen channels."""

from __future__ import annotations

from sqlalchemy import insert

from ptghub.core.model import Actor
from ptghub.store import tables as t
from ptghub.store.store import Store
from tests.follows import choose, follow

WEB = Actor("olivia", frontend="web")


def owed(store: Store, author: int | None = None) -> dict[int, list[str]]:
    """The lines owed for the newest change, by person."""
    [entry] = store.audit(limit=1)
    state = store.state()
    followers = store.attendees.follow_notices.followers(None, state, entry.events)
    found = followers.owed(state, entry.events, author=author)
    return {r.person_id: [line.text for line in lines] for r, lines in found.items()}


def person(store: Store, address: str, **channels: bool) -> int:
    found = store.accounts.sign_up(address).person_id
    choose(store, found, **channels)
    return found


def test_a_team_follow_and_a_matching_pattern_are_owed_their_lines_once(store: Store) -> None:
    ada = person(store, "ada@example.org", email=True)
    bob = person(store, "bob@example.org", browser=True)
    cy = person(store, "cy@example.org", chat=True)
    follow(store, ada, "team", "nova")
    follow(store, ada, "pattern", "placement")  # the same line twice: once
    follow(store, bob, "pattern", r"now .*PLACEMENT")  # case-insensitive, like subscribe
    follow(store, cy, "team", "cinder")

    store.run("#nova now Placement API", WEB)

    assert owed(store) == {ada: ["#nova now Placement API"], bob: ["#nova now Placement API"]}


def test_next_topics_are_owed_and_a_pattern_sees_the_whole_line(store: Store) -> None:
    ada = person(store, "ada@example.org", email=True)
    follow(store, ada, "pattern", "^#nova next")

    store.run("#nova next Cells", WEB)
    store.run("#nova next Quotas", WEB)

    assert owed(store) == {ada: ["#nova next Quotas"]}


def test_nobody_without_a_channel_and_never_the_author(store: Store) -> None:
    ada = person(store, "ada@example.org")  # no channel chosen
    bob = person(store, "bob@example.org", email=True)
    follow(store, ada, "team", "nova")
    follow(store, bob, "team", "nova")

    store.run("#nova now Placement API", WEB)

    assert owed(store) == {bob: ["#nova now Placement API"]}
    assert owed(store, author=bob) == {}


def test_a_pattern_refused_by_re2_does_not_stop_the_others(store: Store) -> None:
    ada = person(store, "ada@example.org", email=True)
    follow(store, ada, "pattern", r"(a)\1")  # a backreference: refused by subscribe
    follow(store, ada, "pattern", "api")

    store.run("#nova now Placement API", WEB)

    assert owed(store) == {ada: ["#nova now Placement API"]}


def test_chat_nicks_leave_out_the_web_nick_unless_linked_from_chat(store: Store) -> None:
    account = store.accounts.sign_up("ada@example.org")
    choose(store, account.person_id, chat=True)
    follow(store, account.person_id, "team", "nova")
    with store.engine.begin() as conn:
        conn.execute(
            insert(t.nicks).values(nick_key="ada_irc", nick="Ada_IRC", person_id=account.person_id)
        )

    store.run("#nova now Placement API", WEB)
    [entry] = store.audit(limit=1)
    state = store.state()
    notices = store.attendees.follow_notices
    followers = notices.followers(None, state, entry.events, with_nicks=True)

    assert followers.people[account.person_id].nicks == ("Ada_IRC",)
    assert account.web_nick not in followers.people[account.person_id].nicks
